import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRoster } from '../../src/data/read-roster.js';
import { buildPlanChart } from '../../src/planning/build-plan-chart.js';
import { createFastRandom } from '../../src/planning/fast-random.js';
import { fitDistrictEffects } from '../../src/planning/fit-district-effects.js';
import { formatPlanCsv } from '../../src/planning/format-plan-csv.js';
import { normalizePlanAssumptions } from '../../src/planning/plan-assumptions.js';
import { buildPlanDesign } from '../../src/planning/plan-design.js';
import { planDesignFromRoster } from '../../src/planning/plan-design-from-roster.js';
import { planDesignFromSizes } from '../../src/planning/plan-design-from-sizes.js';
import type { PlanRow } from '../../src/planning/plan-study.js';
import { planStudy, smallestEffect } from '../../src/planning/plan-study.js';
import { effectCertainty, poolDistrictEffects } from '../../src/planning/pool-district-effects.js';
import { preparePlanModel } from '../../src/planning/prepare-plan-model.js';
import { renderPlanHtml } from '../../src/planning/render-plan-html.js';
import { simulatePlannedStudy } from '../../src/planning/simulate-planned-study.js';
import { createRng, deriveRng } from '../../src/random.js';
import { FIXTURES } from '../helpers/fixtures.js';

describe('poolDistrictEffects', () => {
  it('one district: the normal-normal posterior in closed form (values from Python, math.erfc)', () => {
    const posterior = poolDistrictEffects(Float64Array.of(0.1), Float64Array.of(0.04), { mean: 0, sd: 0.5 });
    expect(posterior.means[0]).toBeCloseTo(0.08620689655172414, 12);
    expect(posterior.sds[0]).toBeCloseTo(0.18569533817705186, 12);
    expect(effectCertainty(posterior, 0)).toBeCloseTo(0.3212384956040438, 6);
    expect(effectCertainty(posterior, 0.05)).toBeCloseTo(0.22951010117569073, 6);
  });

  it('a network: P(mu_theta < 0) matches brute-force integration over mu and tau', () => {
    const estimate = Float64Array.of(-0.08, 0.02, -0.15, -0.01, -0.05);
    const variance = Float64Array.of(0.003, 0.006, 0.01, 0.002, 0.004);
    const prior = { mean: 0, sd: 0.5 };
    // Brute force: theta[d] integrated analytically given (mu, tau); mu and tau on a fine
    // 2-D grid whose mu cells meet at the bound, so the indicator mu < bound is exact per cell.
    const bruteForce = (bound: number) => {
      let mass = 0;
      let below = 0;
      for (let it = 0; it < 800; it++) {
        const tau = ((it + 0.5) / 800) * 0.6;
        for (let im = 0; im < 3000; im++) {
          const mu = bound + ((im + 0.5 - 1500) / 1500) * 0.6;
          let log = -(tau * tau) / (2 * 0.01) - (mu * mu) / (2 * prior.sd * prior.sd);
          for (let d = 0; d < estimate.length; d++) {
            const v = variance[d] + tau * tau;
            log += -0.5 * Math.log(v) - (estimate[d] - mu) ** 2 / (2 * v);
          }
          const w = Math.exp(log);
          mass += w;
          if (mu < bound) below += w;
        }
      }
      return below / mass;
    };
    const posterior = poolDistrictEffects(estimate, variance, prior);
    expect(effectCertainty(posterior, 0)).toBeCloseTo(bruteForce(0), 4);
    expect(effectCertainty(posterior, 0.05)).toBeCloseTo(bruteForce(Math.log(0.95)), 4);
    // The same from numpy with a 20,000-point tau grid: 0.8978070213 and 0.4076102573.
    expect(effectCertainty(posterior, 0)).toBeCloseTo(0.8978070213, 6);
    expect(effectCertainty(posterior, 0.05)).toBeCloseTo(0.4076102573, 6);
  });
});

