import type { TopLevelSpec } from 'vega-lite';
import { roundFigures } from '../format-figures.js';
import type { ForestRow, ReportEffect } from '../report-data.js';
import type { ChartLayout } from './chart-theme.js';
import { ACCENT, CHART_CONFIG, chartTitle, INK, NARROW_WIDTH, PERCENT, SCHEMA } from './chart-theme.js';

const POOLED = 'Network (all districts)';
const KINDS = [
  { kind: 'District', color: '#52606d' },
  { kind: 'This district', color: ACCENT },
  { kind: 'Network', color: '#b4460f' },
] as const;

/**
 * A forest plot of the districts' partially pooled effects (median, 90% and 95%
 * intervals) with the pooled network effect below them, and lines at 0% and 5%.
 * Districts too small to show (null estimate) are left out; `highlight` marks one. The
 * legend names only the kinds of row drawn (no "This district" in a network report).
 * Wide, the names are the axis labels; narrow (a phone), each name is written above its
 * row so a long name keeps the whole width.
 */
export function buildDistrictForestChart(
  rows: readonly ForestRow[],
  pooled: ReportEffect | null,
  highlight?: string,
  layout: ChartLayout = 'wide',
): TopLevelSpec {
  const values = rows
    .filter((r) => r.estimate !== null)
    .map((r) => ({ name: r.name, kind: r.district === highlight ? 'This district' : 'District', ...interval(r.estimate!) }));
  if (pooled) values.push({ name: POOLED, kind: 'Network', ...interval(pooled.estimate) });
  const order = values.map((v) => v.name);
  const drawn = KINDS.filter((k) => values.some((v) => v.kind === k.kind));
  const narrow = layout === 'narrow';
  // Vega in Node estimates text at 0.8 em a character: leave room for long district names.
  const y = { field: 'name', type: 'nominal', title: null, sort: order, axis: narrow ? null : { labelLimit: 320 } } as const;
  const color = {
    field: 'kind',
    type: 'nominal',
    title: null,
    scale: { domain: drawn.map((k) => k.kind), range: drawn.map((k) => k.color) },
  } as const;
  const xTitle = narrow ? ['Reduction in absences', '(positive = fewer absences)'] : 'Reduction in absences (positive = fewer absences)';
  const names = {
    mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -7, x: 0, fontSize: 11, color: INK, limit: NARROW_WIDTH - 20 },
    encoding: { y, text: { field: 'name', type: 'nominal' } },
  };
  return {
    $schema: SCHEMA,
    description: 'Effect of the messages in each district, with the effect across all districts',
    title: chartTitle('Effect by district', 'Dot: median; thick line: 90% interval; thin line: 95% interval', layout),
    ...(narrow
      ? { width: NARROW_WIDTH, autosize: { type: 'fit-x', contains: 'padding' }, height: { step: 44 } }
      : { width: 520, height: { step: 30 } }),
    config: CHART_CONFIG,
    data: { values },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: {
          y,
          x: {
            field: 'q025',
            type: 'quantitative',
            title: xTitle,
            axis: { format: PERCENT, labelFlush: true, ...(narrow ? { tickCount: 5 } : {}) },
          },
          x2: { field: 'q975' },
          color,
        },
      },
      { mark: { type: 'rule', strokeWidth: 5 }, encoding: { y, x: { field: 'q05', type: 'quantitative' }, x2: { field: 'q95' }, color } },
      {
        mark: { type: 'point', filled: true, size: 80, color: '#ffffff', stroke: INK, strokeWidth: 1.5 },
        encoding: { y, x: { field: 'median', type: 'quantitative' } },
      },
      ...(narrow ? [names] : []),
      {
        data: { values: [{ effect: 0 }, { effect: 0.05 }] },
        mark: { type: 'rule', strokeDash: [4, 3], color: INK },
        encoding: { x: { field: 'effect', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}

function interval({ median, q025, q05, q95, q975 }: { median: number; q025: number; q05: number; q95: number; q975: number }) {
  return roundFigures({ median, q025, q05, q95, q975 });
}
