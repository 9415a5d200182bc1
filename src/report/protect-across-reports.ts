import type { ReportData } from './report-data.js';
import type { ReportStudy } from './report-study.js';
import type { ArmCount, CategoryByArm, RateOverTime } from './summarize-study.js';
import type { PublishedCount } from './suppress-small-cells.js';
import { suppressSmallCells } from './suppress-small-cells.js';

const nulls = (values: readonly PublishedCount[]) => values.filter((v) => v === null).length;

/**
 * Reports written together (the network's and one per district, `--by district`) are read
 * together: a count hidden in one must not come back by subtracting the district reports
 * from the network's (a 7-student district's arm counts did). Counts that add up across the
 * reports are therefore suppressed once, jointly, as one table of districts by arm with
 * its row and column totals, and each report prints its part of that table: a district
 * report its row, the network report the whole. Covered: students analyzed by arm, and
 * students left out by arm. `reports[0]` is the network's; the others are districts'.
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
  // The charts' tables print the students analyzed per arm again (their arm totals), and a
  // column's cells add up to it: where the joint table hides a district's arm, that arm's
  // column is hidden in the district's charts and in the network's (the network's cells
  // would otherwise be the districts' added up, giving the hidden district's back).
  const hiddenArm = (counts: readonly PublishedCount[] | undefined) =>
    network.arms.map((_, c) => counts !== undefined && counts[c] === null);
  const rowsOf = ids.map((id) => analyzed?.rows.find((r) => r.district === id));
  const anyHidden = network.arms.map((_, c) => rowsOf.some((row) => row !== undefined && row.counts[c] === null));
  const districtReports = districts.map((data, d) => withCharts(districtPart(data, d), hiddenArm(rowsOf[d]?.counts)));
  // The monthly chart prints each period's students per arm, and the network's are the
  // districts' added up: a period-arm hidden in any district is hidden in the network's too.
  const hiddenInSomeDistrict = new Set(
    districtReports.flatMap((data) => (data.charts.absence_rate_over_time ?? []).filter((r) => r.students === null).map(periodArm)),
  );
  const networkReport = withCharts(withCounts(network, { ...network.tables, attrition: networkAttrition }), anyHidden);
  return [withRates(networkReport, (r) => hiddenInSomeDistrict.has(periodArm(r))), ...districtReports];

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

const periodArm = (r: RateOverTime) => `${r.period}|${r.arm}`;

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

/**
 * The report with the columns of the arms in `hide` suppressed in its tier and absence-distribution
 * tables, and in the students of its monthly chart (a period's students of an arm are most of the arm).
 */
function withCharts(data: ReportData, hide: readonly boolean[]): ReportData {
  if (!hide.some(Boolean)) return data;
  const withHiddenRates = withRates(data, (r) => hide[data.arms.indexOf(r.arm)] === true);
  let added = 0;
  const hideColumns = <T extends CategoryByArm | null>(table: T): T => {
    if (table === null) return table;
    const blank = (count: ArmCount, c: number): ArmCount => {
      if (!hide[c]) return count;
      if (count.students !== null) added++;
      return { arm: count.arm, students: null, share: null };
    };
    return {
      ...table,
      categories: table.categories.map((cat) => ({ ...cat, counts: cat.counts.map(blank) })),
      arm_totals: table.arm_totals.map(blank),
    } as T;
  };
  const charts = {
    ...withHiddenRates.charts,
    attendance_tiers: hideColumns(data.charts.attendance_tiers),
    absence_distribution: hideColumns(data.charts.absence_distribution),
  };
  const privacy = withHiddenRates.privacy;
  return { ...withHiddenRates, charts, privacy: { ...privacy, suppressed_cells: privacy.suppressed_cells + added } };
}

function countNulls(tables: ReportData['tables']): number {
  const t = tables.students_by_arm_and_district;
  const a = tables.attrition;
  return (
    (t ? t.rows.reduce((n, r) => n + nulls(r.counts) + (r.total === null ? 1 : 0), 0) + nulls(t.totals) + (t.total === null ? 1 : 0) : 0) +
    (a ? nulls(a.rows.map((r) => r.left_out)) + (a.total === null ? 1 : 0) : 0)
  );
}
