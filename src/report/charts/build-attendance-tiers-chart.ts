import type { TopLevelSpec } from 'vega-lite';
import { attendanceTierShortLabel } from '../attendance-tier.js';
import type { CategoryByArm } from '../summarize-study.js';
import { buildArmBarsChart } from './build-arm-bars-chart.js';
import type { ChartLayout } from './chart-theme.js';

/** Students by attendance tier (share of days missed) in the outcome window, by arm. */
export function buildAttendanceTiersChart(tiers: CategoryByArm, arms: readonly string[], layout: ChartLayout = 'wide'): TopLevelSpec {
  const short: CategoryByArm = {
    ...tiers,
    categories: tiers.categories.map((c) => ({ ...c, label: attendanceTierShortLabel(c.category) })),
  };
  return buildArmBarsChart(short, arms, {
    title: 'Attendance tiers, by arm',
    subtitle: "Share of each arm's students by share of enrolled days missed",
    description: 'Students by attendance tier in the outcome window, by arm',
    xTitle: 'Share of days missed',
    layout,
  });
}
