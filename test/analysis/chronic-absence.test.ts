import { describe, expect, it } from 'vitest';
import {
  chronicDays,
  computeChronicAbsence,
  expectedChronicShares,
  negBinomialAtLeast,
  summarizeChronicAbsence,
} from '../../src/analysis/chronic-absence.js';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import type { ChainOutput } from '../../src/analysis/sampler/sample-chain.js';
import type { ModelTableRow } from '../../src/data/model-table.js';

// Two students in one block of one district, no baseline: with phi = 1 the negative
// binomial is geometric, P(Y >= c) = (mu / (1 + mu))^c, so every figure is by hand.
const table: ModelTableRow[] = [
  { student_id: 'S1', y: 3, e: 40, treat: 1, block: 'B1', district: 'D1' },
  { student_id: 'S2', y: 1, e: 20, treat: 0, block: 'B1', district: 'D1' },
];

describe('chronic absence from the posterior predictive distribution', () => {
  it('negBinomialAtLeast: NB2(2, 1) is geometric; a huge phi is Poisson', () => {
    expect(negBinomialAtLeast(0, 2, 1)).toBe(1);
    expect(negBinomialAtLeast(1, 2, 1)).toBeCloseTo(2 / 3, 12);
    expect(negBinomialAtLeast(2, 2, 1)).toBeCloseTo(4 / 9, 12);
    // Poisson(3): P(Y >= 2) = 1 - e^-3 (1 + 3) = 0.800852 (R: ppois(1, 3, lower.tail = FALSE)).
    expect(negBinomialAtLeast(2, 3, 1e9)).toBeCloseTo(0.800852, 5);
    // Against the pmf written out: Gamma(y + phi) / (Gamma(phi) y!) (phi / (phi + mu))^phi (mu / (phi + mu))^y.
    const [mu, phi] = [6, 2.5];
    let below = 0;
    for (let y = 0; y < 4; y++) {
      let coefficient = 1;
      for (let j = 0; j < y; j++) coefficient *= (phi + j) / (j + 1);
      below += coefficient * (phi / (phi + mu)) ** phi * (mu / (phi + mu)) ** y;
    }
    expect(negBinomialAtLeast(4, mu, phi)).toBeCloseTo(1 - below, 12);
  });

  it('chronicDays is ceil(e / 10): exactly 10% counts', () => {
    expect([1, 10, 20, 40, 179, 180, 181].map(chronicDays)).toEqual([1, 1, 2, 4, 18, 18, 19]);
  });

  it('expectedChronicShares averages P(y >= ceil(e / 10)) over the students, under each arm', () => {
    const { data } = prepareAbsenceModel(table);
    const shares = expectedChronicShares(data, { alpha: [Math.log(0.1)], gamma: 0, delta: 0, phi: 1, theta: [Math.log(0.5)] });
    // Control: mu = 4 (e 40, c 4) and mu = 2 (e 20, c 2): ((4/5)^4 + (2/3)^2) / 2 = (0.4096 + 0.444444) / 2.
    expect(shares.control).toBeCloseTo((0.4096 + 4 / 9) / 2, 12);
    // Treatment halves each mean: ((2/3)^4 + (1/2)^2) / 2.
    expect(shares.treatment).toBeCloseTo((16 / 81 + 0.25) / 2, 12);
  });

  it('with the household effect, a shared household shifts its students by sigma z_household', () => {
    const shared = table.map((r) => ({ ...r, household: 'H1' }));
    const { data } = prepareAbsenceModel(shared, undefined, { householdEffect: true });
    const shares = expectedChronicShares(data, {
      alpha: [Math.log(0.1)],
      gamma: 0,
      delta: 0,
      phi: 1,
      theta: [0],
      household: { sigma: 1, z: [0.5] },
    });
    // mu = 4 e^0.5 (e 40, c 4) and 2 e^0.5 (e 20, c 2); geometric: (mu / (1 + mu))^c.
    const [m1, m2] = [4 * Math.exp(0.5), 2 * Math.exp(0.5)];
    expect(shares.control).toBeCloseTo(((m1 / (1 + m1)) ** 4 + (m2 / (1 + m2)) ** 2) / 2, 12);
    expect(shares.treatment).toBeCloseTo(shares.control, 12);
  });

  it('computeChronicAbsence reads each draw from the sampler layout (alpha, log phi, theta)', () => {
    const model = prepareAbsenceModel(table);
    // One district, no baseline: [alpha, log phi, theta]; two draws.
    const draws = Float64Array.from([Math.log(0.1), 0, Math.log(0.5), Math.log(0.1), 0, 0]);
    const output = { draws } as unknown as ChainOutput;
    const result = computeChronicAbsence(model, [output]);
    const control = (0.4096 + 4 / 9) / 2;
    const treated = (16 / 81 + 0.25) / 2;
    expect(result.draws).toBe(2);
    expect(result.share_control.mean).toBeCloseTo(control, 12);
    expect(result.share_treatment.mean).toBeCloseTo((treated + control) / 2, 12);
    // Differences 100 (treated - control) and 0: the mean is half the first.
    expect(result.difference_points.mean).toBeCloseTo((100 * (treated - control)) / 2, 10);
    expect(result.fewer_per_1000.mean).toBeCloseTo((-1000 * (treated - control)) / 2, 8);
    // One draw below 0, one exactly 0 (not a fall).
    expect(result.certainty_fell).toBe(0.5);
  });

  it('summarizeChronicAbsence: the difference in points, per 1,000 and the certainty it fell', () => {
    const control = [Float64Array.from([0.2, 0.2, 0.2, 0.2]), Float64Array.from([0.2, 0.2, 0.2, 0.2])];
    const treatment = [Float64Array.from([0.18, 0.17, 0.21, 0.19]), Float64Array.from([0.16, 0.2, 0.19, 0.18])];
    const s = summarizeChronicAbsence({ control, treatment });
    // Differences in points: -2, -3, +1, -1, -4, 0, -1, -2: mean -1.5; 6 of 8 below 0.
    expect(s.difference_points.mean).toBeCloseTo(-1.5, 10);
    expect(s.fewer_per_1000.mean).toBeCloseTo(15, 8);
    expect(s.certainty_fell).toBe(0.75);
    expect(s.share_control.mean).toBeCloseTo(0.2, 12);
    expect(s.threshold).toBe(0.1);
    // Two draws per split chain are too few for an effective sample size: no error claimed.
    expect(s.certainty_fell_mc_error).toBeNaN();
  });
});
