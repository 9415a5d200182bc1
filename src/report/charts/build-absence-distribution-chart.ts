import type { TopLevelSpec } from 'vega-lite';
import type { CategoryByArm } from '../summarize-study.js';
import { buildArmBarsChart } from './build-arm-bars-chart.js';
import type { ChartLayout } from './chart-theme.js';

/** How many days students missed in the outcome window, by arm (share of each arm's students per bin). */
export function buildAbsenceDistributionChart(
  distribution: CategoryByArm,
  arms: readonly string[],
  layout: ChartLayout = 'wide',
): TopLevelSpec {
  return buildArmBarsChart(distribution, arms, {
    title: 'Days absent, by arm',
    subtitle: "Share of each arm's students by days missed in the outcome window",
    description: 'Distribution of days absent in the outcome window, by arm',
    xTitle: 'Days absent',
    layout,
  });
}
