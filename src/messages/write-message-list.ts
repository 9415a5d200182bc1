import { PRIVATE_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import { formatCsv } from '../io/write-csv.js';
import type { MessageList } from './build-message-list.js';
import { MESSAGE_COLUMNS, SKIPPED_COLUMNS } from './build-message-list.js';

/** The skip list's path beside a message list: `messages.csv` -> `messages.skipped.csv`. */
export function skippedPathFor(messagesPath: string): string {
  return `${messagesPath.replace(/\.csv$/i, '')}.skipped.csv`;
}

/** `messages.csv` text: one row per message, every text cell neutralized against formula injection. */
export function formatMessagesCsv(list: MessageList): string {
  return formatCsv(MESSAGE_COLUMNS, list.messages.map((m) => MESSAGE_COLUMNS.map((c) => m[c])));
}

/** `messages.skipped.csv` text: one row per treated student without a message, with the reason. */
export function formatSkippedCsv(list: MessageList): string {
  return formatCsv(SKIPPED_COLUMNS, list.skipped.map((s) => SKIPPED_COLUMNS.map((c) => s[c])));
}

/**
 * Writes the message list and its skip list together, owner-readable only (0600), and
 * atomically: both appear, or neither changes.
 */
export async function writeMessageList(messagesPath: string, list: MessageList): Promise<{ messages: string; skipped: string }> {
  const skipped = skippedPathFor(messagesPath);
  await writeFilesAtomically([
    { path: messagesPath, contents: formatMessagesCsv(list), mode: PRIVATE_MODE },
    { path: skipped, contents: formatSkippedCsv(list), mode: PRIVATE_MODE },
  ]);
  return { messages: messagesPath, skipped };
}
