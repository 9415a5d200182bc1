import { describe, expect, it } from 'vitest';
import { decideEffect } from '../../src/analysis/decide-effect.js';
import { estimateEffect, estimateEffectWithDraws } from '../../src/analysis/estimate-effect.js';
import { estimateEffectLaplace } from '../../src/analysis/estimate-effect-laplace.js';
import { createRng } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';

const small = simulateModelTable(createRng('estimate-small'), {
  districts: 1,
  studentsPerDistrict: 400,
  attrition: 0.03,
  halfDays: 0.05,
  muTheta: Math.log(0.8),
});
const network = simulateModelTable(createRng('estimate-network'), { districts: 3, studentsPerDistrict: 200 });
const quick = { warmup: 300, draws: 300, threads: 0 } as const;

describe('estimateEffect', () => {
  it('summarizes the effect, certainty, days avoided and decision of a one-district fit', async () => {
    const result = await estimateEffect(small.table, { seed: 1, ...quick });
    expect(result.method).toBe('nuts');
    expect(result.approximate).toBe(false);
    expect(result.effect_parameter.name).toBe('theta');
    expect(result.effect.q025).toBeLessThan(result.effect.q05);
    expect(result.effect.q05).toBeLessThan(result.effect.median);
    expect(result.effect.q95).toBeLessThan(result.effect.q975);
    // effect = 1 - exp(theta) is decreasing in theta: quantiles map across.
    expect(result.effect.median).toBeCloseTo(1 - Math.exp(result.effect_parameter.median), 2);
    expect(Object.keys(result.certainty)).toEqual(['0', '0.05']);
    expect(result.certainty['0']).toBeGreaterThanOrEqual(result.certainty['0.05']);
    expect(result.decision.applied).toEqual(result.decision.rules.low);
    expect(result.decision.rules.low.certainty).toBe(result.certainty['0']);
    expect(result.days_avoided.per_100_treated.mean).toBeCloseTo(100 * result.days_avoided.per_treated_student.mean, 8);
    expect(result.model).toMatchObject({
      n: 400 - result.model.attrition.treatment - result.model.attrition.control,
      network: false,
      chains: 4,
      warmup: 300,
      draws: 300,
    });
    expect(result.model.attrition.treatment + result.model.attrition.control).toBeGreaterThan(0);
    expect(result.model.rounded_half_days).toBeGreaterThan(0);
    expect(result.districts).toHaveLength(1);
    expect(result.districts[0].n_treatment).toBe(result.model.n_treatment);
    expect(result.diagnostics.parameters.map((p) => p.name)).toContain('theta');
    expect(result.model.priors.theta).toBe('normal(0, 0.5)');
  });

  it('gives identical draws for the same seed and different ones for another seed', async () => {
    const a = await estimateEffectWithDraws(network.table, { seed: 9, ...quick, warmup: 150, draws: 100, refit: false });
    const b = await estimateEffectWithDraws([...network.table].reverse(), { seed: 9, ...quick, warmup: 150, draws: 100, refit: false });
    const c = await estimateEffectWithDraws(network.table, { seed: 10, ...quick, warmup: 150, draws: 100, refit: false });
    expect(b.draws.values.mu_theta).toEqual(a.draws.values.mu_theta);
    expect(b.result).toEqual(a.result);
    expect(c.draws.values.mu_theta).not.toEqual(a.draws.values.mu_theta);
  });

  it('fits a network with per-district effects and uses the effect prior option', async () => {
    const result = await estimateEffect(network.table, {
      seed: 2,
      ...quick,
      thresholds: [0, 0.1],
      effort: 'high',
      effectPrior: { mean: 0, sd: 0.2 },
      refit: false,
    });
    expect(result.effect_parameter.name).toBe('mu_theta');
    expect(result.districts.map((d) => d.district)).toEqual(['D01', 'D02', 'D03']);
    expect(Object.keys(result.districts[0].certainty)).toEqual(['0', '0.1']);
    expect(result.decision.effort).toBe('high');
    expect(result.decision.applied.threshold).toBe(0.05);
    expect(result.model.priors.mu_theta).toBe('normal(0, 0.2)');
    expect(result.model.priors.tau).toBe('half-normal(0, 0.1)');
  });

  it('refits at a higher target acceptance when a check fails, and flags what still fails', async () => {
    // 40 draws cannot reach a bulk-ESS of 400: every attempt fails, so both refits run.
    const result = await estimateEffect(small.table, { seed: 3, warmup: 100, draws: 40, threads: 0 });
    expect(result.diagnostics.refits.map((r) => r.adapt_delta)).toEqual([0.8, 0.95]);
    expect(result.diagnostics.adapt_delta).toBe(0.99);
    expect(result.diagnostics.flagged).toBe(true);
    expect(result.diagnostics.warnings.join(' ')).toMatch(/bulk-ESS/);
  });

  it('the Laplace preview is close to NUTS and labelled approximate', async () => {
    const nuts = await estimateEffect(small.table, { seed: 4, ...quick });
    const { result } = await estimateEffectLaplace(small.table, { seed: 4 });
    expect(result.approximate).toBe(true);
    expect(result.method).toBe('laplace');
    expect(result.diagnostics.flagged).toBe(true);
    expect(result.diagnostics.warnings[0]).toMatch(/APPROXIMATE/);
    expect(Math.abs(result.effect_parameter.mean - nuts.effect_parameter.mean)).toBeLessThan(0.2 * nuts.effect_parameter.sd);
  });

  it('the Laplace preview refuses the options estimateEffect refuses', async () => {
    await expect(estimateEffectLaplace(small.table, { seed: 4, chains: 0 })).rejects.toThrow(
      /estimateEffectLaplace: chains must be an integer >= 1/,
    );
    await expect(estimateEffectLaplace(small.table, { seed: 4, draws: 2 })).rejects.toThrow(/draws must be an integer >= 4/);
  });
});

describe('decideEffect', () => {
  it('applies the low and high effort rules of the how-to guide', () => {
    const certainty = (t: number) => (t === 0 ? 0.85 : 0.6);
    const low = decideEffect(certainty, 'low');
    expect(low).toMatchObject({ effort: 'low', working: true, applied: { threshold: 0, min_certainty: 0.8, certainty: 0.85, met: true } });
    const high = decideEffect(certainty, 'high');
    expect(high).toMatchObject({
      effort: 'high',
      working: false,
      applied: { threshold: 0.05, min_certainty: 0.9, certainty: 0.6, met: false },
    });
    expect(decideEffect(() => 0.8, 'low').working).toBe(true); // ">=": exactly 0.80 counts
  });
});
