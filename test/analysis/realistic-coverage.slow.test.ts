import { describe, expect, it } from 'vitest';
import type { EstimateEffectOptions } from '../../src/analysis/estimate-effect.js';
import { estimateEffect } from '../../src/analysis/estimate-effect.js';
import { estimateEffectLaplace } from '../../src/analysis/estimate-effect-laplace.js';
import { deriveRng } from '../../src/random.js';
import { REALISTIC_ABSENCES, simulateRealisticModelTable } from '../../src/simulate/realistic-absences.js';
import { binomialTestPValue } from './calibration.js';

// Coverage on realistic data (docs/validation.md, "Realistic data: households and weekly
// shocks"): one district of 400 students, households randomized whole, household factor,
// weekly household shocks and capped daily probabilities (REALISTIC_ABSENCES), no effect.
// Data set i is the one bench/realistic-coverage.mjs draws as i, which runs the full
// measurement (300 NUTS fits of each model).
//
// 1. The plain model, by its Laplace fit (0.97 of NUTS's posterior sd on 40 of these data
//    sets, the same verdict on every one), over 300 data sets: its 90% interval covers
//    decisively less than 90% (exact binomial test, p < 0.01).
// 2. The household model, by NUTS with short chains (4 x (300 + 300), 2 threads), over the
//    first 60: its coverage is not below nominal (p > 0.01), and its posterior sd of the
//    effect is on average at least 5% wider than the plain model's on the same data (the
//    plain model's estimates spread 1.13 times its mean posterior sd over the 300).
// About 5 minutes on an idle two-core machine.
const PLAIN_SETS = 300;
const HOUSEHOLD_SETS = 60;
const ALPHA = 0.01;

function dataSet(i: number) {
  return simulateRealisticModelTable(deriveRng('realistic-coverage', `data-${i}`), { students: 400, ...REALISTIC_ABSENCES });
}

const covers = (r: { effect: { q05: number; q95: number } }, truth: number) => r.effect.q05 <= truth && truth <= r.effect.q95;

describe('coverage on realistic data (households, weekly shocks, capped days)', () => {
  it('the plain model covers decisively less than 90% over 300 data sets', async () => {
    let covered = 0;
    for (let i = 0; i < PLAIN_SETS; i++) {
      const { table, truth } = dataSet(i);
      const { result } = await estimateEffectLaplace(table, { seed: i + 1, chains: 2, draws: 1000, householdEffect: false });
      if (covers(result, truth.effect)) covered++;
    }
    const p = binomialTestPValue(covered, PLAIN_SETS, 0.9);
    console.log(JSON.stringify({ plain: { covered, sets: PLAIN_SETS, p } }));
    expect(covered / PLAIN_SETS).toBeLessThan(0.9);
    expect(p).toBeLessThan(ALPHA);
  }, 1_800_000);

  it('the household model covers at the nominal rate, with intervals wider than the plain model on the same data', async () => {
    const nuts: Omit<EstimateEffectOptions, 'seed'> = { chains: 4, warmup: 300, draws: 300, threads: 2, refit: false };
    let covered = 0;
    let sdRatios = 0;
    for (let i = 0; i < HOUSEHOLD_SETS; i++) {
      const { table, truth } = dataSet(i);
      const household = await estimateEffect(table, { ...nuts, seed: i + 1, householdEffect: true });
      const plain = await estimateEffect(table, { ...nuts, seed: i + 1, householdEffect: false });
      expect(household.model.household_effect?.fitted).toBe(true);
      if (covers(household, truth.effect)) covered++;
      sdRatios += household.effect_parameter.sd / plain.effect_parameter.sd;
    }
    const p = binomialTestPValue(covered, HOUSEHOLD_SETS, 0.9);
    const meanSdRatio = sdRatios / HOUSEHOLD_SETS;
    console.log(JSON.stringify({ household: { covered, sets: HOUSEHOLD_SETS, p, meanSdRatio } }));
    expect(p).toBeGreaterThan(ALPHA);
    expect(meanSdRatio).toBeGreaterThan(1.05);
  }, 1_800_000);
});
