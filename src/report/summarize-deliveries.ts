import type { DeliveryStatus } from '../data/read-send-log.js';
import { DELIVERY_STATUSES } from '../data/read-send-log.js';
import { formatTable } from '../io/format-table.js';
import { formatCsv } from '../io/write-csv.js';
import type { DeliveryCounts, DeliveryDimension, DeliveryGroup } from '../messages/count-deliveries.js';
import { DELIVERY_DIMENSIONS } from '../messages/count-deliveries.js';
import type { PublishedCount } from './suppress-small-cells.js';
import { SUPPRESSION_THRESHOLD, suppressSmallCells } from './suppress-small-cells.js';

/** One published line of delivery rates: a group's counts, every one `null` where the group is suppressed. */
export interface DeliveryRate {
  readonly dimension: DeliveryDimension;
  readonly level: string;
  readonly arm: string;
  readonly students: PublishedCount;
  readonly students_messaged: PublishedCount;
  readonly students_reached: PublishedCount;
  readonly messages: PublishedCount;
  readonly delivered: PublishedCount;
  readonly failed: PublishedCount;
  readonly bounced: PublishedCount;
  readonly opted_out: PublishedCount;
  readonly not_sent: PublishedCount;
  /** Messages delivered of those in the log. */
  readonly delivery_rate: number | null;
  /** Students with a message delivered of the group's students. */
  readonly reached_rate: number | null;
  readonly suppressed: boolean;
}

/** The summary `pilot deliveries` writes as `deliveries.json`: no student is named in it. */
export interface DeliverySummary {
  readonly control_arm: string;
  readonly send_dates: readonly string[];
  readonly messages: number;
  /** Groups of fewer students than this are suppressed (with those that would reveal them). */
  readonly suppression_threshold: number;
  readonly rates: readonly DeliveryRate[];
  /**
   * Control students with a message sent to them (named only in the private
   * contamination.csv): every figure `null` when from 1 to `threshold - 1` students
   * (`suppressed`); 0 is shown, since it says only what the design meant.
   */
  readonly contamination: {
    readonly students: number | null;
    readonly share_of_control: number | null;
    readonly messages_sent: number | null;
    readonly messages_delivered: number | null;
    readonly suppressed: boolean;
  };
}

/**
 * Delivery rates fit to publish: for each dimension, a group of fewer than `threshold`
 * students is hidden whole, and so are the groups that would give it away by subtraction
 * from its arm's total (the complementary suppression of `suppressSmallCells`, on the
 * table of each dimension's levels by arm with the arm totals published). The arm totals
 * themselves are suppressed by the same rule. Within a published group, a count of
 * students messaged or reached is hidden too when it, or the group's students without it,
 * number from 1 to `threshold - 1` (3 of 400 not reached is three students). Counts of
 * messages are not counts of students and stay. Contamination under `threshold` students
 * is hidden the same way; the private contamination.csv names them.
 */
export function summarizeDeliveries(counts: DeliveryCounts, threshold: number = SUPPRESSION_THRESHOLD): DeliverySummary {
  const arms = [...new Set(counts.groups.map((g) => g.arm))].sort();
  const rates: DeliveryRate[] = [];
  for (const dimension of DELIVERY_DIMENSIONS) {
    const groups = counts.groups.filter((g) => g.dimension === dimension);
    const levels = [...new Set(groups.map((g) => g.level))];
    const find = (level: string, arm: string) => groups.find((g) => g.level === level && g.arm === arm);
    const cells = levels.map((level) => arms.map((arm) => find(level, arm)?.students ?? 0));
    const published = suppressSmallCells({ cells, rowTotals: false, columnTotals: dimension !== 'arm' }, threshold).cells;
    levels.forEach((level, r) => {
      arms.forEach((arm, c) => {
        const group = find(level, arm);
        if (group) rates.push(rateOf(group, published[r][c] === null, threshold));
      });
    });
  }
  const control = counts.perStudent.filter((s) => s.arm === counts.controlArm).length;
  return {
    control_arm: counts.controlArm,
    send_dates: counts.sendDates,
    messages: counts.messages,
    suppression_threshold: threshold,
    rates,
    contamination: contaminationOf(counts, control, threshold),
  };
}

