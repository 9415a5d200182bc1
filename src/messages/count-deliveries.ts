import { compareIds } from '../data/compare-student-ids.js';
import type { DeliveryStatus, SendLogRow } from '../data/read-send-log.js';
import { DELIVERY_STATUSES } from '../data/read-send-log.js';
import { UsageError } from '../errors.js';

/** A student of the study as the delivery counts need them (an `Assignment` is one). */
export interface DeliveryStudent {
  readonly student_id: string;
  readonly arm: string;
  readonly district_id: string;
  readonly school_id: string;
}

/** What the messages of one student came to. */
export interface StudentDeliveries {
  readonly student_id: string;
  readonly arm: string;
  /** Messages that left the messaging system: delivered, failed or bounced (not opted out, not sent). */
  readonly messages_sent: number;
  readonly messages_delivered: number;
}

/** The ways delivery rates are broken down, each within an arm. */
export const DELIVERY_DIMENSIONS = ['arm', 'district', 'school', 'mode', 'language'] as const;
export type DeliveryDimension = (typeof DELIVERY_DIMENSIONS)[number];

/** The counts of one group: the students of an arm in one level of a dimension, and their messages. */
export interface DeliveryGroup {
  readonly dimension: DeliveryDimension;
  /** The level (`D01-S1`, `text`, `es`); `all` for the arm as a whole; `unknown` for a message without a language. */
  readonly level: string;
  readonly arm: string;
  /**
   * The students of the group: every student of the arm (in the district or school) for
   * `arm`, `district` and `school`; those with a message by the mode, or in the language,
   * for `mode` and `language`.
   */
  readonly students: number;
  /** Students with at least one message sent (delivered, failed or bounced). */
  readonly students_messaged: number;
  /** Students with at least one message delivered. */
  readonly students_reached: number;
  /** Rows of the log, whatever became of them. */
  readonly messages: number;
  readonly statuses: Readonly<Record<DeliveryStatus, number>>;
}

export interface DeliveryCounts {
  readonly controlArm: string;
  /** Every student of the study, by id, with 0 for those the log never names. */
  readonly perStudent: readonly StudentDeliveries[];
  /** One group per dimension, level and arm, in the order of `DELIVERY_DIMENSIONS`, then level, then arm. */
  readonly groups: readonly DeliveryGroup[];
  /** Students of the control arm with a message sent to them: contamination. */
  readonly contaminated: readonly StudentDeliveries[];
  /** The distinct send dates of the log, in order. */
  readonly sendDates: readonly string[];
  readonly messages: number;
}

/** A group being counted. */
interface Tally {
  students: Set<string>;
  messaged: Set<string>;
  reached: Set<string>;
  messages: number;
  statuses: Record<DeliveryStatus, number>;
}

const SENT: ReadonlySet<DeliveryStatus> = new Set(['delivered', 'failed', 'bounced']);

/**
 * Counts a send log against the study: messages sent and delivered per student, rates by
 * arm, district, school, mode and language, and the control students who were messaged.
 * A message "sent" left the messaging system (delivered, failed or bounced); an opted-out
 * or not-sent row was never sent, so it does not make a control student contaminated.
 * Every student id of `rows` must be one of `students` (the reader checks it).
 *
 * @example
 * countDeliveries(
 *   [{ student_id: 'S1', arm: 'treatment', district_id: 'D1', school_id: 'D1-S1' }],
 *   [{ student_id: 'S1', send_date: '2025-09-08', mode: 'text', status: 'delivered' }],
 *   'control',
 * ).perStudent // [{ student_id: 'S1', arm: 'treatment', messages_sent: 1, messages_delivered: 1 }]
 */
export function countDeliveries(students: readonly DeliveryStudent[], rows: readonly SendLogRow[], controlArm: string): DeliveryCounts {
  const byId = new Map(students.map((s) => [s.student_id, s]));
  const sent = new Map<string, number>();
  const delivered = new Map<string, number>();
  const tallies = new Map<string, Tally>();
  const tally = (dimension: DeliveryDimension, level: string, arm: string): Tally => {
    const key = JSON.stringify([dimension, level, arm]);
    let found = tallies.get(key);
    if (!found) {
      found = { students: new Set(), messaged: new Set(), reached: new Set(), messages: 0, statuses: zeroStatuses() };
      tallies.set(key, found);
    }
    return found;
  };
  const placesOf = (s: DeliveryStudent) =>
    [
      ['arm', 'all'],
      ['district', s.district_id],
      ['school', s.school_id],
    ] as const;
  for (const s of students) for (const [dimension, level] of placesOf(s)) tally(dimension, level, s.arm).students.add(s.student_id);
  for (const row of rows) {
    const student = byId.get(row.student_id);
    if (!student) throw new UsageError('countDeliveries', `student "${row.student_id}" of the send log is not one of the students given`);
    const wasSent = SENT.has(row.status);
    if (wasSent) sent.set(row.student_id, (sent.get(row.student_id) ?? 0) + 1);
    if (row.status === 'delivered') delivered.set(row.student_id, (delivered.get(row.student_id) ?? 0) + 1);
    const places = [...placesOf(student), ['mode', row.mode] as const, ['language', row.language ?? 'unknown'] as const];
    for (const [dimension, level] of places) {
      const t = tally(dimension, level, student.arm);
      if (dimension === 'mode' || dimension === 'language') t.students.add(row.student_id);
      if (wasSent) t.messaged.add(row.student_id);
      if (row.status === 'delivered') t.reached.add(row.student_id);
      t.messages++;
      t.statuses[row.status]++;
    }
  }
  const perStudent = [...students]
    .sort((a, b) => compareIds(a.student_id, b.student_id))
    .map((s) => ({
      student_id: s.student_id,
      arm: s.arm,
      messages_sent: sent.get(s.student_id) ?? 0,
      messages_delivered: delivered.get(s.student_id) ?? 0,
    }));
  const groups = [...tallies]
    .map(([key, t]) => {
      const [dimension, level, arm] = JSON.parse(key) as [DeliveryDimension, string, string];
      return {
        dimension,
        level,
        arm,
        students: t.students.size,
        students_messaged: t.messaged.size,
        students_reached: t.reached.size,
        messages: t.messages,
        statuses: t.statuses,
      };
    })
    .sort(
      (a, b) =>
        DELIVERY_DIMENSIONS.indexOf(a.dimension) - DELIVERY_DIMENSIONS.indexOf(b.dimension) ||
        compareIds(a.level, b.level) ||
        compareIds(a.arm, b.arm),
    );
  return {
    controlArm,
    perStudent,
    groups,
    contaminated: perStudent.filter((s) => s.arm === controlArm && s.messages_sent > 0),
    sendDates: [...new Set(rows.map((r) => r.send_date))].sort(),
    messages: rows.length,
  };
}

function zeroStatuses(): Record<DeliveryStatus, number> {
  return Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, 0])) as Record<DeliveryStatus, number>;
}
