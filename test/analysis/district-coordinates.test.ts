import { describe, expect, it } from 'vitest';
import { createAbsenceLogDensity } from '../../src/analysis/model/absence-log-density.js';
import { districtModelOutputs, districtShiftAt, withDistrictShift } from '../../src/analysis/model/district-coordinates.js';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import type { ChainOutput } from '../../src/analysis/sampler/sample-chain.js';
import { createRng } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';
import { expectGradientMatchesDifferences } from '../helpers/gradient.js';

const { table } = simulateModelTable(createRng('district-coordinates'), { districts: 3, studentsPerDistrict: 120, missingBaseline: 0.1 });
const model = prepareAbsenceModel(table);
const plain = createAbsenceLogDensity(model.data);
const { layout, dimension } = plain;
const D = model.data.nDistricts;

function randomPoint(seed: string): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: dimension }, (_, i) => (i < model.data.nBlocks ? -3 : 0) + rng() - 0.5);
}

const shift = districtShiftAt(plain, D, randomPoint('shift-at'));
const shifted = withDistrictShift(model.data, shift);
const density = createAbsenceLogDensity(shifted);

/**
 * The model's point for the sampler's `w`, written out: eta[d] = tau S_d / (1 + tau^2 P_d) +
 * w[d] / sqrt(1 + tau^2 P_d), S_d = s_d - P_d (mu_theta - mu_0).
 */
function modelPoint(q: Float64Array): Float64Array {
  const point = Float64Array.from(q);
  const tau = Math.exp(q[layout.logTau]);
  for (let d = 0; d < D; d++) {
    const a = 1 + tau * tau * shift.information[d];
    const S = shift.score[d] - shift.information[d] * (q[layout.effect] - shift.effect);
    point[layout.eta + d] = (tau * S) / a + q[layout.eta + d] / Math.sqrt(a);
  }
  return point;
}
const logJacobian = (q: Float64Array) => {
  let sum = 0;
  for (let d = 0; d < D; d++) sum -= 0.5 * Math.log(1 + Math.exp(2 * q[layout.logTau]) * shift.information[d]);
  return sum;
};

describe('the district coordinates', () => {
  it("take each district's score and information of eta at 0, tau at 1, from the model's gradient and curvature", () => {
    const at = randomPoint('shift-at');
    at[layout.logTau] = 0;
    at.fill(0, layout.eta, layout.eta + D);
    const grad = new Float64Array(dimension);
    const up = new Float64Array(dimension);
    const down = new Float64Array(dimension);
    plain.logDensityGradient(at, grad);
    const h = 1e-3;
    for (let d = 0; d < D; d++) {
      expect(shift.score[d]).toBeCloseTo(grad[layout.eta + d], 9);
      expect(shift.effect).toBe(at[layout.effect]);
      // The second difference of the log density itself, less the prior's curvature 1.
      const lp = (x: number) => {
        const q = Float64Array.from(at);
        q[layout.eta + d] = x;
        return plain.logDensityGradient(q, x > 0 ? up : down);
      };
      const curvature = (lp(h) - 2 * lp(0) + lp(-h)) / (h * h);
      expect(shift.information[d]).toBeGreaterThan(10);
      expect(shift.information[d]).toBeCloseTo(-curvature - 1, 1);
    }
  });

  it("give the model's log density at the matching point plus the map's log Jacobian", () => {
    for (const seed of ['a', 'b', 'c']) {
      const q = randomPoint(seed);
      const grad = new Float64Array(dimension);
      expect(density.logDensityGradient(q, grad)).toBeCloseTo(plain.logDensityGradient(modelPoint(q), grad) + logJacobian(q), 8);
    }
  });

  it('have the gradient of their log density (central differences)', () => {
    const q = randomPoint('gradient');
    expectGradientMatchesDifferences(density, q);
  });

  it("map the chains' draws back to the model's eta, and leave one district alone", () => {
    const q = randomPoint('d1');
    const output = { dimension, draws: Float64Array.from(q) } as ChainOutput;
    districtModelOutputs(shifted, layout, [output]);
    modelPoint(q).forEach((v, i) => expect(output.draws[i]).toBeCloseTo(v, 12));
    expect(output.draws[layout.eta]).not.toBeCloseTo(q[layout.eta], 6);
    const one = prepareAbsenceModel(table.filter((r) => r.district === table[0].district));
    expect(withDistrictShift(one.data, shift)).toBe(one.data);
  });
});
