import type { TopLevelSpec } from 'vega-lite';
import type { PlanResult } from './plan-study.js';

/**
 * The plan's curve as a Vega-Lite spec: for each true effect, the probability that the
 * study ends "working" under each rule, with a band of two Monte Carlo standard errors,
 * and the target probability as a dashed line.
 */
export function buildPlanChart(plan: PlanResult, width = 560): TopLevelSpec {
  const rule = (effort: 'low' | 'high') =>
    `${effort === 'low' ? 'Low effort' : 'Demanding'}: P(effect > ${plan.rules[effort].threshold}) >= ${plan.rules[effort].min_certainty}`;
  const values = plan.rows.flatMap((r) => [
    {
      effect: r.effect,
      rule: rule('low'),
      probability: r.p_working_low,
      low: Math.max(0, r.p_working_low - 2 * r.mc_se_low),
      high: Math.min(1, r.p_working_low + 2 * r.mc_se_low),
    },
    {
      effect: r.effect,
      rule: rule('high'),
      probability: r.p_working_high,
      low: Math.max(0, r.p_working_high - 2 * r.mc_se_high),
      high: Math.min(1, r.p_working_high + 2 * r.mc_se_high),
    },
  ]);
  const x = { field: 'effect', type: 'quantitative', title: 'True effect (share of absences avoided)', axis: { format: '.0%' } } as const;
  const color = {
    field: 'rule',
    type: 'nominal',
    title: null,
    legend: { orient: 'bottom', direction: 'vertical', labelLimit: 0 },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Chance the study ends "working"',
      subtitle: `${plan.simulations} simulated studies per effect; bands: 2 Monte Carlo standard errors`,
    },
    width,
    height: 300,
    data: { values },
    layer: [
      { mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' }, color } },
      {
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'probability', type: 'quantitative', title: 'Probability', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color,
        },
      },
      {
        data: { values: [{ target: plan.target_probability }] },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#666' },
        encoding: { y: { field: 'target', type: 'quantitative' } },
      },
    ],
  } as TopLevelSpec;
}
