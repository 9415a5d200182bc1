import type { ChronicAbsence, PosteriorSummary } from '../analysis/analysis-result.js';
import { ATTENDANCE_TIERS, attendanceTier } from './attendance-tier.js';
import { formatCertainty, formatCount, formatNumber, formatPercent } from './format-figures.js';
import type { StudyStudent } from './report-study.js';
import type { PublishedCount } from './suppress-small-cells.js';
import { suppressSmallCells } from './suppress-small-cells.js';

/**
 * Students of one arm by last year's attendance tier (rows) and this year's (columns),
 * suppressed as every published count is: cells, row totals (last year's tiers), column
 * totals (this year's) and the grand total.
 */
export interface TierTransitions {
  readonly arm: string;
  /** Tier ids, in `ATTENDANCE_TIERS` order: the rows and the columns. */
  readonly tiers: readonly string[];
  readonly cells: readonly (readonly PublishedCount[])[];
  readonly last_year_totals: readonly PublishedCount[];
  readonly this_year_totals: readonly PublishedCount[];
  readonly total: PublishedCount;
  readonly suppressed: number;
}

/** The report's chronic-absence section, as report.json holds it. */
export interface ReportChronicAbsence {
  /** Whose estimate it is: the network's (also in a district report) or a one-district study's. */
  readonly scope: 'network' | 'study';
  /** From analysis.json; null for an analysis made before it was recorded. */
  readonly estimate: ChronicAbsence | null;
  /** The estimate in one plain paragraph (null without one). */
  readonly statement: string | null;
  /** Last year's tier by this year's, one table per arm; null without the study's data or without baselines. */
  readonly transitions: readonly TierTransitions[] | null;
}

/**
 * Students enrolled in the outcome window with a baseline (last year's days enrolled > 0),
 * by last year's tier and this year's, for each arm, each table suppressed
 * (`suppressSmallCells` with row and column totals).
 */
export function countTierTransitions(students: readonly StudyStudent[], arms: readonly string[]): TierTransitions[] | null {
  const counted = students.filter((s) => s.outcome.days_enrolled > 0 && (s.baseline?.days_enrolled ?? 0) > 0);
  if (counted.length === 0) return null;
  const index = new Map(ATTENDANCE_TIERS.map((t, i) => [t.tier as string, i]));
  return arms.map((arm) => {
    const cells = ATTENDANCE_TIERS.map(() => ATTENDANCE_TIERS.map(() => 0));
    for (const s of counted) {
      if (s.arm !== arm) continue;
      const before = index.get(attendanceTier(s.baseline!.days_absent, s.baseline!.days_enrolled))!;
      const now = index.get(attendanceTier(s.outcome.days_absent, s.outcome.days_enrolled))!;
      cells[before][now]++;
    }
    const table = suppressSmallCells({ cells, rowTotals: true, columnTotals: true });
    return {
      arm,
      tiers: ATTENDANCE_TIERS.map((t) => t.tier),
      cells: table.cells,
      last_year_totals: table.rowTotals,
      this_year_totals: table.columnTotals,
      total: table.total ?? null,
      suppressed: table.suppressed,
    };
  });
}

/** Percentage points in words: -1.23 -> "1.2 percentage points fewer". */
function pointsInWords(points: number): string {
  const size = formatNumber(Math.abs(points), 1);
  if (Number(size) === 0) return 'no change in the share';
  return `${size} percentage points ${points < 0 ? 'fewer' : 'more'}`;
}

/**
 * The chronic-absence estimate in plain words: each arm's share, the difference and its
 * likely range, per 1,000 students, and how sure we are it fell (with its Monte Carlo error).
 *
 * @example
 * describeChronicAbsence(estimate, 'across the network')
 * // "Across the network, were every student sent the messages, an estimated 18.2% would be chronically absent ..."
 */
