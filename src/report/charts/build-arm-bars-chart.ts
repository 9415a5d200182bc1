import type { TopLevelSpec } from 'vega-lite';
import { roundFigures } from '../format-figures.js';
import type { CategoryByArm } from '../summarize-study.js';
import type { ChartLayout } from './chart-theme.js';
import { armScale, CHART_CONFIG, chartTitle, LABEL_SIZE, NARROW_WIDTH, PERCENT, SCHEMA } from './chart-theme.js';
import { dejaVuTextWidth } from './dejavu-text-width.js';

export interface ArmBarsOptions {
  readonly title: string;
  readonly subtitle: string;
  readonly description: string;
  readonly xTitle: string;
  /** `wide` (the default: a page or paper) or `narrow` (a phone). */
  readonly layout?: ChartLayout;
}

/** The widest a wide chart's bars may spread before its labels are turned upright (a printed page holds about 720 px). */
const WIDE_MAX = 660;

/** The gap between two neighbouring axis labels, in pixels. */
const LABEL_GAP = 8;

/**
 * Bars of the share of each arm's students in each category, arms side by side.
 * Suppressed cells have no bar; the report says so under the chart. Wide, the bars stand
 * on a horizontal axis, each category as wide as its label (labels turned upright when
 * the categories would not fit); narrow (a phone), the bars lie along a vertical axis of
 * categories, where labels of any length fit.
 */
export function buildArmBarsChart(table: CategoryByArm, arms: readonly string[], options: ArmBarsOptions): TopLevelSpec {
  const layout = options.layout ?? 'wide';
  const values = table.categories.flatMap((c) =>
    c.counts
      .filter((n) => n.share !== null)
      .map((n) => ({ category: c.label, arm: n.arm, share: roundFigures(n.share!), students: n.students })),
  );
  const labels = table.categories.map((c) => c.label);
  // Every category keeps its place on the axis, even when all its bars are suppressed,
  // so a gap reads as a gap and not as adjacent bins.
  const category = { field: 'category', type: 'ordinal', title: options.xTitle, scale: { domain: labels } };
  const share = {
    field: 'share',
    type: 'quantitative',
    title: "Share of the arm's students",
    axis: { format: PERCENT, ...(layout === 'narrow' ? { tickCount: 4 } : {}) },
  };
  const offset = { field: 'arm', type: 'nominal', sort: [...arms] };
  const common = {
    $schema: SCHEMA,
    description: options.description,
    title: chartTitle(options.title, options.subtitle, layout),
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'bar' },
  };
  const color = { field: 'arm', type: 'nominal', title: 'Arm', scale: armScale(arms, [...new Set(values.map((v) => v.arm))]) };
  if (layout === 'narrow') {
    return {
      ...common,
      width: NARROW_WIDTH,
      autosize: { type: 'fit-x', contains: 'padding' },
      // With yOffset the step is each bar's height, not each category's.
      height: { step: 9 },
      // No axis title: upright it would be taller than a short list of categories; the subtitle says what they are.
      encoding: { y: { ...category, title: null, axis: { labelLimit: 160 } }, yOffset: offset, x: share, color },
    } as TopLevelSpec;
  }
  const widest = Math.max(0, ...labels.map((l) => dejaVuTextWidth(l, LABEL_SIZE)));
  const step = Math.max(14, Math.ceil((widest + LABEL_GAP) / Math.max(1, arms.length)));
  const upright = step * arms.length * labels.length > WIDE_MAX;
  return {
    ...common,
    // With xOffset the step is each bar's width, not each category's.
    width: { step: upright ? 14 : step },
    height: 220,
    encoding: { x: { ...category, axis: { labelAngle: upright ? -90 : 0, labelLimit: 120 } }, xOffset: offset, y: share, color },
  } as TopLevelSpec;
}
