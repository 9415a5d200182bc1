import { ATTENDANCE_TIERS, attendanceTier, MERGED_ATTENDANCE_TIERS } from './attendance-tier.js';
import type { CellForm } from './equation-span.js';
import type { ReportData } from './report-data.js';
import type { ReportStudy } from './report-study.js';
import { wholeDaysAbsent } from './summarize-study.js';
import type { PublishedCount } from './suppress-small-cells.js';
import { SUPPRESSION_THRESHOLD } from './suppress-small-cells.js';

/** Last year's tier of a student, or `none` without a baseline (the tier transitions leave them out). */
const LAST_YEAR: readonly string[] = [...ATTENDANCE_TIERS.map((t) => t.tier), 'none'];

/**
 * Every count of students that the reports of one run print, each written as a sum over
 * base cells: the students of one district and arm in one finest category. The finest
 * categories are the attendance tiers split by last year's tier or none (each report's
 * merged tiers and its tier transitions are sums of them), the
 * days absent cut at every bin edge any report's distribution uses (each report's bins are
 * sums of those intervals), being left out of the analysis, and being enrolled in each
 * period of the monthly chart. A report of several districts prints sums over them.
 *
 * A count printed in several places (a district's analyzed students of an arm appear in
 * its table row, in the network's table, and as the arm totals of its two charts) is one
 * quantity with several places. A new table of counts in a report must be listed here, so
 * the protection across reports covers it.
 */

/** Where a count is printed in a report, and how to hide it there. */
export type CountPlace =
  /** A plain number at `path` inside the report's data (a table cell, a total, `methods.model.n`). */
  | { readonly report: number; readonly kind: 'number'; readonly path: readonly (string | number)[] }
  /** A chart table's cell `{ arm, students, share }` at `path` (its share goes with it). */
  | { readonly report: number; readonly kind: 'arm-count'; readonly path: readonly (string | number)[] }
  /** A chart table's arm total, column `column` (every share of that column goes with it: a share and its count give the total). */
  | {
      readonly report: number;
      readonly kind: 'arm-total';
      readonly chart: 'attendance_tiers' | 'absence_distribution';
      readonly column: number;
    };

export interface PublishedQuantity {
  /** The base cells it adds up (each once). */
  readonly cells: readonly number[];
  /** Its true value, from the students. */
  readonly value: number;
  /** Whether any report hides it. */
  readonly hidden: boolean;
  readonly places: readonly CountPlace[];
}

export interface PublishedCounts {
  /**
   * Groups of base cells with fewer than ten students that must not be worked out, printed
   * or not: each base cell, and each district-arm's tier (whatever last year's tier).
   */
  readonly smallGroups: readonly (readonly number[])[];
  /** What each base cell is, for messages: "tier D07 treatment extreme after none". */
  readonly cellNames: readonly string[];
  readonly quantities: readonly PublishedQuantity[];
  /** What any reader knows without a report: a district-arm's students add up the same by tier and by days absent. */
  readonly identities: readonly CellForm[];
}

/**
 * The counts printed by `reports` (`reports[0]` the network's, the others one district's
 * each) over the base cells of `study`.
 */
