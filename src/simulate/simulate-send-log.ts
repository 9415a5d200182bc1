import { compareStudentIds } from '../data/compare-student-ids.js';
import type { DeliveryStatus, SendLogRow } from '../data/read-send-log.js';
import { UsageError } from '../errors.js';
import { deriveRng } from '../random.js';
import type { MessageMode } from '../types.js';
import { MESSAGE_MODES } from '../types.js';

/** A student as the simulated messaging system sees them: their arm, and how and in what language it writes. */
export interface SendLogStudent {
  readonly student_id: string;
  readonly arm: string;
  readonly mode: MessageMode;
  readonly language?: string;
}

export interface SimulateSendLogOptions {
  readonly students: readonly SendLogStudent[];
  /** The days of the sends (ISO dates): every treated student gets one message on each. */
  readonly sendDates: readonly string[];
  /**
   * The compliance rate by mode: the share of treated students whose caregivers can be
   * reached that way at all (a working number, address or inbox, not opted out). Modes
   * not given are reached with probability 1.
   */
  readonly reachable: Readonly<Partial<Record<MessageMode, number>>>;
  /** The chance each message to a reachable caregiver is delivered (default 0.95): carriers and inboxes fail now and then. */
  readonly deliveredWhenReachable?: number;
  /** The arm that is never messaged (default `control`); every other arm is. */
  readonly controlArm?: string;
  /** The share of control students messaged once by mistake, on the first send (contamination; default 0). */
  readonly contamination?: number;
  /** A student "received" the messages with at least this many delivered (default 1). */
  readonly receivedAtLeast?: number;
  readonly seed: number | string;
}

export interface SimulatedSendLog {
  /** One row per message in the generic layout, by send date, then student id. */
  readonly rows: readonly SendLogRow[];
  /** The treated students whose caregivers received the messages (at least `receivedAtLeast` delivered): the compliers. */
  readonly received: ReadonlySet<string>;
  /** Messages delivered to each student's caregivers (every student of `students`, 0 included). */
  readonly delivered: ReadonlyMap<string, number>;
  /** The control students messaged by mistake. */
  readonly contaminated: ReadonlySet<string>;
}

/**
 * Compliance rates by mode for a simulated study when none are given: the shares of
 * caregivers reachable by text, email, robocall and letter that the fixture study's send
 * log was made with (fixtures/README.md), lower for calls and email as districts report.
 */
export const DEFAULT_REACHABLE: Readonly<Record<MessageMode, number>> = { text: 0.92, email: 0.8, robocall: 0.7, letter: 0.95 };

/** Among unreachable caregivers, the share who opted out (the rest have a contact that fails). */
const OPTED_OUT_SHARE = 0.2;

/**
 * A messaging system's send log for a study with a known truth: which caregivers could
 * be reached (a compliance rate that differs by mode, so the complier effect differs
 * from the assignment effect), what became of each message, and who was contaminated.
 * A reachable caregiver's message is delivered with `deliveredWhenReachable`, else it
 * failed (an email bounced); an unreachable one's every message failed, bounced (email,
 * a letter returned) or, for one in five, was refused as opted out.
 *
 * Students are taken in id order from one seeded stream, so the input's row order never
 * changes the log.
 *
 * @example
 * simulateSendLog({ students: [{ student_id: 'S1', arm: 'treatment', mode: 'text' }],
 *   sendDates: ['2025-09-08'], reachable: { text: 1 }, deliveredWhenReachable: 1, seed: 1 }).rows
 * // [{ student_id: 'S1', send_date: '2025-09-08', mode: 'text', status: 'delivered' }]
 */
export function simulateSendLog(options: SimulateSendLogOptions): SimulatedSendLog {
  const { students, sendDates, reachable, seed } = options;
  const whenReachable = options.deliveredWhenReachable ?? 0.95;
  const controlArm = options.controlArm ?? 'control';
  const contamination = options.contamination ?? 0;
  const atLeast = options.receivedAtLeast ?? 1;
  checkShare('deliveredWhenReachable', whenReachable);
  checkShare('contamination', contamination);
  for (const mode of MESSAGE_MODES) checkShare(`reachable.${mode}`, reachable[mode] ?? 1);
  if (!Number.isInteger(atLeast) || atLeast < 1)
    throw new UsageError('simulateSendLog', `receivedAtLeast must be a whole number >= 1, got ${atLeast}`);
  const dates = [...new Set(sendDates)].sort();
  const rng = deriveRng(seed, 'send-log');
  const messages: SendLogRow[] = [];
  const received = new Set<string>();
  const delivered = new Map<string, number>();
  const contaminated = new Set<string>();
  for (const student of [...students].sort(compareStudentIds)) {
    const { student_id, mode } = student;
    const language = student.language ? { language: student.language } : {};
    let count = 0;
    // Three draws for every student whatever their arm: contamination changed never shifts who is reachable.
    const canReach = rng() < (reachable[mode] ?? 1);
    const optedOut = rng() < OPTED_OUT_SHARE;
    const messaged = rng() < contamination;
    if (student.arm === controlArm) {
      if (messaged && dates.length > 0) {
        contaminated.add(student_id);
        const status: DeliveryStatus = canReach ? 'delivered' : unreachableStatus(mode, optedOut);
        if (status === 'delivered') count++;
        messages.push({ student_id, send_date: dates[0], mode, status, ...language });
      }
    } else {
      for (const send_date of dates) {
        const arrives = rng() < whenReachable;
        const status: DeliveryStatus = !canReach
          ? unreachableStatus(mode, optedOut)
          : arrives
            ? 'delivered'
            : mode === 'email'
              ? 'bounced'
              : 'failed';
        if (status === 'delivered') count++;
        messages.push({ student_id, send_date, mode, status, ...language });
      }
      if (count >= atLeast) received.add(student_id);
    }
    delivered.set(student_id, count);
  }
  messages.sort((a, b) => (a.send_date < b.send_date ? -1 : a.send_date > b.send_date ? 1 : compareStudentIds(a, b)));
  return { rows: messages, received, delivered, contaminated };
}

/** What a message to a caregiver who cannot be reached this way comes back as. */
function unreachableStatus(mode: MessageMode, optedOut: boolean): DeliveryStatus {
  if (optedOut && mode !== 'letter') return 'opted_out';
  return mode === 'email' || mode === 'letter' ? 'bounced' : 'failed';
}

function checkShare(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) throw new UsageError('simulateSendLog', `${name} must be a share from 0 to 1, got ${value}`);
}
