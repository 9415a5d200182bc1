import { describe, expect, it } from 'vitest';
import { createAbsenceLogDensity } from '../../src/analysis/model/absence-log-density.js';
import { householdModelOutputs, householdShiftAt, householdZ, withHouseholdShift } from '../../src/analysis/model/household-coordinates.js';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import type { ChainOutput } from '../../src/analysis/sampler/sample-chain.js';
import { createRng } from '../../src/random.js';
import { simulateRealisticModelTable } from '../../src/simulate/realistic-absences.js';
import { expectGradientMatchesDifferences } from '../helpers/gradient.js';

const { table } = simulateRealisticModelTable(createRng('household-coordinates'), {
  students: 60,
  blocks: 3,
  effect: 0.1,
  householdSd: 0.5,
  weeklyShockSd: 0.5,
  dailyCap: 0.9,
});
const model = prepareAbsenceModel(table, undefined, { householdEffect: true });
const plain = createAbsenceLogDensity(model.data);
const { layout, dimension } = plain;
const H = model.data.household!.nHouseholds;

function randomPoint(seed: string): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: dimension }, () => 1.6 * rng() - 0.8);
}

// The shift at a point of the model's parameters: any point will do for the checks below.
const shift = householdShiftAt(model.data, layout, randomPoint('shift-at'));
const shifted = withHouseholdShift(model.data, shift);
const density = createAbsenceLogDensity(shifted);

/** The model's point for the sampler's `w`: z[h] = w[h] + sigma s_h / (1 + sigma^2 P_h), written out. */
function modelPoint(q: Float64Array): Float64Array {
  const point = Float64Array.from(q);
  const sigma = Math.exp(q[layout.logSigmaHousehold]);
  for (let h = 0; h < H; h++) point[layout.zHousehold + h] += (sigma * shift.score[h]) / (1 + sigma * sigma * shift.information[h]);
  return point;
}

describe('the household coordinates', () => {
  it("take each household's score and information from its students (written student by student)", () => {
    // One district, full baseline: log mu = log e + alpha[block] + gamma zb + theta T.
    const at = randomPoint('shift-at');
    const { blocks, baselineMean, baselineSd, householdIds } = model.info;
    const K = blocks.length;
    const [gamma, phi, theta] = [at[K], Math.exp(at[K + 1]), at[K + 2]];
    const score = new Map<string, number>();
    const information = new Map<string, number>();
    for (const row of table) {
      if (row.e === 0 || !householdIds.includes(row.household!)) continue;
      const zb = (Math.log((row.baseline_absences! + 0.5) / (row.baseline_days! + 1)) - baselineMean) / baselineSd;
      const mu = Math.exp(Math.log(row.e) + at[blocks.indexOf(row.block)] + gamma * zb + theta * row.treat);
      score.set(row.household!, (score.get(row.household!) ?? 0) + row.y - ((row.y + phi) * mu) / (mu + phi));
      information.set(row.household!, (information.get(row.household!) ?? 0) + (phi * mu) / (mu + phi));
    }
    expect(layout.gamma).toBe(K);
    expect(H).toBeGreaterThan(10);
    householdIds.forEach((id, h) => {
      expect(shift.score[h]).toBeCloseTo(score.get(id)!, 9);
      expect(shift.information[h]).toBeCloseTo(information.get(id)!, 9);
    });
    // The score is also the model's own gradient in z[h] at sigma = 1 and every z = 0.
    const zero = Float64Array.from(at);
    zero[layout.logSigmaHousehold] = 0;
    zero.fill(0, layout.zHousehold);
    const grad = new Float64Array(dimension);
    plain.logDensityGradient(zero, grad);
    for (let h = 0; h < H; h++) expect(shift.score[h]).toBeCloseTo(grad[layout.zHousehold + h], 9);
  });

  it("give the model's log density at the matching point: the shift's Jacobian is 1", () => {
    for (const seed of ['a', 'b', 'c']) {
      const q = randomPoint(seed);
      const grad = new Float64Array(dimension);
      expect(density.logDensityGradient(q, grad)).toBeCloseTo(plain.logDensityGradient(modelPoint(q), grad), 9);
    }
    // The shift moves the point: the two densities differ at the same coordinates.
    const q = randomPoint('a');
    const grad = new Float64Array(dimension);
    expect(Math.abs(density.logDensityGradient(q, grad) - plain.logDensityGradient(q, grad))).toBeGreaterThan(1e-3);
  });

  it('have the gradient of their log density (central differences)', () => {
    const q = randomPoint('gradient');
    expectGradientMatchesDifferences(density, q);
  });

  it("map the chains' draws back to the model's z_household, and leave unshifted data alone", () => {
    const q1 = randomPoint('d1');
    const q2 = randomPoint('d2');
    const draws = new Float64Array(2 * dimension);
    draws.set(q1, 0);
    draws.set(q2, dimension);
    const output = { dimension, draws } as ChainOutput;
    householdModelOutputs(shifted, layout, [output]);
    const expected = [...modelPoint(q1), ...modelPoint(q2)];
    expected.forEach((v, i) => expect(draws[i]).toBeCloseTo(v, 12));
    expect(draws[layout.zHousehold]).not.toBeCloseTo(q1[layout.zHousehold], 6);
    const untouched = { dimension, draws: Float64Array.from(q1) } as ChainOutput;
    householdModelOutputs(model.data, layout, [untouched]);
    expect(untouched.draws).toEqual(q1);
    expect(householdZ(model.data, layout, q1, 0, new Float64Array(H))).toEqual(q1.subarray(layout.zHousehold));
  });
});
