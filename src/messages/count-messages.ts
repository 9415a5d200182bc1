import type { MessageListEnd, MessageRow } from './build-message-list.js';

/** A message list's messages counted as its summary shows them; each breakdown sorted by name. */
export interface MessageCounts {
  readonly messages: number;
  readonly by_template: Readonly<Record<string, number>>;
  readonly by_mode: Readonly<Record<string, number>>;
  readonly by_language: Readonly<Record<string, number>>;
  /** Texts only. */
  readonly sms_encoding: Readonly<Record<string, number>>;
  readonly sms_segments: Readonly<Record<string, number>>;
}

/** Counts messages one at a time, so a list written as it is rendered can be summarized too. */
export class MessageTally {
  private messages = 0;
  private readonly byTemplate = new Map<string, number>();
  private readonly byMode = new Map<string, number>();
  private readonly byLanguage = new Map<string, number>();
  private readonly smsEncoding = new Map<string, number>();
  private readonly smsSegments = new Map<string, number>();

  add(message: MessageRow): void {
    this.messages++;
    increment(this.byTemplate, message.template);
    increment(this.byMode, message.mode);
    increment(this.byLanguage, message.language);
    if (message.mode === 'text') {
      increment(this.smsEncoding, message.sms_encoding ?? '');
      increment(this.smsSegments, String(message.sms_segments));
    }
  }

  counts(): MessageCounts {
    return {
      messages: this.messages,
      by_template: sortedRecord(this.byTemplate),
      by_mode: sortedRecord(this.byMode),
      by_language: sortedRecord(this.byLanguage),
      sms_encoding: sortedRecord(this.smsEncoding),
      sms_segments: sortedRecord(this.smsSegments),
    };
  }
}

/** The counts of messages already in memory. */
export function countMessages(messages: Iterable<MessageRow>): MessageCounts {
  const tally = new MessageTally();
  for (const message of messages) tally.add(message);
  return tally.counts();
}

/** How often each value occurs, sorted by value: the form of every breakdown in a summary. */
export function countValues(values: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) increment(counts, value);
  return sortedRecord(counts);
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sortedRecord(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** A message list written as it was rendered: all but its messages, which are counted instead. */
export type CountedMessageList = MessageListEnd & { readonly counts: MessageCounts };