describe('fitDistrictEffects', () => {
  it('recovers the true district effects with the spread its variances claim (300 simulated studies)', () => {
    const design = planDesignFromSizes(createRng('fit-check'), { students: 1200, districts: 2, windowDays: 40 });
    const model = preparePlanModel(design, normalizePlanAssumptions({ tau: 0.1 }));
    const errors: number[] = [];
    const variances: number[] = [];
    const phis: number[] = [];
    for (let s = 0; s < 300; s++) {
      const study = simulatePlannedStudy(model, Math.log(0.9), createFastRandom(deriveRng('fit-check', `study-${s}`)));
      const fit = fitDistrictEffects(model, study);
      expect(fit.converged).toBe(true);
      for (let d = 0; d < 2; d++) {
        errors.push(fit.estimate[d] - study.theta[d]);
        variances.push(fit.variance[d]);
      }
      phis.push(fit.phi);
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const claimed = Math.sqrt(mean(variances));
    const actual = Math.sqrt(mean(errors.map((e) => e * e)));
    // 600 estimates: the sd's own sampling error is about 3%.
    expect(Math.abs(mean(errors))).toBeLessThan(3 * (claimed / Math.sqrt(600)));
    expect(actual / claimed).toBeGreaterThan(0.9);
    expect(actual / claimed).toBeLessThan(1.1);
    expect(mean(phis)).toBeGreaterThan(1.9);
    expect(mean(phis)).toBeLessThan(2.1);
  });
});

describe('planDesignFromRoster', () => {
  it("takes the fixtures' blocks, households and baselines", async () => {
    const roster = await readRoster({ path: join(FIXTURES, 'roster.csv') }, 'roster.csv');
    const design = planDesignFromRoster(roster.students, { windowDays: 120 });
    expect(design.students).toBe(1500);
    expect(design.districts).toEqual(['D01', 'D02', 'D03']);
    expect(design.blocks.length).toBe(42);
    expect(design.households).toBe(911);
    // A block's rate is its students' baseline rate pulled towards the network's by 200 days.
    const withBaseline = roster.students.filter((s) => s.baseline_absences !== undefined && s.baseline_days !== undefined);
    const network = withBaseline.reduce((a, s) => a + s.baseline_absences!, 0) / withBaseline.reduce((a, s) => a + s.baseline_days!, 0);
    const k = 0;
    const members = withBaseline.filter((s) => `${s.district_id}|${s.school_id}|${s.grade}` === design.blocks[k]);
    const expected =
      (members.reduce((a, s) => a + s.baseline_absences!, 0) + 200 * network) / (members.reduce((a, s) => a + s.baseline_days!, 0) + 200);
    expect(design.blockRate[k]).toBeCloseTo(expected, 12);
  });

  it('needs an absence rate when nobody has a baseline', () => {
    const students = [0, 1, 2, 3].map((i) => ({ district: 'D1', block: 'B1', household: `H${i}` }));
    expect(() => buildPlanDesign(students, { windowDays: 40 })).toThrow(/absence rate must be given/);
    expect(buildPlanDesign(students, { windowDays: 40, absenceRate: 0.05 }).blockRate[0]).toBe(0.05);
  });
});

describe('planStudy', () => {
  const design = planDesignFromSizes(createRng('plan'), { students: 600, districts: 1, windowDays: 40 });

  it('a false "working" at no effect about as often as the rule allows, a curve that rises with the effect, the same plan from the same seed', async () => {
    const plan = await planStudy(design, { seed: 7, effects: [0.05, 0.1, 0.15], simulations: 300 });
    expect(plan.rows.map((r) => r.effect)).toEqual([0, 0.05, 0.1, 0.15]);
    // P(effect > 0) >= 0.8 under no effect: 20% for a calibrated posterior; 300 studies give +-2.3%.
    expect(plan.false_working.low).toBeGreaterThan(0.13);
    expect(plan.false_working.low).toBeLessThan(0.27);
    expect(plan.false_working.high).toBeLessThan(0.03);
    // Common random numbers: each study only gains certainty as the effect grows.
    for (let i = 1; i < plan.rows.length; i++) {
      expect(plan.rows[i].p_working_low).toBeGreaterThanOrEqual(plan.rows[i - 1].p_working_low);
      expect(plan.rows[i].p_working_high).toBeGreaterThanOrEqual(plan.rows[i - 1].p_working_high);
    }
    expect(plan.rows[0].mc_se_low).toBeCloseTo(Math.sqrt((plan.rows[0].p_working_low * (1 - plan.rows[0].p_working_low)) / 300), 12);
    expect(plan.smallest_effect.low).toBe(smallestEffect(plan.rows, 'p_working_low', 0.8));
    expect(plan.warnings).toEqual([]);
    const again = await planStudy(design, { seed: 7, effects: [0.05, 0.1, 0.15], simulations: 300 });
    expect(again.rows).toEqual(plan.rows);
    const other = await planStudy(design, { seed: 8, effects: [0.05, 0.1, 0.15], simulations: 300 });
    expect(other.rows).not.toEqual(plan.rows);
  });

  it('assurance averages the rules over a prior on the effect: between the power at its low and high ends', async () => {
    const plan = await planStudy(design, { seed: 3, effects: [0, 0.02, 0.1], simulations: 200, effectPrior: { mean: 0.06, sd: 0.02 } });
    const at = (effect: number) => plan.rows.find((r) => r.effect === effect)!;
    expect(plan.assurance!.studies).toBe(200);
    expect(plan.assurance!.p_working_low).toBeGreaterThan(at(0.02).p_working_low);
    expect(plan.assurance!.p_working_low).toBeLessThan(at(0.1).p_working_low);
  });

  it('a district of one student (one arm only) adds nothing and breaks nothing', async () => {
    const students = Array.from({ length: 401 }, (_, i) => ({
      district: i === 400 ? 'D2' : 'D1',
      block: i === 400 ? 'B9' : `B${i % 4}`,
      household: `H${i}`,
      baseline_absences: i % 9,
      baseline_days: 170,
    }));
    const lonely = buildPlanDesign(students, { windowDays: 40 });
    const plan = await planStudy(lonely, { seed: 5, effects: [0.1], simulations: 50 });
    expect(plan.warnings).toEqual([]);
    for (const row of plan.rows) for (const value of Object.values(row)) expect(Number.isFinite(value)).toBe(true);
    expect(plan.rows[1].p_working_low).toBeGreaterThan(plan.rows[0].p_working_low);
  });

  it('refuses what cannot be planned, naming the option', async () => {
    await expect(planStudy(design, { seed: 1, simulations: 0 })).rejects.toThrow(
      'planStudy: simulations must be a whole number >= 1, got 0',
    );
    await expect(planStudy(design, { seed: 1, effects: [1.2] })).rejects.toThrow(/effects must be numbers below 1/);
    await expect(planStudy(design, { seed: 1, assumptions: { phi: 0 } })).rejects.toThrow(
      'planStudy: phi must be a positive number, got 0',
    );
  });

  it('check refits simulated studies with NUTS: certainties within a few points, decisions the same', async () => {
    const small = planDesignFromSizes(createRng('check'), { students: 300, districts: 1, windowDays: 40 });
    const plan = await planStudy(small, { seed: 2, effects: [0.15], simulations: 3, check: 2 });
    expect(plan.check!.studies).toBe(2);
    expect(plan.check!.rows.map((r) => r.effect)).toEqual([0, 0.15]);
    expect(plan.check!.max_difference_low).toBeLessThan(0.04);
    expect(plan.check!.max_difference_high).toBeLessThan(0.04);
  }, 120_000);
});

describe('smallestEffect', () => {
  const row = (effect: number, p: number): PlanRow => ({
    effect,
    studies: 100,
    p_working_low: p,
    p_working_high: p / 2,
    mc_se_low: 0,
    mc_se_high: 0,
  });
  it('interpolates linearly between the effects either side of the target', () => {
    expect(smallestEffect([row(0, 0.2), row(0.02, 0.5), row(0.04, 0.9)], 'p_working_low', 0.8)).toBeCloseTo(0.035, 12);
    expect(smallestEffect([row(0, 0.2), row(0.02, 0.5), row(0.04, 0.9)], 'p_working_high', 0.8)).toBeNull();
    expect(smallestEffect([row(-0.02, 0.9), row(0, 0.85)], 'p_working_low', 0.8)).toBe(0);
  });
});

describe('plan files', () => {
  it('plan.csv, the chart and the page carry the figures', async () => {
    const design = planDesignFromSizes(createRng('files'), { students: 400, districts: 2, windowDays: 40 });
    const plan = await planStudy(design, { seed: 1, effects: [0.1], simulations: 20 });
    const csv = formatPlanCsv(plan).trim().split('\n');
    expect(csv[0]).toBe('effect,studies,p_working_low,p_working_high,mc_se_low,mc_se_high');
    expect(csv).toHaveLength(3);
    expect(csv[2]).toBe(
      `0.1,20,${plan.rows[1].p_working_low},${plan.rows[1].p_working_high},${plan.rows[1].mc_se_low},${plan.rows[1].mc_se_high}`,
    );
    const spec = buildPlanChart(plan) as { layer: { data?: unknown }[]; data: { values: unknown[] } };
    expect(spec.data.values).toHaveLength(4);
    const html = renderPlanHtml(plan, '<svg></svg>');
    expect(html).toContain('400 students in 2 districts');
    expect(html).toContain(`${(100 * plan.false_working.low).toFixed(1)}%</strong> of studies`);
    expect(html).not.toMatch(/NaN|undefined/);
  });
});
