import type { TopLevelSpec } from 'vega-lite';
import type { EffectDensity } from '../effect-density.js';
import { formatCertainty, roundFigures } from '../format-figures.js';
import type { ChartLayout } from './chart-theme.js';
import { ACCENT, CHART_CONFIG, chartTitle, INK, MUTED, NARROW_WIDTH, PERCENT, SCHEMA } from './chart-theme.js';

export interface PosteriorChartOptions {
  /** P(effect > 0), shaded. */
  readonly certainty: number;
  /** Reference lines (0 and 0.05 by default). */
  readonly thresholds?: readonly number[];
  readonly title?: string;
  /** `wide` (the default: a page or paper) or `narrow` (a phone). */
  readonly layout?: ChartLayout;
}

const DOWN = 'Absences went down';
const UP = 'Absences went up';

/**
 * The posterior of the effect: its density, the part above 0 (absences went down)
 * shaded, and lines at 0% and 5%. The grid is split at 0 with the boundary point in
 * both parts so the two shaded areas meet. Each line's label sits on a row of its own,
 * right of its line (left of it near the right edge), so labels never run into each
 * other or off the chart.
 *
 * @example
 * buildPosteriorChart(densityFromDraws(draws), { certainty: 0.83 }).layer.length; // 4: the area, the lines, a label per line
 */
export function buildPosteriorChart(density: EffectDensity, options: PosteriorChartOptions): TopLevelSpec {
  const thresholds = options.thresholds ?? [0, 0.05];
  const values: { effect: number; density: number; region: string }[] = [];
  const pts = density.points;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i];
    values.push({ effect: roundFigures(p.effect), density: roundFigures(p.density), region: p.effect > 0 ? DOWN : UP });
    const next = pts[i + 1];
    if (next && p.effect <= 0 && next.effect > 0) {
      const t = (0 - p.effect) / (next.effect - p.effect);
      const at = roundFigures(p.density + t * (next.density - p.density));
      values.push({ effect: 0, density: at, region: UP }, { effect: 0, density: at, region: DOWN });
    }
  }
  const layout = options.layout ?? 'wide';
  const regions = [
    { region: UP, color: MUTED },
    { region: DOWN, color: ACCENT },
  ].filter((r) => values.some((v) => v.region === r.region));
  const effects = [...values.map((v) => v.effect), ...thresholds];
  const [low, high] = [Math.min(...effects), Math.max(...effects)];
  // A label reads to the right of its line, unless the line is so far right that it would run off the chart.
  const lines = thresholds.map((t, i) => ({
    effect: t,
    label: t === 0 ? 'no change' : `${Math.round(100 * t)}% fewer`,
    row: i,
    side: (t - low <= 0.7 * (high - low) ? 'right' : 'left') as 'right' | 'left',
  }));
  const approx = density.source === 'normal-approximation' ? ' (drawn from the summary: a normal approximation)' : '';
  // One text layer per line: the row is the mark's own pixel offset from the top.
  const label = (line: (typeof lines)[number]) => ({
    data: { values: [line] },
    mark: {
      type: 'text',
      align: line.side === 'right' ? 'left' : 'right',
      dx: line.side === 'right' ? 3 : -3,
      y: 2 + 14 * line.row,
      baseline: 'top',
      fontSize: 11,
      color: INK,
    },
    encoding: { x: { field: 'effect', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
  });
  return {
    $schema: SCHEMA,
    description: 'How big the effect of the messages on absences may be',
    title: chartTitle(
      options.title ?? 'How big the effect may be',
      `Shaded blue: the ${formatCertainty(options.certainty)} chance that absences went down${approx}`,
      layout,
    ),
    ...(layout === 'narrow'
      ? { width: NARROW_WIDTH, autosize: { type: 'fit-x', contains: 'padding' }, height: 180 }
      : { width: 560, height: 220 }),
    config: CHART_CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'area', opacity: 0.9, interpolate: 'monotone' },
        encoding: {
          x: {
            field: 'effect',
            type: 'quantitative',
            title:
              layout === 'narrow'
                ? ['Reduction in absences', '(positive = fewer absences)']
                : 'Reduction in absences (positive = fewer absences)',
            axis: { format: PERCENT, labelFlush: true, ...(layout === 'narrow' ? { tickCount: 5 } : {}) },
          },
          y: { field: 'density', type: 'quantitative', title: 'More likely →', axis: { labels: false, ticks: false, grid: false } },
          // Only the regions drawn are in the legend (a posterior wholly above 0 has no "went up" part).
          color: {
            field: 'region',
            type: 'nominal',
            title: null,
            scale: { domain: regions.map((r) => r.region), range: regions.map((r) => r.color) },
          },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'rule', strokeDash: [4, 3], color: INK },
        encoding: { x: { field: 'effect', type: 'quantitative' } },
      },
      ...lines.map(label),
    ],
  } as TopLevelSpec;
}
