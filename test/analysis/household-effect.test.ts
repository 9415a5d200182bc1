import { describe, expect, it } from 'vitest';
import { estimateEffectWithDraws } from '../../src/analysis/estimate-effect.js';
import { createAbsenceLogDensity } from '../../src/analysis/model/absence-log-density.js';
import { AUTO_SHARED_HOUSEHOLDS, chooseHouseholdEffect, SIGMA_HOUSEHOLD_SCALE } from '../../src/analysis/model/household-effect.js';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import type { ModelTableRow } from '../../src/data/model-table.js';
import { createRng } from '../../src/random.js';
import { simulateRealisticModelTable } from '../../src/simulate/realistic-absences.js';
import { expectGradientMatchesDifferences } from '../helpers/gradient.js';

// Lanczos lgamma (g = 7, 9 terms; Numerical Recipes 3rd ed. sec. 6.1), ~1e-15 relative:
// independent of the model's own finite sums.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function lgamma(x: number): number {
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Households with two or more students enrolled: the ones with a term. */
function sharedHouseholds(rows: readonly ModelTableRow[]): string[] {
  const sizes = new Map<string, number>();
  for (const r of rows) if (r.e > 0) sizes.set(r.household!, (sizes.get(r.household!) ?? 0) + 1);
  return [...sizes]
    .filter(([, n]) => n >= 2)
    .map(([h]) => h)
    .sort();
}

/** The household model written student by student (one district, full baseline): the spec as text. */
function naiveHouseholdLogDensity(rows: readonly ModelTableRow[], q: Float64Array): number {
  const model = prepareAbsenceModel(rows, undefined, { householdEffect: true });
  const { blocks, baselineMean, baselineSd } = model.info;
  const households = sharedHouseholds(rows);
  const K = blocks.length;
  const [gamma, phi, theta, sigma] = [q[K], Math.exp(q[K + 1]), q[K + 2], Math.exp(q[K + 3])];
  const z = (h: string) => (households.includes(h) ? q[K + 4 + households.indexOf(h)] : 0);
  let lp = 0;
  for (const row of rows) {
    if (row.e === 0) continue;
    const y = row.y;
    const zb = (Math.log((row.baseline_absences! + 0.5) / (row.baseline_days! + 1)) - baselineMean) / baselineSd;
    const mu = Math.exp(Math.log(row.e) + q[blocks.indexOf(row.block)] + gamma * zb + theta * row.treat + sigma * z(row.household!));
    lp += lgamma(y + phi) - lgamma(phi) + phi * Math.log(phi / (mu + phi)) + y * Math.log(mu / (mu + phi));
  }
  for (let k = 0; k < K; k++) lp -= 0.5 * ((q[k] + 3) / 2) ** 2;
  lp -= 0.5 * gamma ** 2;
  lp += 0.01 * Math.log(phi) - 0.01 * phi; // Gamma(0.01, 0.01) on phi, with the log Jacobian
  lp -= 0.5 * (theta / 0.5) ** 2;
  lp += -0.5 * (sigma / SIGMA_HOUSEHOLD_SCALE) ** 2 + q[K + 3]; // HalfNormal on sigma, log Jacobian
  for (const h of households) lp -= 0.5 * z(h) ** 2;
  return lp;
}

const { table } = simulateRealisticModelTable(createRng('household-density'), {
  students: 60,
  blocks: 3,
  effect: 0.1,
  householdSd: 0.5,
  weeklyShockSd: 0.5,
  dailyCap: 0.9,
});

function randomPoint(dimension: number, seed: string): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: dimension }, () => 1.6 * rng() - 0.8);
}

