import type { TopLevelSpec } from 'vega-lite';
import { buildAbsenceDistributionChart } from './charts/build-absence-distribution-chart.js';
import { buildAbsenceRateChart } from './charts/build-absence-rate-chart.js';
import { buildAttendanceTiersChart } from './charts/build-attendance-tiers-chart.js';
import { buildDistrictForestChart } from './charts/build-district-forest-chart.js';
import { buildPosteriorChart } from './charts/build-posterior-chart.js';
import type { ChartLayout } from './charts/chart-theme.js';
import type { ReportData } from './report-data.js';

/** The charts a report can have, in the order it shows them. */
export const REPORT_CHARTS = [
  'posterior',
  'district_forest',
  'absence_distribution',
  'absence_rate_over_time',
  'attendance_tiers',
] as const;
export type ReportChartName = (typeof REPORT_CHARTS)[number];

/**
 * The Vega-Lite spec of every chart the report's data allow (a chart whose every cell is
 * suppressed, or whose data were not given, is left out), in one layout: `wide` for a
 * page or paper (the .vl.json files), `narrow` for a phone. Pure.
 */
export function buildReportCharts(data: ReportData, layout: ChartLayout = 'wide'): Partial<Record<ReportChartName, TopLevelSpec>> {
  const charts: Partial<Record<ReportChartName, TopLevelSpec>> = {};
  const arms = data.arms;
  const p = data.charts.posterior;
  const title =
    data.scope.kind === 'district' && data.effect.partially_pooled ? `How big the effect may be in ${data.scope.name}` : undefined;
  charts.posterior = buildPosteriorChart(p, { certainty: p.certainty, thresholds: p.thresholds, title, layout });
  const forest = data.district_effects;
  if (forest?.rows.some((r) => r.estimate !== null))
    charts.district_forest = buildDistrictForestChart(forest.rows, forest.pooled, forest.highlight, layout);
  const distribution = data.charts.absence_distribution;
  if (distribution?.categories.some((c) => c.counts.some((n) => n.share !== null)))
    charts.absence_distribution = buildAbsenceDistributionChart(distribution, arms, layout);
  const overTime = data.charts.absence_rate_over_time;
  if (overTime?.some((r) => r.absence_rate !== null)) charts.absence_rate_over_time = buildAbsenceRateChart(overTime, arms, layout);
  const tiers = data.charts.attendance_tiers;
  if (tiers?.categories.some((c) => c.counts.some((n) => n.share !== null)))
    charts.attendance_tiers = buildAttendanceTiersChart(tiers, arms, layout);
  return charts;
}
