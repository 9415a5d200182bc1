import type { TopLevelSpec } from 'vega-lite';
import { roundFigures } from '../format-figures.js';
import type { RateOverTime } from '../summarize-study.js';
import { armScale, CHART_CONFIG, SCHEMA } from './chart-theme.js';

/** The absence rate of each arm in each period (month) of the outcome window; suppressed points are left out. */
export function buildAbsenceRateChart(rows: readonly RateOverTime[], arms: readonly string[]): TopLevelSpec {
  const periods = [...new Set(rows.map((r) => r.period))];
  const values = rows.filter((r) => r.absence_rate !== null).map((r) => ({ period: r.period, arm: r.arm, absence_rate: roundFigures(r.absence_rate!), students: r.students }));
  return {
    $schema: SCHEMA,
    description: 'Average absence rate by arm over the outcome window',
    title: { text: 'Absence rate over the year, by arm', subtitle: 'Days missed as a share of days enrolled, each month' },
    width: 560,
    height: 220,
    config: CHART_CONFIG,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: { field: 'period', type: 'ordinal', title: null, sort: periods, axis: { labelAngle: 0 } },
      y: { field: 'absence_rate', type: 'quantitative', title: 'Absence rate', axis: { format: '.1%' }, scale: { zero: false } },
      color: { field: 'arm', type: 'nominal', title: 'Arm', scale: armScale(arms) },
    },
  } as TopLevelSpec;
}
