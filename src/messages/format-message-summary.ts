import { formatTable } from '../io/format-table.js';
import type { MessageList } from './build-message-list.js';
import type { CountedMessageList } from './count-messages.js';
import { countMessages, countValues } from './count-messages.js';

/**
 * Counts of a message list for the terminal: by template, mode, language, SMS encoding,
 * and skip reason. The list may hold its messages, or only their counts when it was
 * written as it was rendered.
 */
export function summarizeMessageList(list: MessageList | CountedMessageList) {
  const counts = 'counts' in list ? list.counts : countMessages(list.messages);
  return {
    messages: counts.messages,
    students_messaged: list.studentsMessaged,
    control_excluded: list.controlExcluded,
    skipped: list.skipped.length,
    by_template: counts.by_template,
    by_mode: counts.by_mode,
    by_language: counts.by_language,
    sms_encoding: counts.sms_encoding,
    sms_segments: counts.sms_segments,
    skipped_by_reason: countValues(list.skipped.map((s) => s.reason)),
    shared_contacts: list.sharedContacts.length,
  };
}

/** The printed summary of a message list: a few lines and one table per breakdown. */
export function formatMessageSummary(list: MessageList | CountedMessageList): string {
  const s = summarizeMessageList(list);
  const table = (title: string, counts: Record<string, number>) =>
    Object.keys(counts).length === 0 ? [] : ['', formatTable([title, 'messages'], Object.entries(counts))];
  const lines = [
    `${s.messages} ${list.kind} messages for ${s.students_messaged} treated students, absences from ${list.window.from} to ${list.window.to}; ${s.control_excluded} control students left out; ${s.skipped} treated students skipped.`,
    ...table('template', s.by_template),
    ...table('mode', s.by_mode),
    ...table('language', s.by_language),
    ...table('sms encoding', s.sms_encoding),
    ...table('sms segments', s.sms_segments),
    ...(s.skipped > 0 ? ['', formatTable(['skipped: reason', 'students'], Object.entries(s.skipped_by_reason))] : []),
  ];
  if (list.sharedContacts.length > 0) {
    lines.push('', 'Contamination check: contacts shared by households in different arms:');
    for (const c of list.sharedContacts.slice(0, 10))
      lines.push(`  ${c.contact_type} shared by households ${c.households.join(', ')} (arms ${c.arms.join(', ')})`);
    if (list.sharedContacts.length > 10) lines.push(`  ... and ${list.sharedContacts.length - 10} more`);
  }
  return lines.join('\n');
}
