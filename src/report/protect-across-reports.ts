import type { CellForm } from './equation-span.js';
import { EquationSpan } from './equation-span.js';
import type { CountPlace, PublishedQuantity } from './published-counts.js';
import { listPublishedCounts } from './published-counts.js';
import type { ReportData } from './report-data.js';
import type { ReportStudy } from './report-study.js';
import type { RateOverTime } from './summarize-study.js';
import type { PublishedCount } from './suppress-small-cells.js';
import { suppressSmallCells } from './suppress-small-cells.js';

const nulls = (values: readonly PublishedCount[]) => values.filter((v) => v === null).length;

/**
 * Reports written together (the network's and one per district, `--by district`) are read
 * together: a count hidden in one must not come back from the others by arithmetic (a
 * 7-student district's arm counts did, as the network's minus the other districts'; so did
 * a tier cell one district hid on its own). Three steps:
 *
 * 1. Students analyzed and left out, by district and arm, are suppressed once, jointly, as
 *    one table with its row and column totals; a district report prints its row of it.
 * 2. Where that hides a district's arm, the arm's monthly counts of students enrolled are
 *    hidden in that district's report too: each is nearly the arm's count.
 * 3. Every count all the reports print is an equation over base cells (district x finest
 *    category x arm, see `listPublishedCounts`); a hidden count, or a base cell of fewer
 *    than ten students, is safe only when those equations do not determine it. While one
 *    is determined, the smallest printed count among those that give it away is hidden
 *    as well (in every report that prints it), and the check runs again.
 *
 * Figures are only ever hidden, never changed. `reports[0]` is the network's; the others
 * are districts'. Without the study's data (a report from analysis.json alone) only the
 * students analyzed are printed, and step 1 covers them.
 */
export function protectAcrossReports(reports: readonly ReportData[], study?: ReportStudy): ReportData[] {
  const [network, ...districts] = reports;
  if (districts.length === 0) return [...reports];
  const analyzed = network.tables.students_by_arm_and_district;
  const ids = districts.map((d) => d.scope.district!);
  // Left out by district and arm, from the students (a network report without the study's data has none per district).
  const leftOut = study
    ? suppressSmallCells({
        cells: ids.map((id) =>
          network.arms.map(
            (arm) => study.students.filter((s) => s.district === id && s.arm === arm && s.outcome.days_enrolled <= 0).length,
          ),
        ),
        rowTotals: true,
        columnTotals: true,
      })
    : undefined;
  const withCounts = (data: ReportData, tables: ReportData['tables']): ReportData => {
    const before = countNulls(data.tables);
    const after = countNulls(tables);
    return { ...data, tables, privacy: { ...data.privacy, suppressed_cells: data.privacy.suppressed_cells + after - before } };
  };
  const networkAttrition =
    leftOut && network.tables.attrition
      ? {
          rows: network.arms.map((arm, c) => ({ arm, left_out: leftOut.columnTotals[c] })),
          total: leftOut.total ?? null,
          suppressed: nulls(leftOut.columnTotals) + (leftOut.total === null ? 1 : 0),
        }
      : network.tables.attrition;
  // Step 2: a month's students of an arm are nearly the arm's count (not a sum of it, so
  // no equation of step 3 holds them): where the joint table hides a district's arm, its
  // monthly counts are hidden in that district's report; step 3 then protects them.
  const hiddenArm = (counts: readonly PublishedCount[] | undefined) =>
    network.arms.map((_, c) => counts !== undefined && counts[c] === null);
  const rowsOf = ids.map((id) => analyzed?.rows.find((r) => r.district === id));
  const districtReports = districts.map((data, d) => {
    const hide = hiddenArm(rowsOf[d]?.counts);
    return withRates(districtPart(data, d), (r) => hide[data.arms.indexOf(r.arm)] === true);
  });
  const jointly = [withCounts(network, { ...network.tables, attrition: networkAttrition }), ...districtReports];
  // Step 3.
  return study ? protectEveryCount(jointly, study) : jointly;

  // A district's report prints its row of the joint tables.
  function districtPart(data: ReportData, d: number): ReportData {
    const row = rowsOf[d];
    const byArm =
      analyzed && row
        ? {
            arms: analyzed.arms,
            rows: [row],
            totals: row.counts,
            total: row.total,
            suppressed: nulls(row.counts) * 2 + (row.total === null ? 2 : 0),
          }
        : data.tables.students_by_arm_and_district;
    const attrition =
      leftOut && data.tables.attrition
        ? {
            rows: network.arms.map((arm, c) => ({ arm, left_out: leftOut.cells[d][c] })),
            total: leftOut.rowTotals[d],
            suppressed: nulls(leftOut.cells[d]) + (leftOut.rowTotals[d] === null ? 1 : 0),
          }
        : data.tables.attrition;
    return withCounts(data, { ...data.tables, students_by_arm_and_district: byArm, attrition });
  }
}

/** The report with the students of the monthly chart's rows for which `hide` holds suppressed (the rates stay: they give no count). */
function withRates(data: ReportData, hide: (row: RateOverTime) => boolean): ReportData {
  const rows = data.charts.absence_rate_over_time;
  if (rows === null) return data;
  let added = 0;
  const absence_rate_over_time = rows.map((r) => {
    if (r.students === null || !hide(r)) return r;
    added++;
    return { ...r, students: null };
  });
  if (added === 0) return data;
  return {
    ...data,
    charts: { ...data.charts, absence_rate_over_time },
    privacy: { ...data.privacy, suppressed_cells: data.privacy.suppressed_cells + added },
  };
}

