import { describe, expect, it } from 'vitest';
import { computeDeliveredEffect, doseBins } from '../../src/analysis/complier-effect.js';
import type { PosteriorDraws } from '../../src/analysis/posterior-draws.js';
import type { ModelTableRow } from '../../src/data/model-table.js';

// One block, no baselines: mu0 = e exp(alpha) = 0.1 e, so every figure is by hand.
const row = (id: string, treat: 0 | 1, e: number, y = 2): ModelTableRow => ({ student_id: id, y, e, treat, block: 'B1', district: 'D1' });
const table = [
  row('T1', 1, 20),
  row('T2', 1, 20),
  row('T3', 1, 40),
  row('T4', 1, 20),
  row('C1', 0, 20),
  row('C2', 0, 20),
  row('C3', 0, 20),
  row('C4', 0, 20),
];

/** Two draws in one chain: alpha = log 0.1; theta = log 0.8, then log 0.9. */
const draws: PosteriorDraws = {
  names: ['alpha[B1]', 'phi', 'theta', 'effect'],
  chains: 1,
  drawsPerChain: 2,
  values: {
    'alpha[B1]': [Float64Array.from([Math.log(0.1), Math.log(0.1)])],
    phi: [Float64Array.from([2, 2])],
    theta: [Float64Array.from([Math.log(0.8), Math.log(0.9)])],
    effect: [Float64Array.from([0.2, 0.1])],
  },
  parameters: ['alpha[B1]', 'phi', 'theta'],
  effectParameter: 'theta',
};

describe('computeDeliveredEffect (complier average causal effect)', () => {
  it('divides the days avoided per assigned student by the share that received (the no-show adjustment)', () => {
    // T1 and T3 received (3 and 1 delivered): p_T = 1/2. mu0 = 2, 2, 4, 2 (sum 10; received 6).
    const deliveries = new Map([
      ['T1', { delivered: 3 }],
      ['T2', { delivered: 0 }],
      ['T3', { delivered: 1 }],
    ]);
    const result = computeDeliveredEffect(table, draws, deliveries);
    expect(result.treatment).toEqual({ students: 4, received: 2, share_received: 0.5 });
    expect(result.control).toEqual({ students: 4, received: 0, share_received: 0 });
    expect(result.one_sided).toBe(true);
    // Draw 1: avoided 10 x 0.2 = 2, per assigned 0.5, per complier 1; percent 2 / 6. Draw 2: 0.5 and 1 / 6.
    expect(result.days_avoided_per_complier!.mean).toBeCloseTo(0.75, 12);
    expect(result.effect!.mean).toBeCloseTo((2 / 6 + 1 / 6) / 2, 12);
    expect(result.certainty).toEqual({ '0': 1, '0.05': 1 });
    expect(result.draws).toBe(2);
    // With K = 2, only T1 received: p_T = 1/4, per complier 0.5 / 0.25 = 2 (draw 1); percent 2 / (2 x 1) = 1.
    const strict = computeDeliveredEffect(table, draws, deliveries, { receivedAtLeast: 2 });
    expect(strict.treatment.received).toBe(1);
    expect(strict.days_avoided_per_complier!.median).toBeCloseTo((2 + 1) / 2, 12);
    expect(strict.effect!.q95).toBeLessThanOrEqual(1);
  });

  it('with control students messaged, divides by the difference in shares received', () => {
    const deliveries = new Map([
      ['T1', { delivered: 3 }],
      ['T3', { delivered: 1 }],
      ['C2', { delivered: 1 }],
    ]);
    const result = computeDeliveredEffect(table, draws, deliveries);
    expect(result.control.share_received).toBe(0.25);
    expect(result.one_sided).toBe(false);
    // Draw 1: 0.5 / (0.5 - 0.25) = 2; percent 2 / (6 x 0.25 / 0.5) = 2 / 3.
    expect(result.days_avoided_per_complier!.mean).toBeCloseTo((2 + 1) / 2, 12);
    expect(result.effect!.mean).toBeCloseTo((2 / 3 + 1 / 3) / 2, 12);
    // As many control as treated students received: no compliers, no figures.
    const none = computeDeliveredEffect(
      table,
      draws,
      new Map([
        ['T1', { delivered: 1 }],
        ['C1', { delivered: 1 }],
      ]),
    );
    expect(none.estimable).toBe(false);
    expect(none.effect).toBeUndefined();
  });

  it('the dose view merges counts until each bin has 10 students, the top bin open', () => {
    const students = (n: number, delivered: number, y: number) => Array.from({ length: n }, () => ({ delivered, y, e: 10 }));
    const bins = doseBins([...students(25, 0, 2), ...students(3, 1, 1), ...students(15, 2, 1), ...students(4, 3, 0), ...students(2, 5, 0)]);
    // 5 (2) merges into 3 (4), then into 2 (15): "2 or more", 21; then 1 (3) merges into it: "1 or more", 24.
    expect(bins).toEqual([
      { delivered_from: 0, delivered_to: 0, students: 25, absence_rate: 0.2 },
      { delivered_from: 1, delivered_to: null, students: 24, absence_rate: (3 + 15) / 240 },
    ]);
    expect(doseBins(students(9, 1, 1))).toEqual([]);
  });
});
