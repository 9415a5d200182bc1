import type { CostEffectiveness, CostRatio, DeliveredEffect } from '../analysis/analysis-result.js';
import { formatCertainty, formatCount, formatNumber, formatPercent } from './format-figures.js';
import type { PublishedCount } from './suppress-small-cells.js';
import { suppressSmallCells } from './suppress-small-cells.js';

/** A count of students as a report prints it: null where it is about fewer than 10 students or would reveal one that is. */
export interface PublishedArm {
  readonly students: PublishedCount;
  readonly received: PublishedCount;
  /** Null with `received`: the share and the students would give it back. */
  readonly share_received: number | null;
}

/** The analysis's `delivered_effect` with its counts suppressed as every published count is. */
export type PublishedDeliveredEffect = Omit<DeliveredEffect, 'treatment' | 'control' | 'dose'> & {
  readonly treatment: PublishedArm;
  readonly control: PublishedArm;
  readonly dose: readonly (Omit<DeliveredEffect['dose'][number], 'students' | 'absence_rate'> & {
    readonly students: PublishedCount;
    readonly absence_rate: number | null;
  })[];
};

/**
 * The delivered effect's counts suppressed (`suppressSmallCells`): received and not
 * received by arm, with the arms' totals; the dose bins with their total. A share or a
 * rate beside a hidden count is hidden too.
 */
export function publishDeliveredCounts(d: DeliveredEffect): PublishedDeliveredEffect {
  const arms = suppressSmallCells({
    cells: [
      [d.treatment.received, d.treatment.students - d.treatment.received],
      [d.control.received, d.control.students - d.control.received],
    ],
    rowTotals: true,
    columnTotals: false,
  });
  const arm = (i: number, share: number): PublishedArm => ({
    students: arms.rowTotals[i],
    received: arms.cells[i][0],
    share_received: arms.cells[i][0] === null || arms.rowTotals[i] === null ? null : share,
  });
  const dose = suppressSmallCells({ cells: d.dose.map((b) => [b.students]), rowTotals: false, columnTotals: true });
  return {
    ...d,
    treatment: arm(0, d.treatment.share_received),
    control: arm(1, d.control.share_received),
    dose: d.dose.map((b, i) => ({ ...b, students: dose.cells[i][0], absence_rate: dose.cells[i][0] === null ? null : b.absence_rate })),
  };
}

/** The report's "when the messages arrived" section, as report.json holds it. */
export interface ReportDeliveredEffect {
  /** Whose figures: the network's (also in a district report) or a one-district study's. */
  readonly scope: 'network' | 'study';
  /** The analysis's `delivered_effect`, its counts suppressed (`publishDeliveredCounts`). */
  readonly delivered: PublishedDeliveredEffect;
  /** The figure in plain words, beside the assignment effect (which stays the headline). */
  readonly statement: string;
}

/** The report's costs section, as report.json holds it. */
export interface ReportCosts {
  readonly scope: 'network' | 'study';
  readonly costs: CostEffectiveness;
  readonly statement: string;
}

const money = (currency: string, value: number | null, digits = 2) =>
  value === null
    ? 'no upper bound'
    : `${currency}${value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

/**
 * The effect when delivered in plain words: how many were reached, the effect for them,
 * and the assumptions it rests on.
 *
 * @example
 * describeDeliveredEffect(delivered)
 * // "The messages reached the caregivers of 71% of the students sent them (at least 1 delivered). For those students, absences fell by about 4.5% ..."
 */
export function describeDeliveredEffect(delivered: DeliveredEffect | PublishedDeliveredEffect, whose?: string): string {
  const share = delivered.treatment.share_received;
  const reached = `The messages reached the caregivers of ${share === null ? 'some' : formatPercent(share, 0)} of the students sent them${whose ? ` ${whose}` : ''} (at least ${delivered.received_at_least} delivered).`;
  if (!delivered.estimable || !delivered.effect || !delivered.days_avoided_per_complier)
    return `${reached} No more of them than of the other students received messages, so the effect when delivered cannot be told apart.`;
  const e = delivered.effect;
  const direction = e.median >= 0 ? 'fell' : 'rose';
  return (
    `${reached} For those students, absences ${direction} by about ${formatPercent(Math.abs(e.median))} (likely range ${formatPercent(e.q05)} to ${formatPercent(e.q95)} fewer), ` +
    `about ${formatNumber(delivered.days_avoided_per_complier.median, 2)} days of school per student reached; we are ${formatCertainty(delivered.certainty?.['0'] ?? Number.NaN, delivered.certainty_mc_error?.['0'])} certain absences went down for them. ` +
    delivered.assumptions
  );
}

/**
 * The costs in plain words: the total, per student, and per day of school gained; and,
 * for costs given to the report rather than the analysis, that they were.
 */
export function describeCosts(costs: CostEffectiveness): string {
  const c = costs.currency;
  const perDay = costs.cost_per_day_gained;
  const chronic = costs.cost_per_student_no_longer_chronic;
  const givenToReport =
    costs.file?.given_to === 'report'
      ? ` These costs were given to the report (${costs.file.name}), not to the analysis; the figures use the analysis's estimates.`
      : '';
  // With no gain at the best estimate there is no cost per unit to state, only its best case.
  const perDaySentence =
    perDay.median === null
      ? `At the best estimate no days of school were gained, so there is no cost per day gained (at best ${money(c, perDay.q05)} a day)`
      : `Each day of school gained cost about ${money(c, perDay.median)} (likely range ${money(c, perDay.q05)} to ${money(c, perDay.q95)})`;
  const chronicClause = !chronic
    ? '.'
    : chronic.median === null
      ? `; and at the best estimate no fewer students were chronically absent, so there is no cost per student no longer chronically absent (at best ${money(c, chronic.q05, 0)} each).`
      : `, and each student no longer chronically absent about ${money(c, chronic.median, 0)} (likely range ${money(c, chronic.q05, 0)} to ${money(c, chronic.q95, 0)}).`;
  return (
    `The messages cost ${money(c, costs.total)} in all, ${money(c, costs.cost_per_student)} per student sent them. ` +
    perDaySentence +
    chronicClause +
    givenToReport
  );
}