export function describeChronicAbsence(estimate: ChronicAbsence, whose?: string): string {
  const d = estimate.difference_points;
  const per1000 = Math.round(estimate.fewer_per_1000.median);
  const perThousand =
    per1000 === 0
      ? 'about no students per 1,000'
      : `about ${formatCount(Math.abs(per1000))} ${per1000 > 0 ? 'fewer' : 'more'} students per 1,000`;
  const opening = whose ? `${whose.charAt(0).toUpperCase()}${whose.slice(1)}, were` : 'Were';
  return (
    `${opening} every student sent the messages, an estimated ${formatPercent(estimate.share_treatment.median)} would be chronically absent (missing 10% or more of their school days), against ${formatPercent(estimate.share_control.median)} were none: ` +
    `${pointsInWords(d.median)} (likely range ${pointsInWords(d.q05)} to ${pointsInWords(d.q95)}), ${perThousand} chronically absent. ` +
    `We are ${formatCertainty(estimate.certainty_fell, estimate.certainty_fell_mc_error)} certain chronic absence went down.`
  );
}

/** The section's data: the analysis's estimate, its statement, and the tier tables of `students`. */
export function buildChronicAbsenceSection(
  estimate: ChronicAbsence | undefined,
  network: boolean,
  students: readonly StudyStudent[] | undefined,
  arms: readonly string[],
): ReportChronicAbsence {
  const scope = network ? ('network' as const) : ('study' as const);
  return {
    scope,
    estimate: estimate ?? null,
    statement: estimate ? describeChronicAbsence(estimate, network ? 'across the network' : undefined) : null,
    transitions: students ? countTierTransitions(students, arms) : null,
  };
}

/** An interval of a share in percent, "17.1% to 19.0%". */
function shareRange(s: PosteriorSummary): string {
  return `${formatPercent(s.q05)} to ${formatPercent(s.q95)}`;
}

/** The section as HTML: the statement, the estimate's table, and one tier table per arm. `table` renders a table as the report does. */
export function renderChronicAbsenceSection(
  section: ReportChronicAbsence,
  table: (head: readonly string[], rows: readonly (readonly string[])[], options?: { totalLast?: boolean }) => string,
  escapeText: (text: string) => string,
): string {
  if (!section.estimate && !section.transitions) return '';
  const parts = ['<h3>Chronic absence</h3>'];
  const est = section.estimate;
  if (est && section.statement) {
    parts.push(`<p>${escapeText(section.statement)}</p>`);
    const points = (v: number) => `${formatNumber(v, 1)} points`;
    parts.push(
      table(
        ['', 'Chronically absent (best estimate)', 'Likely range (90%)'],
        [
          ['Were none sent the messages', formatPercent(est.share_control.median), shareRange(est.share_control)],
          ['Were all sent the messages', formatPercent(est.share_treatment.median), shareRange(est.share_treatment)],
          [
            'Difference',
            points(est.difference_points.median),
            `${points(est.difference_points.q05)} to ${points(est.difference_points.q95)}`,
          ],
          [
            'Fewer chronically absent per 1,000 students',
            formatNumber(est.fewer_per_1000.median, 0),
            `${formatNumber(est.fewer_per_1000.q05, 0)} to ${formatNumber(est.fewer_per_1000.q95, 0)}`,
          ],
        ],
      ),
    );
    parts.push(
      `<p class="note">Estimated from the model over the students in the analysis${section.scope === 'network' ? ' across the network' : ''}: the share expected to miss 10% or more of their enrolled days in the outcome window with and without the messages.</p>`,
    );
  }
  if (section.transitions) {
    const labels = ATTENDANCE_TIERS.map((t) => t.short);
    for (const t of section.transitions) {
      parts.push(`<h4>${escapeText(t.arm)}: last year's tier by this year's</h4>`);
      const rows = t.cells.map((row, r) => [
        `Last year ${escapeText(labels[r])}`,
        ...row.map((n) => formatCount(n)),
        formatCount(t.last_year_totals[r]),
      ]);
      rows.push(['All', ...t.this_year_totals.map((n) => formatCount(n)), formatCount(t.total)]);
      parts.push(table(['', ...labels.map((l) => `This year ${escapeText(l)}`), 'All'], rows, { totalLast: true }));
    }
    parts.push(
      '<p class="note">Students enrolled in the outcome window who have a record for last year, by the share of days they missed (Attendance Works\' tiers). "suppressed": fewer than 10 students, or a cell that would let one be worked out.</p>',
    );
  }
  return parts.join('\n');
}
