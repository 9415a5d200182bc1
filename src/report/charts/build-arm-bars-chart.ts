import type { TopLevelSpec } from 'vega-lite';
import { roundFigures } from '../format-figures.js';
import type { CategoryByArm } from '../summarize-study.js';
import { armScale, CHART_CONFIG, PERCENT, SCHEMA } from './chart-theme.js';

export interface ArmBarsOptions {
  readonly title: string;
  readonly subtitle: string;
  readonly description: string;
  readonly xTitle: string;
}

/**
 * Bars of the share of each arm's students in each category, arms side by side.
 * Suppressed cells have no bar; the report says so under the chart.
 */
export function buildArmBarsChart(table: CategoryByArm, arms: readonly string[], options: ArmBarsOptions): TopLevelSpec {
  const values = table.categories.flatMap((c) =>
    c.counts.filter((n) => n.share !== null).map((n) => ({ category: c.label, arm: n.arm, share: roundFigures(n.share!), students: n.students })),
  );
  return {
    $schema: SCHEMA,
    description: options.description,
    title: { text: options.title, subtitle: options.subtitle },
    // With xOffset the step is each bar's width, not each category's.
    width: { step: 14 },
    height: 220,
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      // Every category keeps its place on the axis, even when all its bars are suppressed,
      // so a gap reads as a gap and not as adjacent bins.
      x: { field: 'category', type: 'ordinal', title: options.xTitle, scale: { domain: table.categories.map((c) => c.label) }, axis: { labelAngle: 0, labelLimit: 120 } },
      xOffset: { field: 'arm', type: 'nominal', sort: [...arms] },
      y: { field: 'share', type: 'quantitative', title: "Share of the arm's students", axis: { format: PERCENT } },
      color: { field: 'arm', type: 'nominal', title: 'Arm', scale: armScale(arms) },
    },
  } as TopLevelSpec;
}