function contaminationOf(counts: DeliveryCounts, control: number, threshold: number): DeliverySummary['contamination'] {
  const n = counts.contaminated.length;
  if (n > 0 && n < threshold)
    return { students: null, share_of_control: null, messages_sent: null, messages_delivered: null, suppressed: true };
  return {
    students: n,
    share_of_control: control === 0 ? null : round(n / control),
    messages_sent: counts.contaminated.reduce((sum, s) => sum + s.messages_sent, 0),
    messages_delivered: counts.contaminated.reduce((sum, s) => sum + s.messages_delivered, 0),
    suppressed: false,
  };
}

/** Whether a count of a group's students with some property, or of those without it, is small enough to point at a few students. */
function isSmall(count: number, of: number, threshold: number): boolean {
  return (count > 0 && count < threshold) || (of - count > 0 && of - count < threshold);
}

function rateOf(group: DeliveryGroup, hidden: boolean, threshold: number): DeliveryRate {
  const shown = (n: number) => (hidden ? null : n);
  const status = (name: DeliveryStatus) => shown(group.statuses[name]);
  const studentCount = (n: number) => (hidden || isSmall(n, group.students, threshold) ? null : n);
  const reached = studentCount(group.students_reached);
  return {
    dimension: group.dimension,
    level: group.level,
    arm: group.arm,
    students: shown(group.students),
    students_messaged: studentCount(group.students_messaged),
    students_reached: reached,
    messages: shown(group.messages),
    delivered: status('delivered'),
    failed: status('failed'),
    bounced: status('bounced'),
    opted_out: status('opted_out'),
    not_sent: status('not_sent'),
    delivery_rate: hidden || group.messages === 0 ? null : round(group.statuses.delivered / group.messages),
    reached_rate: reached === null || group.students === 0 ? null : round(reached / group.students),
    suppressed: hidden,
  };
}

/** Rates to 4 decimals: a share of a few thousand messages has no more real digits. */
function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export const DELIVERY_RATE_COLUMNS = [
  'dimension',
  'level',
  'arm',
  'students',
  'students_messaged',
  'students_reached',
  'messages',
  ...DELIVERY_STATUSES,
  'delivery_rate',
  'reached_rate',
  'suppressed',
] as const;

/** `delivery-rates.csv`: one line per group, a suppressed group's counts blank. */
export function formatDeliveryRatesCsv(rates: readonly DeliveryRate[]): string {
  return formatCsv(
    DELIVERY_RATE_COLUMNS,
    rates.map((rate) => DELIVERY_RATE_COLUMNS.map((column) => rate[column])),
  );
}

/** The summary a user reads: the rates by arm and by mode, and the contamination count. */
export function formatDeliverySummary(summary: DeliverySummary): string {
  const percent = (x: number | null) => (x === null ? '-' : `${(100 * x).toFixed(1)}%`);
  const count = (n: number | null) => (n === null ? '-' : n.toLocaleString('en-US'));
  const lines = summary.rates.filter((r) => r.dimension === 'arm' || r.dimension === 'mode');
  const c = summary.contamination;
  return [
    `${summary.messages.toLocaleString('en-US')} messages on ${summary.send_dates.length} send date(s); groups under ${summary.suppression_threshold} students hidden (-).`,
    formatTable(
      ['by', 'level', 'arm', 'students', 'reached', 'messages', 'delivered', 'rate'],
      lines.map((r) => [
        r.dimension,
        r.level,
        r.arm,
        count(r.students),
        percent(r.reached_rate),
        count(r.messages),
        count(r.delivered),
        percent(r.delivery_rate),
      ]),
    ),
    c.suppressed
      ? `Contamination: fewer than ${summary.suppression_threshold} ${summary.control_arm} students messaged (named in contamination.csv).`
      : `Contamination: ${c.students} ${summary.control_arm} student(s) messaged (${percent(c.share_of_control)} of the arm), ${c.messages_delivered} message(s) delivered.`,
  ].join('\n');
}