export function listPublishedCounts(reports: readonly ReportData[], study: ReportStudy): PublishedCounts {
  const network = reports[0];
  const districts = network.tables.students_by_arm_and_district?.rows.map((r) => r.district) ?? [];
  const arms = network.arms;
  const periods = study.periods.map((p) => p.label);
  // The finest intervals of days absent: every bin edge of every report.
  const edges = new Set<number>([0]);
  for (const data of reports) {
    const dist = data.charts.absence_distribution;
    if (dist) dist.categories.forEach((_, k) => edges.add(k * dist.bin_width));
  }
  const cuts = [...edges].sort((a, b) => a - b);

  const names: string[] = [];
  const ids = new Map<string, number>();
  const cell = (name: string) => {
    let id = ids.get(name);
    if (id === undefined) {
      id = names.length;
      ids.set(name, id);
      names.push(name);
    }
    return id;
  };
  // A tier cell is split by last year's tier (or none), which the tier transitions print.
  const transitionCell = (d: string, a: string, tier: string, last: string) => cell(`tier ${d} ${a} ${tier} after ${last}`);
  const tierCells = (d: string, a: string, tier: string) => LAST_YEAR.map((last) => transitionCell(d, a, tier, last));
  const daysCell = (d: string, a: string, from: number) => cell(`days ${d} ${a} ${from}+`);
  const leftOutCell = (d: string, a: string) => cell(`left out ${d} ${a}`);
  const monthCell = (p: string, d: string, a: string) => cell(`enrolled in ${p} ${d} ${a}`);
  for (const d of districts)
    for (const a of arms) {
      for (const t of ATTENDANCE_TIERS) tierCells(d, a, t.tier);
      for (const c of cuts) daysCell(d, a, c);
      leftOutCell(d, a);
      for (const p of periods) monthCell(p, d, a);
    }
  const values: number[] = names.map(() => 0);
  for (const s of study.students) {
    if (!districts.includes(s.district) || !arms.includes(s.arm)) continue;
    study.periods.forEach((p, i) => {
      if ((s.periods[i]?.days_enrolled ?? 0) > 0) values[monthCell(p.label, s.district, s.arm)]++;
    });
    if (s.outcome.days_enrolled <= 0) {
      values[leftOutCell(s.district, s.arm)]++;
      continue;
    }
    const baseline = s.baseline;
    const last = baseline && baseline.days_enrolled > 0 ? attendanceTier(baseline.days_absent, baseline.days_enrolled) : 'none';
    values[transitionCell(s.district, s.arm, attendanceTier(s.outcome.days_absent, s.outcome.days_enrolled), last)]++;
    const days = wholeDaysAbsent(s);
    values[daysCell(s.district, s.arm, cuts.filter((c) => c <= days).at(-1)!)]++;
  }

  const analyzed = (ds: readonly string[], as: readonly string[]) =>
    ds.flatMap((d) => as.flatMap((a) => ATTENDANCE_TIERS.flatMap((t) => tierCells(d, a, t.tier))));
  const byKey = new Map<string, { cells: number[]; hidden: boolean; places: CountPlace[] }>();
  const add = (cells: number[], count: PublishedCount | undefined, place: CountPlace) => {
    if (count === undefined) return;
    const sorted = [...new Set(cells)].sort((x, y) => x - y);
    const key = sorted.join(',');
    const quantity = byKey.get(key) ?? { cells: sorted, hidden: false, places: [] };
    byKey.set(key, quantity);
    quantity.hidden ||= count === null;
    quantity.places.push(place);
  };

  reports.forEach((data, r) => {
    const scope = data.scope.kind === 'district' && data.scope.district !== undefined ? [data.scope.district] : districts;
    const byArm = data.tables.students_by_arm_and_district;
    if (byArm) {
      const path = ['tables', 'students_by_arm_and_district'];
      byArm.rows.forEach((row, i) => {
        row.counts.forEach((n, c) =>
          add(analyzed([row.district], [arms[c]]), n, { report: r, kind: 'number', path: [...path, 'rows', i, 'counts', c] }),
        );
        add(analyzed([row.district], arms), row.total, { report: r, kind: 'number', path: [...path, 'rows', i, 'total'] });
      });
      byArm.totals.forEach((n, c) => add(analyzed(scope, [arms[c]]), n, { report: r, kind: 'number', path: [...path, 'totals', c] }));
      add(analyzed(scope, arms), byArm.total, { report: r, kind: 'number', path: [...path, 'total'] });
    }
    add(analyzed(districts, arms), data.methods.model.n, { report: r, kind: 'number', path: ['methods', 'model', 'n'] });
    const attrition = data.tables.attrition;
    if (attrition) {
      const path = ['tables', 'attrition'];
      attrition.rows.forEach((row, i) =>
        add(
          scope.map((d) => leftOutCell(d, row.arm)),
          row.left_out,
          { report: r, kind: 'number', path: [...path, 'rows', i, 'left_out'] },
        ),
      );
      add(
        scope.flatMap((d) => arms.map((a) => leftOutCell(d, a))),
        attrition.total,
        { report: r, kind: 'number', path: [...path, 'total'] },
      );
    }
    const tiers = data.charts.attendance_tiers;
    if (tiers) {
      tiers.categories.forEach((cat, k) => {
        const merged = MERGED_ATTENDANCE_TIERS.find((m) => m.tier === cat.category);
        const members: readonly string[] = merged ? merged.merges : [cat.category];
        cat.counts.forEach((n, c) =>
          add(
            scope.flatMap((d) => members.flatMap((t) => tierCells(d, arms[c], t))),
            n.students,
            { report: r, kind: 'arm-count', path: ['charts', 'attendance_tiers', 'categories', k, 'counts', c] },
          ),
        );
      });
      tiers.arm_totals.forEach((n, c) =>
        add(analyzed(scope, [arms[c]]), n.students, { report: r, kind: 'arm-total', chart: 'attendance_tiers', column: c }),
      );
    }
    const dist = data.charts.absence_distribution;
    if (dist) {
      dist.categories.forEach((cat, k) => {
        const last = k === dist.categories.length - 1;
        const from = k * dist.bin_width;
        const inBin = cuts.filter((c) => c >= from && (last || c < from + dist.bin_width));
        cat.counts.forEach((n, c) =>
          add(
            scope.flatMap((d) => inBin.map((x) => daysCell(d, arms[c], x))),
            n.students,
            { report: r, kind: 'arm-count', path: ['charts', 'absence_distribution', 'categories', k, 'counts', c] },
          ),
        );
      });
      dist.arm_totals.forEach((n, c) =>
        add(analyzed(scope, [arms[c]]), n.students, { report: r, kind: 'arm-total', chart: 'absence_distribution', column: c }),
      );
    }
    // Last year's tier by this year's, per arm, of the students with a baseline.
    data.chronic_absence?.transitions?.forEach((table, i) => {
      const path = ['chronic_absence', 'transitions', i];
      const a = table.arm;
      const cellsOf = (lasts: readonly string[], tiers: readonly string[]) =>
        scope.flatMap((d) => tiers.flatMap((t) => lasts.map((l) => transitionCell(d, a, t, l))));
      table.tiers.forEach((l, row) => {
        table.tiers.forEach((t, col) =>
          add(cellsOf([l], [t]), table.cells[row][col], { report: r, kind: 'number', path: [...path, 'cells', row, col] }),
        );
        add(cellsOf([l], table.tiers), table.last_year_totals[row], {
          report: r,
          kind: 'number',
          path: [...path, 'last_year_totals', row],
        });
      });
      table.tiers.forEach((t, col) =>
        add(cellsOf(table.tiers, [t]), table.this_year_totals[col], {
          report: r,
          kind: 'number',
          path: [...path, 'this_year_totals', col],
        }),
      );
      add(cellsOf(table.tiers, table.tiers), table.total, { report: r, kind: 'number', path: [...path, 'total'] });
    });
    data.charts.absence_rate_over_time?.forEach((row, i) => {
      if (!periods.includes(row.period)) return;
      add(
        scope.map((d) => monthCell(row.period, d, row.arm)),
        row.students,
        { report: r, kind: 'number', path: ['charts', 'absence_rate_over_time', i, 'students'] },
      );
    });
  });

  const identities: CellForm[] = districts.flatMap((d) =>
    arms.map((a) => [
      ...ATTENDANCE_TIERS.flatMap((t) => tierCells(d, a, t.tier).map((id) => [id, 1] as const)),
      ...cuts.map((c) => [daysCell(d, a, c), -1] as const),
    ]),
  );
  const countOf = (cells: readonly number[]) => cells.reduce((n, id) => n + (values[id] ?? 0), 0);
  const quantities = [...byKey.values()].map((q) => ({ ...q, value: countOf(q.cells) }));
  // Besides each base cell, a district-arm's tier whatever last year's (a tier a report merged away).
  const tierSums = districts.flatMap((d) => arms.flatMap((a) => ATTENDANCE_TIERS.map((t) => tierCells(d, a, t.tier))));
  const smallGroups = [...names.map((_, id) => [id]), ...tierSums].filter((cells) => countOf(cells) < SUPPRESSION_THRESHOLD);
  return { quantities, identities, smallGroups, cellNames: names };
}
