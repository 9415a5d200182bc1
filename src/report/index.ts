// The public API of effect reports (issue 2): explicit named re-exports by capability.

// Building a report's figures (pure)
export { buildReportData, writeHeadline, adviseNextYear, withEffort } from './build-report-data.js';
export type { ReportInputs, ReportScope } from './build-report-data.js';
export type { ReportData, ReportEffect, ForestRow } from './report-data.js';
export type { ReportStudy, StudyStudent, StudyPeriod, DayTotals } from './report-study.js';

// Privacy and aggregates
export { suppressSmallCells, SUPPRESSION_THRESHOLD } from './suppress-small-cells.js';
export type { CountTable, SuppressedTable, PublishedCount } from './suppress-small-cells.js';
export { attendanceTier, ATTENDANCE_TIERS } from './attendance-tier.js';
export type { AttendanceTier } from './attendance-tier.js';
export {
  absenceRateOverTime,
  analyzedByArmAndDistrict,
  binAbsences,
  countAttendanceTiers,
  countStudentsByArmAndDistrict,
  summarizeAttrition,
  suppressBalance,
} from './summarize-study.js';
export type { ArmCount, AttritionTable, BalanceLine, CategoryByArm, CountsByArmAndDistrict, RateOverTime } from './summarize-study.js';
export { densityFromDraws, densityFromSummary } from './effect-density.js';
export type { EffectDensity } from './effect-density.js';

// Charts: each returns a Vega-Lite spec
export { buildPosteriorChart } from './charts/build-posterior-chart.js';
export { buildDistrictForestChart } from './charts/build-district-forest-chart.js';
export { buildAbsenceDistributionChart } from './charts/build-absence-distribution-chart.js';
export { buildAbsenceRateChart } from './charts/build-absence-rate-chart.js';
export { buildAttendanceTiersChart } from './charts/build-attendance-tiers-chart.js';
export { buildReportCharts, REPORT_CHARTS } from './build-report-charts.js';
export type { ReportChartName } from './build-report-charts.js';

// Rendering (pure: strings out)
export { renderChartSvg } from './render-chart-svg.js';
export { renderReportHtml, escapeHtml } from './render-report-html.js';
export { renderReportFiles } from './render-report-files.js';
export type { ReportFile } from './render-report-files.js';
export { formatPercent, formatCertainty, formatCount } from './format-figures.js';

// Reading and writing
export { readReportStudy } from './read-report-study.js';
export type { ReportStudyFiles, ReportStudyRead } from './read-report-study.js';
export { monthlyPeriods, weeklyPeriods, reportPeriods } from './report-periods.js';
export { readEffectDraws } from './read-effect-draws.js';
export { writeReport, districtFolder } from './write-report.js';
export type { WriteReportOptions, WrittenReport } from './write-report.js';
export { writeReportPdf, renderReportPdfs, checkChromium, CHROMIUM_PATH, CHROMIUM_ARGS } from './write-report-pdf.js';
export { readAnalysisResult, resolveAnalysisPath } from './read-analysis-result.js';
export { effectDrawsFrom } from './effect-draws.js';
export { checkReportInputs } from './check-report-inputs.js';
