import type { AbsenceModelData } from './absence-model-data.js';
import { WASM_BASE64 } from './likelihood-groups-wasm.js';

/**
 * The likelihood's sum over groups of students, run by the WebAssembly loop of
 * likelihood-groups.wat (two groups per step, about twice as fast as JavaScript). The
 * groups' data are copied into the module's memory once; before each `sum` the caller
 * writes this evaluation's per-cell rates, per-baseline rates and the cells' starting
 * gradients into the three views below, which live in that same memory.
 */
export interface LikelihoodGroups {
  /** Per cell: `exp(alpha[k] + delta m + theta[d] T)`. */
  readonly cellRate: Float64Array;
  /** Per distinct baseline value: `exp(gamma z)` (1 when the model has no gamma). */
  readonly zRate: Float64Array;
  /** Per cell: d lp / d(cell's linear predictor); `sum` subtracts each group's share from it. */
  readonly cellGradient: Float64Array;
  /**
   * Returns `-sum_g (y_g + w_g phi) log(mu_g + phi)`, and leaves the groups' shares of
   * d lp / d phi and d lp / d gamma in `dPhi` and `gradGamma`.
   */
  sum(phi: number): number;
  readonly dPhi: number;
  readonly gradGamma: number;
}

// The little of the WebAssembly API used here (Node's types for it are not in @types/node 20).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
};

interface GroupsExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly log: (x: number) => number;
  readonly sumGroups: GroupSum<number>;
  readonly sumGroupsOneByOne: GroupSum<void>;
}

type GroupSum<R> = (
  n: number,
  pCell: number,
  pZ: number,
  pE: number,
  pY: number,
  pW: number,
  pCellRate: number,
  pZRate: number,
  pZValues: number,
  pCellGrad: number,
  phi: number,
  out: number,
) => R;

const TABLE_SIZE = 1024;
const PAGE = 65536;

let compiled: object | undefined;

/** A new instance of the module with its logarithm table in place. */
function instantiate(): GroupsExports {
  compiled ??= new WebAssembly.Module(Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0)));
  const exports = new WebAssembly.Instance(compiled, { Math: { log: Math.log } }).exports as unknown as GroupsExports;
  // At address 0, for each of 1024 intervals of [1, 2): log of its centre, 1 / centre.
  const table = new Float64Array(exports.memory.buffer, 0, 2 * TABLE_SIZE);
  for (let j = 0; j < TABLE_SIZE; j++) {
    const centre = 1 + (j + 0.5) / TABLE_SIZE;
    table[2 * j] = Math.log(centre);
    table[2 * j + 1] = 1 / centre;
  }
  return exports;
}

/** Places arrays one after another in a module's memory, each 16-byte aligned. */
class MemoryLayout {
  private end = 2 * TABLE_SIZE * 8;
  take(bytes: number): number {
    const at = this.end;
    this.end += Math.ceil(bytes / 16) * 16;
    return at;
  }
  get size(): number {
    return this.end;
  }
}

export function createLikelihoodGroups(data: AbsenceModelData): LikelihoodGroups {
  const nGroups = data.groupCell.length;
  const nCells = data.cellBlock.length;
  const nZ = data.zValues.length;
  const layout = new MemoryLayout();
  const at = {
    cell: layout.take(4 * nGroups),
    z: layout.take(4 * nGroups),
    e: layout.take(8 * nGroups),
    y: layout.take(8 * nGroups),
    w: layout.take(8 * nGroups),
    cellRate: layout.take(8 * nCells),
    cellGradient: layout.take(8 * nCells),
    zRate: layout.take(8 * nZ),
    zValues: layout.take(8 * nZ),
    out: layout.take(24),
  };
  const wasm = instantiate();
  // Grown once, before any view is taken: growing detaches the views of a memory.
  const pages = Math.ceil(layout.size / PAGE) - wasm.memory.buffer.byteLength / PAGE;
  if (pages > 0) wasm.memory.grow(pages);
  const buffer = wasm.memory.buffer;
  new Int32Array(buffer, at.cell, nGroups).set(data.groupCell);
  new Int32Array(buffer, at.z, nGroups).set(data.groupZ);
  new Float64Array(buffer, at.e, nGroups).set(data.groupE);
  new Float64Array(buffer, at.y, nGroups).set(data.groupY);
  new Float64Array(buffer, at.w, nGroups).set(data.groupWeight);
  new Float64Array(buffer, at.zValues, nZ).set(data.zValues);
  const out = new Float64Array(buffer, at.out, 3);
  const cellGradient = new Float64Array(buffer, at.cellGradient, nCells);
  const cellGradientBefore = new Float64Array(nCells);
  const args = [nGroups, at.cell, at.z, at.e, at.y, at.w, at.cellRate, at.zRate, at.zValues, at.cellGradient] as const;
  return {
    cellRate: new Float64Array(buffer, at.cellRate, nCells),
    zRate: new Float64Array(buffer, at.zRate, nZ).fill(1),
    cellGradient,
    sum(phi) {
      cellGradientBefore.set(cellGradient);
      if (wasm.sumGroups(...args, phi, at.out) !== 0) {
        // Some mu + phi overflowed, underflowed or is NaN (far out in a trajectory): sum
        // again with Math.log's answers for those, as the density must see them.
        cellGradient.set(cellGradientBefore);
        wasm.sumGroupsOneByOne(...args, phi, at.out);
      }
      return out[0];
    },
    get dPhi() {
      return out[1];
    },
    get gradGamma() {
      return out[2];
    },
  };
}

let logInstance: GroupsExports | undefined;

/**
 * The module's logarithm, as the loop computes it: within a few units in the last place
 * of `Math.log` (tested), which it calls for zero, subnormal, negative, infinite and NaN
 * arguments. Exported for the tests.
 */
export function tableLog(x: number): number {
  return (logInstance ??= instantiate()).log(x);
}
