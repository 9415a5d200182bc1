import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { compileWat } from '../../scripts/build-wasm.mjs';
import type { AbsenceModelData } from '../../src/analysis/model/absence-model-data.js';
import { createLikelihoodGroups, tableLog } from '../../src/analysis/model/likelihood-groups.js';
import { WASM_BASE64 } from '../../src/analysis/model/likelihood-groups-wasm.js';
import { createRng } from '../../src/random.js';

// The likelihood sums tens of thousands of `(y + phi) log(mu + phi)` terms, so what
// matters is the logarithm's absolute error against Math.log: it must stay at the level
// of Math.log's own rounding (a few 1e-16 times max(1, |log v|)).
const LOG_TOLERANCE = 1e-15;

function worstLogError(values: Iterable<number>): number {
  let worst = 0;
  for (const v of values) worst = Math.max(worst, Math.abs(tableLog(v) - Math.log(v)) / Math.max(1, Math.abs(Math.log(v))));
  return worst;
}

function* logUniform(seed: string, from: number, to: number, count: number): Generator<number> {
  const rng = createRng(seed);
  for (let i = 0; i < count; i++) yield Math.exp(Math.log(from) + rng() * (Math.log(to) - Math.log(from)));
}

describe('tableLog, the logarithm of the WebAssembly loop', () => {
  it('agrees with Math.log over the range the likelihood uses, 1e-3 to 1e6', () => {
    expect(worstLogError(logUniform('table-log', 1e-3, 1e6, 200_000))).toBeLessThan(LOG_TOLERANCE);
  });

  it('agrees over the whole range of normal doubles', () => {
    expect(worstLogError(logUniform('table-log-wide', 1e-300, 1e300, 100_000))).toBeLessThan(LOG_TOLERANCE);
  });

  it('agrees near 1, where log v is small and only absolute error counts', () => {
    const rng = createRng('table-log-near-1');
    const near = Array.from({ length: 100_000 }, () => 1 + (rng() - 0.5) * 1e-2);
    expect(worstLogError(near)).toBeLessThan(LOG_TOLERANCE);
  });

  it('is right at the edges of its table intervals and exponents', () => {
    const edges: number[] = [];
    for (let k = -1022; k < 1024; k += 7) for (const m of [1, 1 + 1 / 1024, 1.5, 2 - 1 / 1024, 2 - 2 ** -52]) edges.push(m * 2 ** k);
    edges.push(2 ** -1022, Number.MAX_VALUE);
    expect(worstLogError(edges)).toBeLessThan(LOG_TOLERANCE);
    expect(Math.abs(tableLog(1))).toBeLessThan(1e-16);
    expect(tableLog(Math.E)).toBeCloseTo(1, 15);
  });

  it('gives what Math.log gives for zero, subnormals, negatives, infinities and NaN', () => {
    for (const v of [0, -0, Number.MIN_VALUE, 2 ** -1030, -1, -Infinity, Infinity, NaN]) expect(tableLog(v)).toBe(Math.log(v));
  });
});

/** A model's group arrays (cells and baseline values as given), with the rest left empty. */
function groupData(
  groups: { cell: number; z: number; e: number; y: number; w: number }[],
  nCells: number,
  zValues: number[],
): AbsenceModelData {
  return {
    nBlocks: nCells,
    nDistricts: 1,
    network: false,
    hasGamma: true,
    hasDelta: false,
    effectPrior: { mean: 0, sd: 0.5 },
    cellBlock: new Int32Array(nCells),
    cellDistrict: new Int32Array(nCells),
    cellTreat: new Uint8Array(nCells),
    cellMissing: new Uint8Array(nCells),
    cellY: new Float64Array(nCells),
    zValues: Float64Array.from(zValues),
    groupCell: Int32Array.from(groups, (g) => g.cell),
    groupZ: Int32Array.from(groups, (g) => g.z),
    groupE: Float64Array.from(groups, (g) => g.e),
    groupY: Float64Array.from(groups, (g) => g.y),
    groupWeight: Float64Array.from(groups, (g) => g.w),
    sumYZ: 0,
    n: groups.reduce((s, g) => s + g.w, 0),
    countAbove: new Float64Array(0),
  };
}

