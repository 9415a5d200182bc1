import { describe, expect, it } from 'vitest';
import {
  createSubgroupLogDensity,
  subgroupModelPoint,
  subgroupParameterLayout,
  subgroupShiftAt,
  withSubgroupShift,
} from '../../src/analysis/model/subgroup-log-density.js';
import { prepareSubgroupModel } from '../../src/analysis/model/subgroup-model-data.js';
import type { SubgroupFactor } from '../../src/analysis/subgroup-levels.js';
import { gradeBandOf, priorTierOf, subgroupFactorsOf } from '../../src/analysis/subgroup-levels.js';
import type { ModelTableRow } from '../../src/data/model-table.js';
import { createRng } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';
import type { RosterStudent } from '../../src/types.js';

// Lanczos lgamma (g = 7, 9 terms; Numerical Recipes 3rd ed. sec. 6.1): an independent check.
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

/** Two factors made from the student id, so levels cut across blocks and districts. */
function factorsOf(table: readonly ModelTableRow[]): SubgroupFactor[] {
  const digit = (id: string) => Number(id.replace(/\D/g, '')) % 7;
  return [
    { factor: 'three', levels: new Map(table.map((r) => [r.student_id, ['a', 'b', 'c'][digit(r.student_id) % 3]])) },
    { factor: 'two', levels: new Map(table.map((r) => [r.student_id, digit(r.student_id) < 3 ? 'x' : 'y'])) },
  ];
}

/** The subgroup model written one student at a time, as the Stan program in test/reference/ reads. */
function naiveLogDensity(table: readonly ModelTableRow[], factors: readonly SubgroupFactor[], q: Float64Array): number {
  const { base, data } = prepareSubgroupModel(table, factors);
  const { blocks, districts, baselineMean, baselineSd } = base.info;
  let at = blocks.length;
  const gamma = data.hasGamma ? q[at++] : 0;
  const delta = data.hasDelta ? q[at++] : 0;
  const phi = Math.exp(q[at++]);
  const effect = q[at++];
  const tau = data.network ? Math.exp(q[at++]) : 0;
  const eta = data.network ? districts.map((_, d) => q[at + d]) : [];
  if (data.network) at += districts.length;
  const subTau = factors.map(() => Math.exp(q[at++]));
  const levelNames = factors.map(({ levels }) => [...new Set(table.filter((r) => r.e > 0).map((r) => levels.get(r.student_id)!))].sort());
  const z = levelNames.map((names) => names.map(() => q[at++]));
  const normal = (x: number, m: number, s: number) => -0.5 * ((x - m) / s) ** 2;
  let lp = 0;
  for (const row of table) {
    if (row.e === 0) continue;
    const y = Math.floor(row.y + 0.5);
    const present = row.baseline_absences !== undefined && row.baseline_days !== undefined;
    const zb =
      present && baselineSd > 0 ? (Math.log((row.baseline_absences! + 0.5) / (row.baseline_days! + 1)) - baselineMean) / baselineSd : 0;
    let theta = data.network ? effect + tau * eta[districts.indexOf(row.district)] : effect;
    factors.forEach(({ levels }, g) => {
      theta += subTau[g] * z[g][levelNames[g].indexOf(levels.get(row.student_id)!)];
    });
    const mu = Math.exp(Math.log(row.e) + q[blocks.indexOf(row.block)] + gamma * zb + (present ? 0 : delta) + theta * row.treat);
    lp += lgamma(y + phi) - lgamma(phi) + phi * Math.log(phi / (mu + phi)) + y * Math.log(mu / (mu + phi));
  }
  for (let k = 0; k < blocks.length; k++) lp += normal(q[k], -3, 2);
  if (data.hasGamma) lp += normal(gamma, 0, 1);
  if (data.hasDelta) lp += normal(delta, 0, 1);
  lp += 0.01 * Math.log(phi) - 0.01 * phi;
  lp += normal(effect, 0, 0.5);
  if (data.network) {
    lp += normal(tau, 0, 0.1) + Math.log(tau);
    for (const e of eta) lp += normal(e, 0, 1);
  }
  for (const t of subTau) lp += normal(t, 0, 0.1) + Math.log(t);
  for (const zs of z) for (const v of zs) lp += normal(v, 0, 1);
  return lp;
}

