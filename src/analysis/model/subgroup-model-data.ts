import { compareStudentIds } from '../../data/compare-student-ids.js';
import type { ModelTable, ModelTableRow } from '../../data/model-table.js';
import { UsageError } from '../../errors.js';
import type { SubgroupFactor } from '../subgroup-levels.js';
import type { AbsenceModelData, TermShift } from './absence-model-data.js';
import type { EffectPrior } from './effect-prior.js';
import { DEFAULT_EFFECT_PRIOR } from './effect-prior.js';
import type { AbsenceModel } from './prepare-absence-model.js';
import { prepareAbsenceModel } from './prepare-absence-model.js';

/**
 * The subgroup model's data: the standard model's, with treated students' cells split
 * by their subgroup levels, and each treated cell's level in every factor.
 */
export interface SubgroupModelData extends AbsenceModelData {
  readonly nFactors: number;
  /** Levels of factor g are `levelOffset[g] .. levelOffset[g + 1] - 1` of the level vector. */
  readonly levelOffset: Int32Array;
  /** `cellLevel[c * nFactors + g]`: the level (index into the level vector) of cell c in factor g; -1 for control cells. */
  readonly cellLevel: Int32Array;
  /** Scale of the half-normal prior on each factor's spread `tau_g`. */
  readonly subgroupTauScale: number;
  /**
   * Per factor, its largest level (most treated students): the slot of the sampler's
   * coordinates that holds the factor's weighted mean (subgroup-log-density.ts).
   */
  readonly subgroupAnchor: Int32Array;
  /** Per level, its share of its factor's treated students (the weights of that mean). */
  readonly levelWeight: Float64Array;
  /** The shifts of the sampler's coordinates (subgroup-log-density.ts, `toAnchoredCoordinates`); none: unshifted. */
  readonly samplerShift?: SubgroupShift;
}

/** What the sampler's coordinates of the subgroup model are shifted by (subgroup-log-density.ts). */
export interface SubgroupShift {
  /** Per level, of its anchored difference (the anchors' are not used). */
  readonly levels: TermShift;
  /** Per district, of `eta[d]` (empty outside a network). */
  readonly districts: TermShift;
}

/** What the subgroup fit is made of: the factors' level names and each level's students by arm. */
export interface SubgroupModelInfo {
  readonly factors: readonly {
    readonly factor: string;
    readonly levels: readonly { readonly level: string; readonly n_treatment: number; readonly n_control: number }[];
  }[];
}

export interface SubgroupModel {
  readonly data: SubgroupModelData;
  /** The standard model's description of the same students (blocks, districts, baseline). */
  readonly base: AbsenceModel;
  readonly subgroups: SubgroupModelInfo;
}

/**
 * HalfNormal(0, 0.1) on each factor's spread, as on the districts' spread in the standard
 * model: a priori, subgroups' effects differ from the average by about 10% of the rate or
 * less, and a level with few students is pulled to the average (docs/model.md).
 */
export const SUBGROUP_TAU_SCALE = 0.1;

/** Whole days, halves up, as the standard model rounds. */
function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5);
}

/**
 * Turns a model table and subgroup factors into the subgroup model's data: the same
 * students, rounding, baseline standardization and drop rules as `prepareAbsenceModel`
 * (whose result it reuses), with cells of treated students split by level so that
 * every cell shares one linear predictor. Levels are sorted by name within a factor.
 */
