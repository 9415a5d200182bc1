import type { TopLevelSpec } from 'vega-lite';
import type { EffectDensity } from '../effect-density.js';
import { formatCertainty, roundFigures } from '../format-figures.js';
import { ACCENT, CHART_CONFIG, INK, MUTED, PERCENT, SCHEMA } from './chart-theme.js';

export interface PosteriorChartOptions {
  /** P(effect > 0), shaded. */
  readonly certainty: number;
  /** Reference lines (0 and 0.05 by default). */
  readonly thresholds?: readonly number[];
  readonly title?: string;
}

const DOWN = 'Absences went down';
const UP = 'Absences went up';

/**
 * The posterior of the effect: its density, the part above 0 (absences went down)
 * shaded, and lines at 0% and 5%. The grid is split at 0 with the boundary point in
 * both parts so the two shaded areas meet.
 *
 * @example
 * buildPosteriorChart(densityFromDraws(draws), { certainty: 0.83 }).layer.length; // 3
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
  const lines = thresholds.map((t) => ({ effect: t, label: t === 0 ? 'no change' : `${Math.round(100 * t)}% fewer` }));
  const approx = density.source === 'normal-approximation' ? ' (drawn from the summary: a normal approximation)' : '';
  return {
    $schema: SCHEMA,
    description: 'Posterior distribution of the effect of the messages on absences',
    title: { text: options.title ?? 'Posterior distribution of the effect', subtitle: `Shaded blue: the ${formatCertainty(options.certainty)} chance that absences went down${approx}` },
    width: 560,
    height: 220,
    config: CHART_CONFIG,
    layer: [
      {
        data: { values },
        mark: { type: 'area', opacity: 0.9, interpolate: 'monotone' },
        encoding: {
          x: { field: 'effect', type: 'quantitative', title: 'Reduction in absences (positive = fewer absences)', axis: { format: PERCENT } },
          y: { field: 'density', type: 'quantitative', title: 'Plausibility', axis: { labels: false, ticks: false, grid: false } },
          color: { field: 'region', type: 'nominal', title: null, scale: { domain: [UP, DOWN], range: [MUTED, ACCENT] } },
        },
      },
      {
        data: { values: lines },
        mark: { type: 'rule', strokeDash: [4, 3], color: INK },
        encoding: { x: { field: 'effect', type: 'quantitative' } },
      },
      {
        data: { values: lines },
        mark: { type: 'text', align: 'left', dx: 3, dy: -2, baseline: 'top', y: 0, fontSize: 11, color: INK },
        encoding: { x: { field: 'effect', type: 'quantitative' }, text: { field: 'label', type: 'nominal' } },
      },
    ],
  } as TopLevelSpec;
}
