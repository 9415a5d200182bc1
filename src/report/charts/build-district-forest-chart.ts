import type { TopLevelSpec } from 'vega-lite';
import { roundFigures } from '../format-figures.js';
import type { ForestRow, ReportEffect } from '../report-data.js';
import { ACCENT, CHART_CONFIG, INK, PERCENT, SCHEMA } from './chart-theme.js';

const POOLED = 'Network (pooled)';

/**
 * A forest plot of the districts' partially pooled effects (median, 90% and 95%
 * intervals) with the pooled network effect below them, and lines at 0% and 5%.
 * Districts too small to show (null estimate) are left out; `highlight` marks one.
 */
export function buildDistrictForestChart(rows: readonly ForestRow[], pooled: ReportEffect | null, highlight?: string): TopLevelSpec {
  const values = rows
    .filter((r) => r.estimate !== null)
    .map((r) => ({ name: r.name, kind: r.district === highlight ? 'This district' : 'District', ...interval(r.estimate!) }));
  if (pooled) values.push({ name: POOLED, kind: 'Network', ...interval(pooled.estimate) });
  const order = values.map((v) => v.name);
  // Vega in Node estimates text at 0.8 em a character: leave room for long district names.
  const y = { field: 'name', type: 'nominal', title: null, sort: order, axis: { labelLimit: 320 } } as const;
  const color = { field: 'kind', type: 'nominal', title: null, scale: { domain: ['District', 'This district', 'Network'], range: ['#52606d', ACCENT, '#b4460f'] } } as const;
  return {
    $schema: SCHEMA,
    description: 'Effect of the messages in each district, with the pooled network effect',
    title: { text: 'Effect by district', subtitle: 'Dot: median; thick line: 90% interval; thin line: 95% interval' },
    width: 520,
    height: { step: 30 },
    config: CHART_CONFIG,
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y, x: { field: 'q025', type: 'quantitative', title: 'Reduction in absences (positive = fewer absences)', axis: { format: PERCENT } }, x2: { field: 'q975' }, color } },
      { mark: { type: 'rule', strokeWidth: 5 }, encoding: { y, x: { field: 'q05', type: 'quantitative' }, x2: { field: 'q95' }, color } },
      { mark: { type: 'point', filled: true, size: 80, color: '#ffffff', stroke: INK, strokeWidth: 1.5 }, encoding: { y, x: { field: 'median', type: 'quantitative' } } },
      { data: { values: [{ effect: 0 }, { effect: 0.05 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: INK }, encoding: { x: { field: 'effect', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

function interval({ median, q025, q05, q95, q975 }: { median: number; q025: number; q05: number; q95: number; q975: number }) {
  return roundFigures({ median, q025, q05, q95, q975 });
}