/** Both sections' data from the analysis (each null when the analysis has none). */
export function buildDeliveredAndCosts(
  delivered: DeliveredEffect | undefined,
  costs: CostEffectiveness | undefined,
  network: boolean,
): { delivered_effect: ReportDeliveredEffect | null; costs: ReportCosts | null } {
  const scope = network ? ('network' as const) : ('study' as const);
  return {
    delivered_effect: delivered
      ? {
          scope,
          delivered: publishDeliveredCounts(delivered),
          statement: describeDeliveredEffect(publishDeliveredCounts(delivered), network ? 'across the network' : undefined),
        }
      : null,
    costs: costs ? { scope, costs, statement: describeCosts(costs) } : null,
  };
}

type Table = (head: readonly string[], rows: readonly (readonly string[])[], options?: { totalLast?: boolean }) => string;

const ratioRange = (c: string, r: CostRatio, digits: number) => `${money(c, r.q05, digits)} to ${money(c, r.q95, digits)}`;

/** Both sections as HTML (empty without either). `table` renders a table as the report does. */
export function renderDeliveredAndCosts(
  delivered: ReportDeliveredEffect | null,
  costs: ReportCosts | null,
  table: Table,
  escapeText: (text: string) => string,
): string {
  const parts: string[] = [];
  if (delivered) {
    const d = delivered.delivered;
    parts.push('<h3>When the messages arrived</h3>');
    parts.push(`<p>${escapeText(delivered.statement)}</p>`);
    if (d.dose.length > 0) {
      const label = (from: number, to: number | null) => (to === null ? `${from} or more` : from === to ? `${from}` : `${from} to ${to}`);
      parts.push(
        table(
          ['Messages delivered', 'Students sent the messages', 'Share of days missed'],
          [
            ...d.dose.map((b) => [label(b.delivered_from, b.delivered_to), formatCount(b.students), formatPercent(b.absence_rate)]),
            ['Students not sent the messages', formatCount(d.control.students), formatPercent(d.control_absence_rate)],
          ],
        ),
      );
      parts.push(
        '<p class="note">Descriptive only: students whose caregivers received more messages differ in other ways too (families easier to reach), so this table does not show what more messages would do.</p>',
      );
    }
  }
  if (costs) {
    const c = costs.costs;
    const cur = c.currency;
    parts.push('<h3>What it cost</h3>');
    parts.push(`<p>${escapeText(costs.statement)}</p>`);
    const rows = [
      ['In all', money(cur, c.total), '—'],
      ['Per student sent the messages', money(cur, c.cost_per_student), '—'],
      [
        'Days of school gained',
        formatNumber(c.days_gained.median, 0),
        `${formatNumber(c.days_gained.q05, 0)} to ${formatNumber(c.days_gained.q95, 0)}`,
      ],
      ['Per day of school gained', money(cur, c.cost_per_day_gained.median), ratioRange(cur, c.cost_per_day_gained, 2)],
    ];
    if (c.cost_per_student_no_longer_chronic)
      rows.push([
        'Per student no longer chronically absent',
        money(cur, c.cost_per_student_no_longer_chronic.median, 0),
        ratioRange(cur, c.cost_per_student_no_longer_chronic, 0),
      ]);
    parts.push(table(['', 'Best estimate', 'Likely range (90%)'], rows));
  }
  return parts.join('\n');
}
