import type { TopLevelSpec } from 'vega-lite';
import { daysBetween } from '../../data/parse-values.js';
import { roundFigures } from '../format-figures.js';
import type { RateOverTime } from '../summarize-study.js';
import type { ChartLayout } from './chart-theme.js';
import { armScale, CHART_CONFIG, chartTitle, NARROW_WIDTH, SCHEMA } from './chart-theme.js';

/**
 * The absence rate of each arm in each period (month or week) of the outcome window;
 * suppressed points are left out. The rate axis starts at zero, so the gap between the
 * lines is seen at its true size. Period labels ("Sep 2025") are drawn on two lines.
 */
export function buildAbsenceRateChart(rows: readonly RateOverTime[], arms: readonly string[], layout: ChartLayout = 'wide'): TopLevelSpec {
  const periods = [...new Set(rows.map((r) => r.period))];
  // A window under ten weeks is charted by week (report-periods.ts): no period is longer than 7 days.
  const weekly = rows.every((r) => daysBetween(r.from, r.to) < 7);
  const values = rows
    .filter((r) => r.absence_rate !== null)
    .map((r) => ({ period: r.period, arm: r.arm, absence_rate: roundFigures(r.absence_rate!), students: r.students }));
  return {
    $schema: SCHEMA,
    description: 'Average absence rate by arm over the outcome window',
    title: chartTitle(
      'Absence rate over the year, by arm',
      `Days missed as a share of days enrolled, each ${weekly ? 'week' : 'month'}`,
      layout,
    ),
    ...(layout === 'narrow'
      ? { width: NARROW_WIDTH, autosize: { type: 'fit-x', contains: 'padding' }, height: 180 }
      : { width: 560, height: 220 }),
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      // Two lines per label, and labels dropped in turn if they still do not fit (a long window on a phone).
      x: {
        field: 'period',
        type: 'ordinal',
        title: null,
        sort: periods,
        axis: { labelAngle: 0, labelExpr: "split(datum.label, ' ')", labelOverlap: 'parity' },
      },
      y: {
        field: 'absence_rate',
        type: 'quantitative',
        title: 'Absence rate',
        axis: { format: '.1%', ...(layout === 'narrow' ? { tickCount: 5 } : {}) },
        scale: { zero: true },
      },
      color: { field: 'arm', type: 'nominal', title: 'Arm', scale: armScale(arms, [...new Set(values.map((v) => v.arm))]) },
    },
  } as TopLevelSpec;
}