/** The same sums as the WebAssembly loop, one group at a time with Math.log. */
function referenceSums(data: AbsenceModelData, cellRate: Float64Array, zRate: Float64Array, phi: number) {
  const cellGradient = new Float64Array(cellRate.length);
  let lp = 0;
  let dPhi = 0;
  let gradGamma = 0;
  for (let g = 0; g < data.groupCell.length; g++) {
    const c = data.groupCell[g];
    const mu = data.groupE[g] * cellRate[c] * zRate[data.groupZ[g]];
    const yPhi = data.groupY[g] + data.groupWeight[g] * phi;
    const log = Math.log(mu + phi);
    lp -= yPhi * log;
    const ratio = yPhi / (mu + phi);
    const r = ratio * mu;
    cellGradient[c] -= r;
    gradGamma -= r * data.zValues[data.groupZ[g]];
    dPhi -= data.groupWeight[g] * log + ratio;
  }
  return { lp, dPhi, gradGamma, cellGradient };
}

describe('createLikelihoodGroups', () => {
  // Odd and even counts (the loop takes groups two at a time), neighbours in one cell
  // (both of a pair write the same cell's gradient), weights above 1 and zero counts.
  for (const count of [1, 2, 7, 1000, 1001]) {
    it(`sums ${count} groups as one group at a time with Math.log does`, () => {
      const rng = createRng(`groups-${count}`);
      const nCells = 5;
      const zValues = [-1.2, 0, 0.4, 2.5];
      const groups = Array.from({ length: count }, (_, g) => ({
        cell: g % 3 === 0 ? 0 : Math.floor(rng() * nCells),
        z: Math.floor(rng() * zValues.length),
        e: 1 + Math.floor(rng() * 180),
        y: Math.floor(rng() * 30),
        w: rng() < 0.2 ? 2 + Math.floor(rng() * 5) : 1,
      }));
      const data = groupData(groups, nCells, zValues);
      const sums = createLikelihoodGroups(data);
      for (let c = 0; c < nCells; c++) sums.cellRate[c] = Math.exp(-3 + rng());
      for (let j = 0; j < zValues.length; j++) sums.zRate[j] = Math.exp(0.3 * zValues[j]);
      const phi = 1.7;
      const expected = referenceSums(data, sums.cellRate, sums.zRate, phi);
      const lp = sums.sum(phi);
      const close = (actual: number, wanted: number) =>
        expect(Math.abs(actual - wanted)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(wanted)));
      close(lp, expected.lp);
      close(sums.dPhi, expected.dPhi);
      close(sums.gradGamma, expected.gradGamma);
      for (let c = 0; c < nCells; c++) close(sums.cellGradient[c], expected.cellGradient[c]);
      // A second evaluation starts from the caller's cell gradients, not from the first's.
      sums.cellGradient.fill(0);
      expect(sums.sum(phi)).toBe(lp);
      for (let c = 0; c < nCells; c++) close(sums.cellGradient[c], expected.cellGradient[c]);
    });
  }

  it('sums again with Math.log when some mu + phi is not a positive normal double', () => {
    // mu = 0 and phi subnormal make mu + phi subnormal, which the pair loop's logarithm does
    // not cover: the sums must still be Math.log's, from the caller's cell gradients.
    const groups = Array.from({ length: 7 }, (_, g) => ({ cell: g % 2, z: 0, e: 10 + g, y: g % 2 === 0 ? 0 : g, w: 1 }));
    const data = groupData(groups, 2, [0.5]);
    const sums = createLikelihoodGroups(data);
    sums.cellRate.set([0, 0.1]);
    sums.cellGradient.set([3, 4]);
    const phi = 1e-310;
    const expected = referenceSums(data, sums.cellRate, sums.zRate, phi);
    expect(sums.sum(phi)).toBe(expected.lp);
    expect(sums.dPhi).toBe(expected.dPhi);
    expect(sums.gradGamma).toBe(expected.gradGamma);
    expect(Array.from(sums.cellGradient)).toEqual([3 + expected.cellGradient[0], 4 + expected.cellGradient[1]]);
  });

  it('gives a log density that is not finite when a rate overflows', () => {
    const data = groupData(
      [
        { cell: 0, z: 0, e: 10, y: 3, w: 1 },
        { cell: 1, z: 0, e: 10, y: 3, w: 1 },
      ],
      2,
      [0],
    );
    const sums = createLikelihoodGroups(data);
    sums.cellRate.set([Infinity, 0.1]);
    expect(Number.isFinite(sums.sum(2))).toBe(false);
  });
});

describe('the committed WebAssembly', () => {
  it('is the compilation of likelihood-groups.wat (run `npm run build:wasm` after editing it)', async () => {
    const binary: Buffer = await compileWat(new URL('../../src/analysis/model/likelihood-groups.wat', import.meta.url).pathname);
    expect(binary.toString('base64')).toBe(WASM_BASE64);
  });
});