describe('the household random effect', () => {
  const model = prepareAbsenceModel(table, undefined, { householdEffect: true });
  const density = createAbsenceLogDensity(model.data);
  const households = sharedHouseholds(table).length;

  it('appends log sigma_household and one z per household to the layout', () => {
    const plain = createAbsenceLogDensity(prepareAbsenceModel(table).data);
    expect(model.info.households).toBe(households);
    expect(density.layout.logSigmaHousehold).toBe(plain.dimension);
    expect(density.layout.zHousehold).toBe(plain.dimension + 1);
    expect(density.dimension).toBe(plain.dimension + 1 + households);
    expect(plain.layout.logSigmaHousehold).toBe(-1);
    // Every cell lies in one household with a term, or holds students alone in theirs (-1).
    const cellHousehold = model.data.household!.cellHousehold;
    expect(cellHousehold.length).toBe(model.data.cellBlock.length);
    expect(new Set(cellHousehold).size).toBe(households + 1);
    expect(households).toBeGreaterThan(10);
  });

  it('has the log density of the model written student by student, up to a constant', () => {
    const q1 = randomPoint(density.dimension, 'q1');
    const q2 = randomPoint(density.dimension, 'q2');
    const grad = new Float64Array(density.dimension);
    const ours = density.logDensityGradient(q1, grad) - density.logDensityGradient(q2, grad);
    const naive = naiveHouseholdLogDensity(table, q1) - naiveHouseholdLogDensity(table, q2);
    expect(Math.abs(ours - naive)).toBeLessThan(1e-8 * Math.max(1, Math.abs(naive)));
  });

  it('has the gradient of its log density (central differences)', () => {
    const q = randomPoint(density.dimension, 'gradient');
    expectGradientMatchesDifferences(density, q);
  });

  it('leaves the plain model as it was when not asked for, households or not', () => {
    const withoutColumn = table.map(({ household: _, ...row }) => row);
    const a = prepareAbsenceModel(table);
    const b = prepareAbsenceModel(withoutColumn);
    expect(a.data).toEqual(b.data);
    expect(a.data.household).toBeUndefined();
    const q = randomPoint(a.data.nBlocks + 3, 'plain');
    const g = new Float64Array(q.length);
    expect(createAbsenceLogDensity(a.data).logDensityGradient(q, g)).toBe(createAbsenceLogDensity(b.data).logDensityGradient(q, g));
  });

  it("is chosen by 'auto' where siblings are common, and only where the table has households", () => {
    const row = (id: string, household?: string, e = 40): ModelTableRow => ({
      student_id: id,
      y: 1,
      e,
      treat: 0,
      block: 'B',
      district: 'D',
      household,
    });
    // 2 of 20 students enrolled share a household: exactly the 10% threshold.
    const atThreshold = [row('S1', 'H1'), row('S2', 'H1'), ...Array.from({ length: 18 }, (_, i) => row(`T${i}`, `G${i}`))];
    expect(AUTO_SHARED_HOUSEHOLDS).toBe(0.1);
    expect(chooseHouseholdEffect(atThreshold)).toBe(true);
    expect(chooseHouseholdEffect(atThreshold, false)).toBe(false);
    // A sibling enrolled 0 days leaves the fit: then 1 of 19 shares nothing.
    const below = [row('S1', 'H1'), row('S2', 'H1', 0), ...Array.from({ length: 18 }, (_, i) => row(`T${i}`, `G${i}`))];
    expect(chooseHouseholdEffect(below)).toBe(false);
    expect(chooseHouseholdEffect(below, true)).toBe(true);
    const noColumn = atThreshold.map(({ household: _, ...r }) => r);
    expect(chooseHouseholdEffect(noColumn, true)).toBe(false);
  });

  it('is fitted by estimateEffect, which records it in the model description', async () => {
    const { result, draws } = await estimateEffectWithDraws(table, {
      seed: 3,
      chains: 2,
      warmup: 200,
      draws: 200,
      threads: 0,
      refit: false,
    });
    expect(result.model.household_effect).toEqual({
      fitted: true,
      option: 'auto',
      households,
      in_shared_households: model.info.inSharedHouseholds,
    });
    expect(result.model.priors.sigma_household).toBe('half-normal(0, 0.5)');
    expect(draws.parameters).toContain('sigma_household');
    expect(draws.names.some((n) => n.startsWith('z_household'))).toBe(false);
    const off = await estimateEffectWithDraws(table, {
      seed: 3,
      chains: 2,
      warmup: 200,
      draws: 200,
      threads: 0,
      refit: false,
      householdEffect: false,
    });
    expect(off.result.model.household_effect).toMatchObject({ fitted: false, option: 'off', households: 0 });
    expect(off.draws.parameters).not.toContain('sigma_household');
  });
});
