import { describe, expect, it } from 'vitest';
import { randomNormal } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';
import { coveragePValues, runCalibration } from './calibration.js';

// Calibration of the one-district fit (docs/validation.md, "Calibration"): over
// 100 data sets simulated from the model, the 90% interval must cover the true effect in
// 90% of them, within binomial noise. The true theta of each data set is drawn from the
// effect prior Normal(0, 0.5), so the posterior intervals are calibrated for it exactly
// when the sampler is right; the other parameters are fixed at realistic values
// (simulateModelTable's defaults), where 300 students swamp their weak priors.
//
// Judged by an exact two-sided binomial test at alpha = 0.01: with 100 data sets that
// accepts 82 to 97 covered (R: binom.test(k, 100, 0.9)). Seeded, so the verdict is
// deterministic; about a minute on one core.
const DATA_SETS = 100;
const ALPHA = 0.01;

describe('estimateEffect is calibrated on one district (100 simulated data sets)', () => {
  it('covers the true effect with its 90% interval about 90% of the time, and rarely flags a fit', async () => {
    const summary = await runCalibration(
      'calibration-one-district',
      DATA_SETS,
      (rng) => simulateModelTable(rng, { districts: 1, studentsPerDistrict: 300, muTheta: 0.5 * randomNormal(rng), halfDays: 0.02 }),
      { chains: 4, warmup: 500, draws: 500, threads: 0 },
    );
    console.log(JSON.stringify({ ...summary, runs: undefined }));
    expect(summary.runs).toHaveLength(DATA_SETS);
    for (const [check, p] of Object.entries(coveragePValues(summary))) expect(p, check).toBeGreaterThan(ALPHA);
    // Flagged (fails R-hat, ESS or divergence checks even after refits): at most 2%.
    expect(summary.flagged).toBeLessThanOrEqual(2);
    expect(summary.refitted).toBeLessThanOrEqual(10);
  });
});
