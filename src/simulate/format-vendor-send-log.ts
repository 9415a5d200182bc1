import type { DeliveryStatus, SendLogRow } from '../data/read-send-log.js';
import { formatSendLogCsv } from '../data/read-send-log.js';
import { formatCsv } from '../io/write-csv.js';
import type { MessageMode } from '../types.js';

/**
 * The send-log layouts a simulated log can be written in: ours, and two vendors' as the
 * mappings shipped in fixtures/mappings/ read them (`*-deliveries.json`, docs/deliveries.md).
 */
export const SEND_LOG_LAYOUTS = ['generic', 'parentsquare', 'schoolmessenger'] as const;
export type SendLogLayout = (typeof SEND_LOG_LAYOUTS)[number];

/** A send log as one layout writes it. */
export interface VendorSendLog {
  /** The CSV text, cells neutralized. */
  readonly contents: string;
  /** Messages written. */
  readonly rows: number;
  /** Messages the vendor does not log (a SchoolMessenger log has no letters), left out. */
  readonly leftOut: number;
  /** The mapping file (in fixtures/mappings/) that reads this layout; none for the generic one. */
  readonly mapping?: string;
}

/** ParentSquare's words: a method per mode, a delivery status per status (what its help defines). */
const PARENTSQUARE = {
  mode: { text: 'Text', email: 'Email', robocall: 'Voice', letter: 'Letter' } satisfies Record<MessageMode, string>,
  status: {
    delivered: 'Delivered',
    failed: 'Invalid',
    bounced: 'Bounced',
    opted_out: 'Blocked',
    not_sent: 'n/a',
  } satisfies Record<DeliveryStatus, string>,
};

/** SchoolMessenger's words; it posts no letters. */
const SCHOOLMESSENGER = {
  mode: { text: 'SMS', email: 'Email', robocall: 'Phone' } satisfies Partial<Record<MessageMode, string>>,
  status: {
    delivered: 'Answered',
    failed: 'No Answer',
    bounced: 'Disconnect',
    opted_out: 'Consent Denied',
    not_sent: 'No Phone Selected',
  } satisfies Record<DeliveryStatus, string>,
};

/** `2025-09-08` as a US export writes it with a time of day: `09/08/2025 3:45 PM` (the mappings read `MM/DD/YYYY` and drop the time). */
const usDateTime = (iso: string, time: string) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${time}`;

/**
 * A send log written in one layout: the generic one (`formatSendLogCsv`), a ParentSquare
 * post's delivery statistics (one row per recipient, in its words, US dates with a time),
 * or a SchoolMessenger log (its Delivery Results; letters, which it does not send, are
 * left out and counted). Each reads back through its shipped mapping to the same messages.
 *
 * @example
 * formatSendLogAs([{ student_id: 'S1', send_date: '2025-09-08', mode: 'text', status: 'delivered' }], 'parentsquare').contents
 * // 'Post Date,Student ID,Recipient Type,Method,Status\n09/08/2025 3:45 PM,S1,Parent,Text,Delivered\n'
 */
export function formatSendLogAs(rows: readonly SendLogRow[], layout: SendLogLayout): VendorSendLog {
  if (layout === 'generic') return { contents: formatSendLogCsv(rows), rows: rows.length, leftOut: 0 };
  if (layout === 'parentsquare') {
    const contents = formatCsv(
      ['Post Date', 'Student ID', 'Recipient Type', 'Method', 'Status'],
      rows.map((r) => [
        usDateTime(r.send_date, '3:45 PM'),
        r.student_id,
        'Parent',
        PARENTSQUARE.mode[r.mode],
        PARENTSQUARE.status[r.status],
      ]),
    );
    return { contents, rows: rows.length, leftOut: 0, mapping: 'parentsquare-deliveries.json' };
  }
  const logged = rows.filter((r) => r.mode !== 'letter');
  const contents = formatCsv(
    ['ID', 'Date', 'Type', 'Delivery Results'],
    logged.map((r) => [
      r.student_id,
      usDateTime(r.send_date, '6:00 PM'),
      SCHOOLMESSENGER.mode[r.mode as 'text'],
      SCHOOLMESSENGER.status[r.status],
    ]),
  );
  return { contents, rows: logged.length, leftOut: rows.length - logged.length, mapping: 'schoolmessenger-deliveries.json' };
}
