import type { ReportData } from './report-data.js';
import type { ReportStudy } from './report-study.js';
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
    ? suppressSmallCells({ cells: ids.map((id) => network.arms.map((arm) => study.students.filter((s) => s.district === id && s.arm === arm && s.outcome.days_enrolled <= 0).length)), rowTotals: true, columnTotals: true })
    : undefined;
  const withCounts = (data: ReportData, tables: ReportData['tables']): ReportData => {
    const before = countNulls(data.tables);
    const after = countNulls(tables);
    return { ...data, tables, privacy: { ...data.privacy, suppressed_cells: data.privacy.suppressed_cells + after - before } };
  };
  const networkAttrition = leftOut && network.tables.attrition
    ? { rows: network.arms.map((arm, c) => ({ arm, left_out: leftOut.columnTotals[c] })), total: leftOut.total ?? null, suppressed: nulls(leftOut.columnTotals) + (leftOut.total === null ? 1 : 0) }
    : network.tables.attrition;
  return [
    withCounts(network, { ...network.tables, attrition: networkAttrition }),
    ...districts.map((data, d) => {
      const row = analyzed?.rows.find((r) => r.district === ids[d]);
      const byArm = analyzed && row ? { arms: analyzed.arms, rows: [row], totals: row.counts, total: row.total, suppressed: nulls(row.counts) * 2 + (row.total === null ? 2 : 0) } : data.tables.students_by_arm_and_district;
      const attrition = leftOut && data.tables.attrition
        ? { rows: network.arms.map((arm, c) => ({ arm, left_out: leftOut.cells[d][c] })), total: leftOut.rowTotals[d], suppressed: nulls(leftOut.cells[d]) + (leftOut.rowTotals[d] === null ? 1 : 0) }
        : data.tables.attrition;
      return withCounts(data, { ...data.tables, students_by_arm_and_district: byArm, attrition });
    }),
  ];
}

function countNulls(tables: ReportData['tables']): number {
  const t = tables.students_by_arm_and_district;
  const a = tables.attrition;
  return (t ? t.rows.reduce((n, r) => n + nulls(r.counts) + (r.total === null ? 1 : 0), 0) + nulls(t.totals) + (t.total === null ? 1 : 0) : 0) + (a ? nulls(a.rows.map((r) => r.left_out)) + (a.total === null ? 1 : 0) : 0);
}
