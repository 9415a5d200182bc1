import { describe, expect, it } from 'vitest';
import { expectedChronicShares } from '../../src/analysis/chronic-absence.js';
import { estimateEffect } from '../../src/analysis/estimate-effect.js';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import { deriveRng, randomNormal } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';
import { binomialTestPValue } from './calibration.js';

// Calibration of the chronic-absence difference (docs/validation.md): over 200 data sets
// simulated from the model, the 90% interval of the difference in percentage points must
// cover its truth about 90% of the time. The truth of a data set is the same functional
// at the parameters it was drawn from: the expected share of its students in the fit
// chronically absent were all sent the messages, less were none, over those very students.
// As in the effect's calibration, the true theta is drawn from the effect prior
// Normal(0, 0.5) and 300 students swamp the other parameters' weak priors; windows of
// 20 to 60 days give every student a different line for chronic absence.
//
// Exact two-sided binomial test at alpha = 0.01: 200 sets accept 169 to 189 covered
// (R: binom.test(k, 200, 0.9)). Seeded; about two minutes on one core.
const DATA_SETS = 200;
const ALPHA = 0.01;

describe('chronic absence is calibrated (200 simulated data sets)', () => {
  it('covers the true difference in chronic absence with its 90% interval about 90% of the time', async () => {
    const started = Date.now();
    let covered = 0;
    let low = 0;
    let high = 0;
    for (let index = 0; index < DATA_SETS; index++) {
      const rng = deriveRng('calibration-chronic-absence', `data-${index}`);
      const { table, truth } = simulateModelTable(rng, {
        districts: 1,
        studentsPerDistrict: 300,
        muTheta: 0.5 * randomNormal(rng),
        windowDays: [20, 60],
      });
      const result = await estimateEffect(table, { chains: 4, warmup: 400, draws: 400, threads: 0, seed: index + 1 });
      const model = prepareAbsenceModel(table);
      const shares = expectedChronicShares(model.data, {
        alpha: model.info.blocks.map((b) => truth.alpha[b]),
        gamma: truth.gamma,
        delta: truth.delta,
        phi: truth.phi,
        theta: model.info.districts.map((d) => truth.theta[d]),
      });
      const trueDifference = 100 * (shares.treatment - shares.control);
      const { q05, q95 } = result.chronic_absence!.difference_points;
      if (trueDifference < q05) low++;
      else if (trueDifference > q95) high++;
      else covered++;
    }
    console.log(JSON.stringify({ covered, low, high, seconds: (Date.now() - started) / 1000 }));
    expect(binomialTestPValue(covered, DATA_SETS, 0.9)).toBeGreaterThan(ALPHA);
    expect(binomialTestPValue(low, DATA_SETS, 0.05)).toBeGreaterThan(ALPHA);
    expect(binomialTestPValue(high, DATA_SETS, 0.05)).toBeGreaterThan(ALPHA);
  });
});