const cases = [
  { name: 'one district, partial baseline', districts: 1, missingBaseline: 0.1 },
  { name: 'network of 3, partial baseline', districts: 3, missingBaseline: 0.2 },
  { name: 'network of 2, no baseline', districts: 2, missingBaseline: 1 },
];

describe('createSubgroupLogDensity', () => {
  for (const c of cases) {
    const { table } = simulateModelTable(createRng(`subgroup-density-${c.name}`), {
      districts: c.districts,
      studentsPerDistrict: 150,
      missingBaseline: c.missingBaseline,
      halfDays: 0.05,
    });
    const factors = factorsOf(table);
    const { data } = prepareSubgroupModel(table, factors);
    const density = createSubgroupLogDensity(data);
    const rng = createRng(`subgroup-q-${c.name}`);
    const randomPoint = () => Float64Array.from({ length: density.dimension }, (_, i) => (i < data.nBlocks ? -3 : 0) + rng() - 0.5);

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

    // The naive density is on the model's coordinates: the sampler's differ from them by a
    // change of variables that is linear in z for a given tau, so its Jacobian is constant.
    it(`differences of log density equal the naive per-student model's (${c.name})`, () => {
      const q1 = randomPoint();
      const q2 = randomPoint();
      const grad = new Float64Array(density.dimension);
      const fast = density.logDensityGradient(q1, grad) - density.logDensityGradient(q2, grad);
      const naive =
        naiveLogDensity(table, factors, subgroupModelPoint(data, q1)) - naiveLogDensity(table, factors, subgroupModelPoint(data, q2));
      expect(fast).toBeCloseTo(naive, 6);
    });

    it(`subgroupModelPoint: each factor's treated-weighted mean z sits in its anchor's slot, z - mean in the others' (${c.name})`, () => {
      const q = randomPoint();
      const layout = subgroupParameterLayout(data);
      const point = subgroupModelPoint(data, q);
      let effect = point[layout.effect];
      for (let g = 0; g < factors.length; g++) {
        const a = data.subgroupAnchor[g];
        let mean = 0;
        for (let l = data.levelOffset[g]; l < data.levelOffset[g + 1]; l++) mean += data.levelWeight[l] * point[layout.subgroupZ + l];
        expect(mean).toBeCloseTo(q[layout.subgroupZ + a], 12);
        for (let l = data.levelOffset[g]; l < data.levelOffset[g + 1]; l++)
          if (l !== a) expect(point[layout.subgroupZ + l] - mean).toBeCloseTo(q[layout.subgroupZ + l], 12);
        effect += Math.exp(q[layout.logSubgroupTau + g]) * mean;
      }
      expect(effect).toBeCloseTo(q[layout.effect], 12);
    });

    describe(`with the levels' differences shifted (${c.name})`, () => {
      const layout = subgroupParameterLayout(data);
      const at = randomPoint();
      const shift = subgroupShiftAt(data, at);
      const shifted = withSubgroupShift(data, shift);
      const shiftedDensity = createSubgroupLogDensity(shifted);
      /**
       * The map's log Jacobian, written out: -1/2 sum over the levels but the anchors of
       * log(1 + tau_g^2 P_l), and over the districts of a network of log(1 + tau^2 P_d).
       */
      const logJacobian = (q: Float64Array) => {
        let sum = 0;
        for (let g = 0; g < factors.length; g++)
          for (let l = data.levelOffset[g]; l < data.levelOffset[g + 1]; l++)
            if (l !== data.subgroupAnchor[g])
              sum -= 0.5 * Math.log(1 + Math.exp(2 * q[layout.logSubgroupTau + g]) * shift.levels.information[l]);
        for (let d = 0; d < shift.districts.score.length; d++)
          sum -= 0.5 * Math.log(1 + Math.exp(2 * q[layout.logTau]) * shift.districts.information[d]);
        return sum;
      };

      it("takes each level's (and district's) score and information at 0 from the model written student by student", () => {
        // At tau_g = 1 and every anchored coordinate 0, moving a level's slot by h moves its z by h
        // and its anchor's by -h w_l / w_a: the naive density's second difference along that.
        const q = new Float64Array(layout.dimension);
        q.set(at.subarray(0, layout.logSubgroupTau));
        if (data.network) {
          q[layout.logTau] = 0;
          q.fill(0, layout.eta, layout.eta + data.nDistricts);
        }
        const grad = new Float64Array(layout.dimension);
        density.logDensityGradient(q, grad);
        const h = 1e-3;
        for (let g = 0; g < factors.length; g++) {
          const a = data.subgroupAnchor[g];
          expect([shift.levels.score[a], shift.levels.information[a]]).toEqual([0, 0]);
          for (let l = data.levelOffset[g]; l < data.levelOffset[g + 1]; l++) {
            if (l === a) continue;
            expect(shift.levels.score[l]).toBeCloseTo(grad[layout.subgroupZ + l], 6);
            const along = (step: number) => {
              const point = subgroupModelPoint(data, q);
              point[layout.subgroupZ + l] += step;
              point[layout.subgroupZ + a] -= (step * data.levelWeight[l]) / data.levelWeight[a];
              return naiveLogDensity(table, factors, point);
            };
            const curvature = (along(h) - 2 * along(0) + along(-h)) / (h * h);
            const prior = 1 + (data.levelWeight[l] / data.levelWeight[a]) ** 2;
            expect(shift.levels.information[l]).toBeGreaterThan(1);
            expect(shift.levels.information[l]).toBeCloseTo(-curvature - prior, 2);
          }
        }
        // Each district's eta[d] at tau = 1: the naive density's second difference along it, less the prior's 1.
        expect(shift.districts.score).toHaveLength(data.network ? data.nDistricts : 0);
        for (let d = 0; d < shift.districts.score.length; d++) {
          expect(shift.districts.score[d]).toBeCloseTo(grad[layout.eta + d], 6);
          const along = (step: number) => {
            const point = subgroupModelPoint(data, q);
            point[layout.eta + d] += step;
            return naiveLogDensity(table, factors, point);
          };
          const curvature = (along(h) - 2 * along(0) + along(-h)) / (h * h);
          expect(shift.districts.information[d]).toBeGreaterThan(1);
          expect(shift.districts.information[d]).toBeCloseTo(-curvature - 1, 2);
        }
      });

      it('has the gradient of its log density (central differences)', () => {
        const q = randomPoint();
        const grad = new Float64Array(layout.dimension);
        shiftedDensity.logDensityGradient(q, grad);
        const scratch = new Float64Array(layout.dimension);
        for (let i = 0; i < layout.dimension; i++) {
          const h = 1e-5;
          const up = Float64Array.from(q);
          up[i] += h;
          const down = Float64Array.from(q);
          down[i] -= h;
          const fd = (shiftedDensity.logDensityGradient(up, scratch) - shiftedDensity.logDensityGradient(down, scratch)) / (2 * h);
          expect(Math.abs(fd - grad[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(grad[i])));
        }
      });

      it("is the model's density at its point plus the map's log Jacobian", () => {
        const q1 = randomPoint();
        const q2 = randomPoint();
        const grad = new Float64Array(layout.dimension);
        const fast = shiftedDensity.logDensityGradient(q1, grad) - shiftedDensity.logDensityGradient(q2, grad);
        const naive =
          naiveLogDensity(table, factors, subgroupModelPoint(shifted, q1)) -
          naiveLogDensity(table, factors, subgroupModelPoint(shifted, q2));
        expect(fast).toBeCloseTo(naive + logJacobian(q1) - logJacobian(q2), 6);
        // The shift moves the point: the model's point differs from the unshifted map's.
        expect(subgroupModelPoint(shifted, q1)[layout.subgroupZ + (data.subgroupAnchor[0] === 0 ? 1 : 0)]).not.toBeCloseTo(
          subgroupModelPoint(data, q1)[layout.subgroupZ + (data.subgroupAnchor[0] === 0 ? 1 : 0)],
          3,
        );
      });
    });
  }

  it('appends log tau_g and the levels after the standard layout (5 levels of 2 factors)', () => {
    const { table } = simulateModelTable(createRng(1), { districts: 1, studentsPerDistrict: 60, blocksPerDistrict: 2, missingBaseline: 0 });
    const density = createSubgroupLogDensity(prepareSubgroupModel(table, factorsOf(table)).data);
    // alpha[2], gamma, log phi, theta: 5; then log tau x 2; then z x (3 + 2).
    expect(density.layout).toMatchObject({ dimension: 12, logPhi: 3, effect: 4, logSubgroupTau: 5, subgroupZ: 7 });
  });
});

describe('prepareSubgroupModel', () => {
  it('counts each level by arm and splits only treated cells', () => {
    const rows: ModelTableRow[] = [
      { student_id: 'A', y: 1, e: 10, treat: 1, block: 'b', district: 'd' },
      { student_id: 'B', y: 2, e: 10, treat: 1, block: 'b', district: 'd' },
      { student_id: 'C', y: 0, e: 10, treat: 0, block: 'b', district: 'd' },
      { student_id: 'D', y: 3, e: 10, treat: 0, block: 'b', district: 'd' },
      { student_id: 'E', y: 3, e: 0, treat: 0, block: 'b', district: 'd' },
    ];
    const levels = new Map([
      ['A', 'low'],
      ['B', 'high'],
      ['C', 'low'],
      ['D', 'high'],
      ['E', 'high'],
    ]);
    const { data, subgroups } = prepareSubgroupModel(rows, [{ factor: 'f', levels }]);
    // E (enrolled 0 days) is out of the fit; levels sorted by name.
    expect(subgroups.factors[0].levels).toEqual([
      { level: 'high', n_treatment: 1, n_control: 1 },
      { level: 'low', n_treatment: 1, n_control: 1 },
    ]);
    // One control cell, two treated cells (one per level).
    expect(Array.from(data.cellTreat).sort()).toEqual([0, 1, 1]);
    expect(Array.from(data.cellLevel).sort()).toEqual([-1, 0, 1]);
  });

  it('refuses a student without a level', () => {
    const rows: ModelTableRow[] = [{ student_id: 'A', y: 1, e: 10, treat: 1, block: 'b', district: 'd' }];
    expect(() => prepareSubgroupModel(rows, [{ factor: 'f', levels: new Map() }])).toThrow(/student A has no level in subgroup factor f/);
  });
});

describe('subgroup levels', () => {
  it('priorTierOf puts last year’s rate in the Attendance Works tiers', () => {
    expect(priorTierOf({ baseline_absences: 4, baseline_days: 100 })).toBe('under 5%');
    expect(priorTierOf({ baseline_absences: 5, baseline_days: 100 })).toBe('5-9.99%');
    expect(priorTierOf({ baseline_absences: 10, baseline_days: 100 })).toBe('10-19.99%');
    expect(priorTierOf({ baseline_absences: 49, baseline_days: 100 })).toBe('20-49.99%');
    expect(priorTierOf({ baseline_absences: 50, baseline_days: 100 })).toBe('50% or more');
    expect(priorTierOf({})).toBe('not given');
    expect(priorTierOf({ baseline_absences: 0, baseline_days: 0 })).toBe('not given');
  });

  it('gradeBandOf: PK-5, 6-8, 9-12', () => {
    expect(['PK', 'KG', '5', '6', '8', '9', '12'].map((g) => gradeBandOf(g as never))).toEqual([
      'PK-5',
      'PK-5',
      'PK-5',
      '6-8',
      '6-8',
      '9-12',
      '9-12',
    ]);
  });

  it('subgroupFactorsOf reads defined factors and roster fields', () => {
    const table: ModelTableRow[] = [
      { student_id: 'S1', y: 1, e: 10, treat: 1, block: 'b', district: 'd', baseline_absences: 12, baseline_days: 100 },
      { student_id: 'S2', y: 1, e: 10, treat: 0, block: 'b', district: 'd' },
    ];
    const student = (id: string, grade: string, lang: string, mode?: string) =>
      ({
        student_id: id,
        district_id: 'd',
        school_id: `sch-${id}`,
        grade,
        household_id: id,
        preferred_language: lang,
        preferred_mode: mode,
      }) as RosterStudent;
    const roster = [student('S1', '7', 'es', 'text'), student('S2', 'KG', 'en')];
    const factors = subgroupFactorsOf(table, ['prior_tier', 'grade_band', 'language', 'mode', 'school_id'], roster);
    expect(factors.map((f) => [f.factor, [...f.levels.values()]])).toEqual([
      ['prior_tier', ['10-19.99%', 'not given']],
      ['grade_band', ['6-8', 'PK-5']],
      ['language', ['es', 'en']],
      ['mode', ['text', 'not given']],
      ['school_id', ['sch-S1', 'sch-S2']],
    ]);
    expect(() => subgroupFactorsOf(table, ['grade_band'])).toThrow(/--subgroups grade_band needs the roster/);
    expect(() => subgroupFactorsOf(table, ['shoe_size'], roster)).toThrow(/--subgroups shoe_size: no such roster field/);
  });
});