export function prepareSubgroupModel(
  table: ModelTable,
  factors: readonly SubgroupFactor[],
  effectPrior: EffectPrior = DEFAULT_EFFECT_PRIOR,
): SubgroupModel {
  if (factors.length === 0) throw new UsageError('prepareSubgroupModel', 'give at least one subgroup factor');
  const base = prepareAbsenceModel(table, effectPrior);
  const { info, data: plain } = base;
  const kept = [...table].sort(compareStudentIds).filter((row) => row.e > 0);
  for (const { factor, levels } of factors)
    for (const row of kept)
      if (!levels.has(row.student_id))
        throw new UsageError('prepareSubgroupModel', `student ${row.student_id} has no level in subgroup factor ${factor}`);

  const levelNames = factors.map(({ levels }) => [...new Set(kept.map((r) => levels.get(r.student_id)!))].sort());
  const levelOffset = new Int32Array(factors.length + 1);
  for (let g = 0; g < factors.length; g++) levelOffset[g + 1] = levelOffset[g] + levelNames[g].length;
  const levelIndex = levelNames.map((names, g) => new Map(names.map((name, l) => [name, levelOffset[g] + l])));
  const counts = levelNames.map((names) => names.map(() => ({ n_treatment: 0, n_control: 0 })));

  const blockIndex = new Map(info.blocks.map((b, k) => [b, k]));
  const districtIndex = new Map(info.districts.map((d, j) => [d, j]));
  const hasBaseline = (r: ModelTableRow) =>
    r.baseline_absences !== undefined &&
    r.baseline_days !== undefined &&
    Number.isFinite(r.baseline_absences) &&
    Number.isFinite(r.baseline_days);
  const zIndex = new Map<number, number>(Array.from(plain.zValues, (z, i) => [z, i]));
  const cells = new Map<string, number>();
  const cellRows: { block: number; district: number; treat: number; missing: number; y: number; levels: number[] }[] = [];
  const groups = new Map<string, number>();
  const groupRows: { cell: number; z: number; e: number; y: number; w: number }[] = [];

  for (const row of kept) {
    const y = roundHalfUp(row.y);
    const present = hasBaseline(row);
    const z =
      present && info.baselineSd > 0
        ? (Math.log((row.baseline_absences! + 0.5) / (row.baseline_days! + 1)) - info.baselineMean) / info.baselineSd
        : 0;
    const missing = plain.hasDelta && !present ? 1 : 0;
    const levels = factors.map(({ levels }, g) => levelIndex[g].get(levels.get(row.student_id)!)!);
    levels.forEach((l, g) => {
      const count = counts[g][l - levelOffset[g]];
      if (row.treat === 1) count.n_treatment++;
      else count.n_control++;
    });
    // Only treated students' means depend on their levels: control cells are not split.
    const cellLevels = row.treat === 1 ? levels : factors.map(() => -1);
    const k = blockIndex.get(row.block)!;
    const d = districtIndex.get(row.district)!;
    const cellKey = `${k}|${d}|${row.treat}|${missing}|${cellLevels.join(',')}`;
    let cell = cells.get(cellKey);
    if (cell === undefined) {
      cell = cellRows.length;
      cells.set(cellKey, cell);
      cellRows.push({ block: k, district: d, treat: row.treat, missing, y: 0, levels: cellLevels });
    }
    cellRows[cell].y += y;
    const zi = zIndex.get(z)!;
    const groupKey = `${cell}|${zi}|${row.e}`;
    const group = groups.get(groupKey);
    if (group === undefined) {
      groups.set(groupKey, groupRows.length);
      groupRows.push({ cell, z: zi, e: row.e, y, w: 1 });
    } else {
      groupRows[group].w++;
      groupRows[group].y += y;
    }
  }

  const levelWeight = new Float64Array(levelOffset[factors.length]);
  const subgroupAnchor = new Int32Array(factors.length);
  counts.forEach((levels, g) => {
    const treated = levels.reduce((sum, c) => sum + c.n_treatment, 0);
    let anchor = levelOffset[g];
    levels.forEach((c, l) => {
      levelWeight[levelOffset[g] + l] = treated > 0 ? c.n_treatment / treated : 1 / levels.length;
      if (c.n_treatment > levels[anchor - levelOffset[g]].n_treatment) anchor = levelOffset[g] + l;
    });
    subgroupAnchor[g] = anchor;
  });

  // The standard model's fields named one by one: a term added to it later (such as a
  // household effect) is not silently carried into a density that does not model it.
  const data: SubgroupModelData = {
    nBlocks: plain.nBlocks,
    nDistricts: plain.nDistricts,
    network: plain.network,
    hasGamma: plain.hasGamma,
    hasDelta: plain.hasDelta,
    effectPrior: plain.effectPrior,
    zValues: plain.zValues,
    sumYZ: plain.sumYZ,
    n: plain.n,
    countAbove: plain.countAbove,
    cellBlock: Int32Array.from(cellRows, (c) => c.block),
    cellDistrict: Int32Array.from(cellRows, (c) => c.district),
    cellTreat: Uint8Array.from(cellRows, (c) => c.treat),
    cellMissing: Uint8Array.from(cellRows, (c) => c.missing),
    cellY: Float64Array.from(cellRows, (c) => c.y),
    groupCell: Int32Array.from(groupRows, (g) => g.cell),
    groupZ: Int32Array.from(groupRows, (g) => g.z),
    groupE: Float64Array.from(groupRows, (g) => g.e),
    groupY: Float64Array.from(groupRows, (g) => g.y),
    groupWeight: Float64Array.from(groupRows, (g) => g.w),
    nFactors: factors.length,
    levelOffset,
    cellLevel: Int32Array.from(cellRows.flatMap((c) => c.levels)),
    subgroupTauScale: SUBGROUP_TAU_SCALE,
    subgroupAnchor,
    levelWeight,
  };
  const subgroups: SubgroupModelInfo = {
    factors: factors.map(({ factor }, g) => ({ factor, levels: levelNames[g].map((level, l) => ({ level, ...counts[g][l] })) })),
  };
  return { data, base, subgroups };
}

/** True for the subgroup model's data (the sampler's workers build its density from it). */
export function isSubgroupModelData(data: AbsenceModelData): data is SubgroupModelData {
  return 'levelOffset' in data;
}
