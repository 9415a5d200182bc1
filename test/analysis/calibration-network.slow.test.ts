import { describe, expect, it } from 'vitest';
import { randomNormal } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';
import { coveragePValues, runCalibration } from './calibration.js';

// Calibration of the partially pooled network fit (docs/validation.md,
// "Calibration"): over 100 simulated networks of DISTRICTS districts, the 90% interval of the
// network effect 1 - exp(mu_theta) must cover the truth in 90% of them, within binomial
// noise. mu_theta and tau are drawn from their priors, Normal(0, 0.5) and
// HalfNormal(0, 0.1), and each district's theta from Normal(mu_theta, tau), as the model
// says; the nuisance parameters are fixed at realistic values (simulateModelTable's
// defaults). Judged by an exact two-sided binomial test at alpha = 0.01 (82 to 97 of 100
// covered pass). Seeded and deterministic.
const DATA_SETS = 100;
const DISTRICTS = 3;
const STUDENTS_PER_DISTRICT = 150;
const ALPHA = 0.01;

describe(`estimateEffect is calibrated on ${DISTRICTS}-district networks (100 simulated data sets)`, () => {
  it('covers the true network effect with its 90% interval about 90% of the time, and rarely flags a fit', async () => {
    const summary = await runCalibration(
      'calibration-network',
      DATA_SETS,
      (rng) =>
        simulateModelTable(rng, {
          districts: DISTRICTS,
          studentsPerDistrict: STUDENTS_PER_DISTRICT,
          blocksPerDistrict: 2,
          muTheta: 0.5 * randomNormal(rng),
          tau: 0.1 * Math.abs(randomNormal(rng)),
        }),
      { chains: 4, warmup: 500, draws: 500, threads: 0 },
    );
    console.log(JSON.stringify({ ...summary, runs: undefined }));
    expect(summary.runs).toHaveLength(DATA_SETS);
    for (const [check, p] of Object.entries(coveragePValues(summary))) expect(p, check).toBeGreaterThan(ALPHA);
    // The non-centered network can need a refit at a higher target acceptance (the spec
    // expects that); after refits, at most 2% may still be flagged.
    expect(summary.flagged).toBeLessThanOrEqual(2);
  });
});
