import { dirname } from 'node:path';
import { PRIVATE_MODE, stageOutput } from '../io/write-atomic.js';
import { formatCsvField } from '../io/write-csv.js';
import type { MessageList, MessageListEnd, MessageListInput, MessageListOptions, MessageRow } from './build-message-list.js';
import { MESSAGE_COLUMNS, renderMessageList, SKIPPED_COLUMNS } from './build-message-list.js';
import type { CountedMessageList } from './count-messages.js';
import { MessageTally } from './count-messages.js';

/** The skip list's path beside a message list: `messages.csv` -> `messages.skipped.csv`. */
export function skippedPathFor(messagesPath: string): string {
  return `${messagesPath.replace(/\.csv$/i, '')}.skipped.csv`;
}

/**
 * The lines of a CSV file, header first, each ending with LF, with the cells `formatCsv`
 * writes: text neutralized against formula injection and quoted when needed, numbers as
 * they are, blanks for missing values. Line by line, so a list of a million messages is
 * written without its whole text (and a copy of it as bytes) in memory at once.
 */
function* csvLines<Row>(columns: readonly (keyof Row & string)[], rows: Iterable<Row>): Generator<string> {
  yield `${columns.join(',')}\n`;
  for (const row of rows) yield `${columns.map((column) => csvCell(row[column])).join(',')}\n`;
}

function csvCell(value: unknown): string {
  if (typeof value === 'string') return formatCsvField(value);
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}

/** `messages.csv` text: one row per message, every text cell neutralized against formula injection. */
export function formatMessagesCsv(list: MessageList): string {
  return [...csvLines(MESSAGE_COLUMNS, list.messages)].join('');
}

/** `messages.skipped.csv` text: one row per treated student without a message, with the reason. */
export function formatSkippedCsv(list: MessageList): string {
  return [...csvLines(SKIPPED_COLUMNS, list.skipped)].join('');
}

/** The two files of a message list, as written: the list and its skip list beside it. */
export interface MessageListFiles {
  readonly messages: string;
  readonly skipped: string;
}

/**
 * Writes the message list and its skip list together, owner-readable only (0600), and
 * atomically: both appear, or neither changes.
 */
export async function writeMessageList(messagesPath: string, list: MessageList): Promise<MessageListFiles> {
  return writeListFiles(
    messagesPath,
    () => csvLines(MESSAGE_COLUMNS, list.messages),
    () => csvLines(SKIPPED_COLUMNS, list.skipped),
  );
}

/**
 * `buildMessageList` and `writeMessageList` in one pass: each message is written as it
 * is rendered and only counted, so a list of a million messages never sits in memory.
 * The same files, byte for byte, and as safely: when a template lacks a value (a
 * ValidationError once every message is rendered), nothing is written.
 */
export async function buildAndWriteMessageList(
  messagesPath: string,
  input: MessageListInput,
  options: MessageListOptions = {},
): Promise<{ list: CountedMessageList; files: MessageListFiles }> {
  const rendering = renderMessageList(input, options);
  const tally = new MessageTally();
  let end: MessageListEnd | undefined;
  function* messages(): Generator<MessageRow> {
    for (let next = rendering.next(); ; next = rendering.next()) {
      if (next.done) return void (end = next.value);
      tally.add(next.value);
      yield next.value;
    }
  }
  // The skip list is complete only once every message is rendered: it is written second.
  const files = await writeListFiles(
    messagesPath,
    () => csvLines(MESSAGE_COLUMNS, messages()),
    () => csvLines(SKIPPED_COLUMNS, end!.skipped),
  );
  return { list: { ...end!, counts: tally.counts() }, files };
}

/**
 * Characters of lines joined into one piece before it is written. The writer writes a
 * piece this large at once instead of keeping it with others, and lines joined as they
 * come are short-lived: kept longer, the lines of a million messages would pile up in the
 * old generation of the heap (some 2.5 KB a message) until the next full collection.
 */
const WRITE_BATCH = 1 << 20;

/**
 * Writes the list's lines, then the skip list's, into a staging folder (0600), and moves
 * both into place together only when both are complete (`stageOutput`); on any error,
 * including a full disk, neither is left behind.
 */
async function writeListFiles(
  messagesPath: string,
  messageLines: () => Iterable<string>,
  skippedLines: () => Iterable<string>,
): Promise<MessageListFiles> {
  const skipped = skippedPathFor(messagesPath);
  const output = await stageOutput(dirname(messagesPath));
  try {
    for (const [path, lines] of [
      [messagesPath, messageLines],
      [skipped, skippedLines],
    ] as const) {
      const file = await output.stream(path, PRIVATE_MODE);
      let batch: string[] = [];
      let size = 0;
      for (const line of lines()) {
        batch.push(line);
        size += line.length;
        if (size > WRITE_BATCH) {
          await file.write(batch.join(''));
          batch = [];
          size = 0;
        }
      }
      await file.write(batch.join(''));
      await file.end();
    }
    await output.commit();
  } catch (error) {
    await output.abort();
    throw error;
  }
  return { messages: messagesPath, skipped };
}
