import { describe, expect, it } from 'vitest';
import { createAbsenceLogDensity } from '../../src/analysis/model/absence-log-density.js';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import type { ModelTableRow } from '../../src/data/model-table.js';
import { createRng } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';

// Lanczos approximation (g = 7, 9 terms; Numerical Recipes 3rd ed. sec. 6.1), accurate to
// ~1e-15 relative: an independent lgamma for the naive NB2 density below.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The model written the slow, obvious way: one student at a time, lgamma and all. */
function naiveLogDensity(
  rows: readonly ModelTableRow[],
  q: Float64Array,
  network: boolean,
  nBlocks: number,
  hasGamma: boolean,
  hasDelta: boolean,
): number {
  const model = prepareAbsenceModel(rows);
  const { blocks, districts, baselineMean, baselineSd } = model.info;
  let at = nBlocks;
  const gamma = hasGamma ? q[at++] : 0;
  const delta = hasDelta ? q[at++] : 0;
  const phi = Math.exp(q[at++]);
  const effect = q[at++];
  const tau = network ? Math.exp(q[at++]) : 0;
  const eta = network ? Array.from({ length: districts.length }, (_, d) => q[at + d]) : [];
  const normal = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2 - Math.log(s);
  let lp = 0;
  for (const row of rows) {
    if (row.e === 0) continue;
    const y = Math.floor(row.y + 0.5);
    const present = row.baseline_absences !== undefined && row.baseline_days !== undefined;
    const z =
      present && baselineSd > 0 ? (Math.log((row.baseline_absences! + 0.5) / (row.baseline_days! + 1)) - baselineMean) / baselineSd : 0;
    const d = districts.indexOf(row.district);
    const theta = network ? effect + tau * eta[d] : effect;
    const logMu = Math.log(row.e) + q[blocks.indexOf(row.block)] + gamma * z + (present ? 0 : delta) + theta * row.treat;
    const mu = Math.exp(logMu);
    lp += lgamma(y + phi) - lgamma(phi) - lgamma(y + 1) + phi * Math.log(phi / (mu + phi)) + y * Math.log(mu / (mu + phi));
  }
  for (let k = 0; k < nBlocks; k++) lp += normal(q[k], -3, 2);
  if (hasGamma) lp += normal(gamma, 0, 1);
  if (hasDelta) lp += normal(delta, 0, 1);
  lp += (0.01 - 1) * Math.log(phi) - 0.01 * phi + Math.log(phi); // Gamma(0.01, 0.01) and Jacobian
  lp += normal(effect, 0, 0.5);
  if (network) {
    lp += -0.5 * (tau / 0.1) ** 2 + Math.log(tau);
    for (const e of eta) lp += normal(e, 0, 1);
  }
  return lp;
}

const cases = [
  { name: 'one district, partial baseline', districts: 1, missingBaseline: 0.1 },
  { name: 'one district, no baseline', districts: 1, missingBaseline: 1 },
  { name: 'one district, full baseline', districts: 1, missingBaseline: 0 },
  { name: 'network of 3, partial baseline', districts: 3, missingBaseline: 0.2 },
  { name: 'network of 3, no baseline', districts: 3, missingBaseline: 1 },
];

describe('createAbsenceLogDensity', () => {
  for (const c of cases) {
    const { table } = simulateModelTable(createRng(`density-${c.name}`), {
      districts: c.districts,
      studentsPerDistrict: 150,
      missingBaseline: c.missingBaseline,
      halfDays: 0.05,
    });
    const model = prepareAbsenceModel(table);
    const density = createAbsenceLogDensity(model.data);
    const rng = createRng(`q-${c.name}`);
    const randomPoint = () => Float64Array.from({ length: density.dimension }, (_, i) => (i < model.data.nBlocks ? -3 : 0) + rng() - 0.5);

    it(`gradient matches central finite differences (${c.name})`, () => {
      const q = randomPoint();
      const grad = new Float64Array(density.dimension);
      density.logDensityGradient(q, grad);
      const scratch = new Float64Array(density.dimension);
      for (let i = 0; i < density.dimension; i++) {
        const h = 1e-5;
        const up = Float64Array.from(q);
        up[i] += h;
        const down = Float64Array.from(q);
        down[i] -= h;
        const fd = (density.logDensityGradient(up, scratch) - density.logDensityGradient(down, scratch)) / (2 * h);
        expect(Math.abs(fd - grad[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(grad[i])));
      }
    });

    it(`differences of log density equal the naive lgamma model's (${c.name})`, () => {
      const q1 = randomPoint();
      const q2 = randomPoint();
      const grad = new Float64Array(density.dimension);
      const fast = density.logDensityGradient(q1, grad) - density.logDensityGradient(q2, grad);
      const { hasGamma, hasDelta, network, nBlocks } = model.data;
      const naive =
        naiveLogDensity(table, q1, network, nBlocks, hasGamma, hasDelta) - naiveLogDensity(table, q2, network, nBlocks, hasGamma, hasDelta);
      expect(fast).toBeCloseTo(naive, 6);
    });
  }

  it('lays out parameters by the drop rules', () => {
    const layoutOf = (missingBaseline: number, districts: number) =>
      createAbsenceLogDensity(
        prepareAbsenceModel(
          simulateModelTable(createRng(1), { districts, studentsPerDistrict: 40, blocksPerDistrict: 2, missingBaseline }).table,
        ).data,
      ).layout;
    expect(layoutOf(0.3, 1)).toMatchObject({ dimension: 6, gamma: 2, delta: 3, logPhi: 4, effect: 5, logTau: -1 });
    expect(layoutOf(0, 1)).toMatchObject({ dimension: 5, gamma: 2, delta: -1, logPhi: 3, effect: 4 });
    expect(layoutOf(1, 1)).toMatchObject({ dimension: 4, gamma: -1, delta: -1, logPhi: 2, effect: 3 });
    expect(layoutOf(1, 2)).toMatchObject({ dimension: 9, logPhi: 4, effect: 5, logTau: 6, eta: 7 });
  });
});
