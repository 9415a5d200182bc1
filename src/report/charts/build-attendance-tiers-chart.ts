import type { TopLevelSpec } from 'vega-lite';
import type { CategoryByArm } from '../summarize-study.js';
import { buildArmBarsChart } from './build-arm-bars-chart.js';

/** Students by attendance tier (share of days missed) in the outcome window, by arm. */
export function buildAttendanceTiersChart(tiers: CategoryByArm, arms: readonly string[]): TopLevelSpec {
  const short: CategoryByArm = { ...tiers, categories: tiers.categories.map((c) => ({ ...c, label: shortLabel(c.category) })) };
  return buildArmBarsChart(short, arms, {
    title: 'Attendance tiers, by arm',
    subtitle: 'Share of each arm\'s students by share of enrolled days missed',
    description: 'Students by attendance tier in the outcome window, by arm',
    xTitle: 'Share of days missed',
  });
}

function shortLabel(tier: string): string {
  return ({ satisfactory: 'Under 5%', 'at-risk': '5–9.99%', moderate: '10–19.99%', severe: '20–49.99%', extreme: '50% or more' } as Record<string, string>)[tier] ?? tier;
}