function countNulls(tables: ReportData['tables']): number {
  const t = tables.students_by_arm_and_district;
  const a = tables.attrition;
  return (
    (t ? t.rows.reduce((n, r) => n + nulls(r.counts) + (r.total === null ? 1 : 0), 0) + nulls(t.totals) + (t.total === null ? 1 : 0) : 0) +
    (a ? nulls(a.rows.map((r) => r.left_out)) + (a.total === null ? 1 : 0) : 0)
  );
}

/** Step 3: hides, besides what is hidden, enough printed counts that no hidden count and no base cell under ten is determined. */
function protectEveryCount(reports: readonly ReportData[], study: ReportStudy): ReportData[] {
  const { quantities, identities, smallGroups } = listPublishedCounts(reports, study);
  const forms: CellForm[] = quantities.map((q) => q.cells.map((c) => [c, 1] as const));
  const hidden = quantities.map((q) => q.hidden);
  const spanOfPrinted = () => new EquationSpan([...forms.map((f, i) => (hidden[i] ? undefined : f)), ...identities]);
  const secrets: CellForm[] = [...forms.filter((_, i) => hidden[i]), ...smallGroups.map((cells) => cells.map((c) => [c, 1] as const))];
  // Hiding only shrinks the span, so a secret once safe stays safe. A round checks every
  // secret against one span and hides one count for each secret given away, except where
  // what gives it away was hidden earlier in the round (the next round sees whether that
  // was enough); rounds repeat until none is given away. Each rebuild of the span is the
  // costly step, so one per round rather than one per count hidden.
  const safe: boolean[] = [];
  for (let hiding = true; hiding; ) {
    hiding = false;
    const span = spanOfPrinted();
    const hiddenThisRound = new Set<number>();
    for (let s = 0; s < secrets.length; s++) {
      if (safe[s]) continue;
      const givenBy = span.express(secrets[s]);
      if (givenBy === undefined) {
        safe[s] = true;
        continue;
      }
      if (givenBy.some((i) => hiddenThisRound.has(i))) continue;
      const printed = givenBy.filter((i) => i < quantities.length);
      // Identities alone never determine a count of students (each holds cells of both kinds).
      if (printed.length === 0) throw new Error('protectAcrossReports: a count is determined by identities alone');
      const next = printed.reduce((best, i) => (hidesBetter(quantities[i], quantities[best]) ? i : best));
      hidden[next] = true;
      hiddenThisRound.add(next);
      secrets.push(forms[next]);
      hiding = true;
    }
  }
  return hideQuantities(
    reports,
    quantities.filter((q, i) => hidden[i] && q.places.length > 0),
  );
}

/** The smallest count that is not 0 first (a hidden 0 would not hide another 0), then the smallest; ties keep the first. */
function hidesBetter(a: PublishedQuantity, b: PublishedQuantity): boolean {
  if ((a.value === 0) !== (b.value === 0)) return b.value === 0;
  return a.value < b.value;
}

/** The reports with every place of `quantities` hidden, and their counts of hidden cells raised to match. */
function hideQuantities(reports: readonly ReportData[], quantities: readonly PublishedQuantity[]): ReportData[] {
  const copies = reports.map((data) => structuredClone(data) as unknown as Node);
  const added = reports.map(() => 0);
  for (const place of quantities.flatMap((q) => q.places)) {
    if (hidePlace(copies[place.report], place)) added[place.report]++;
  }
  return copies.map((copy, r) => {
    const data = copy as unknown as ReportData;
    return { ...data, privacy: { ...data.privacy, suppressed_cells: data.privacy.suppressed_cells + added[r] } };
  });
}

/** A report's data as plain JSON, to hide numbers in a copy of it. */
type Node = Record<string | number, unknown>;
const at = (node: Node, path: readonly (string | number)[]): Node => path.reduce<Node>((n, key) => n[key] as Node, node);

/** Hides one place in a report's (copied) data; true when it was printed until now. */
function hidePlace(data: Node, place: CountPlace): boolean {
  if (place.kind === 'arm-total') {
    const table = at(data, ['charts', place.chart]);
    const totals = table.arm_totals as Node[];
    const was = totals[place.column].students !== null;
    totals[place.column] = { ...totals[place.column], students: null, share: null };
    // A share and its count would give the total back.
    for (const cat of table.categories as Node[]) {
      const counts = cat.counts as Node[];
      counts[place.column] = { ...counts[place.column], share: null };
    }
    if (was) bumpSuppressed(table);
    return was;
  }
  const parent = at(data, place.path.slice(0, -1));
  const key = place.path[place.path.length - 1];
  // The table whose own count of hidden cells goes up (a tier transition table is one per arm).
  const tablePath = place.path[0] === 'chronic_absence' ? place.path.slice(0, 3) : place.path.slice(0, 2);
  const table = place.path[0] === 'methods' || place.path[1] === 'absence_rate_over_time' ? undefined : at(data, tablePath);
  let was: boolean;
  if (place.kind === 'arm-count') {
    const count = parent[key] as Node;
    was = count.students !== null;
    parent[key] = { ...count, students: null, share: null };
  } else {
    was = parent[key] !== null;
    parent[key] = null;
  }
  if (was && table) bumpSuppressed(table);
  return was;
}

/** A table's own count of hidden cells, one more. */
function bumpSuppressed(table: Node): void {
  if (typeof table.suppressed === 'number') table.suppressed += 1;
}
