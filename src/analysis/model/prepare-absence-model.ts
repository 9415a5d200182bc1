import { compareStudentIds } from '../../data/compare-student-ids.js';
import type { ModelTable, ModelTableRow } from '../../data/model-table.js';
import { PilotError, UsageError } from '../../errors.js';
import type { AbsenceModelData } from './absence-model-data.js';
import type { EffectPrior } from './effect-prior.js';
import { DEFAULT_EFFECT_PRIOR } from './effect-prior.js';
import { SIGMA_HOUSEHOLD_SCALE } from './household-effect.js';

/** What the fit is made of, for the report and for the summaries. */
export interface AbsenceModelInfo {
  readonly n: number;
  readonly nTreatment: number;
  readonly nControl: number;
  readonly blocks: readonly string[];
  readonly districts: readonly string[];
  readonly districtCounts: readonly { readonly treatment: number; readonly control: number }[];
  /** Students left out because they were enrolled 0 days, by arm. */
  readonly attrition: { readonly treatment: number; readonly control: number };
  /** Students whose fractional absences were rounded to whole days (halves up). */
  readonly roundedHalfDays: number;
  readonly baseline: 'all' | 'partial' | 'none';
  /** Baseline standardization: `z = (L - mean) / sd` (sd 0 means z = 0). */
  readonly baselineMean: number;
  readonly baselineSd: number;
  /** Households with a random effect in the fit (those with 2+ students in it); 0 when the model has none. */
  readonly households: number;
  /** Students in the fit who share their household with another student in the fit. */
  readonly inSharedHouseholds: number;
  /** The households with a term, in the layout's order (`z_household[h]` is `householdIds[h]`'s); empty without the effect. */
  readonly householdIds: readonly string[];
}

export interface PrepareAbsenceModelOptions {
  /**
   * Fit a household random effect (docs/model.md, "Household effect") for each `household`
   * with two or more students in the fit (a row without one is a household of its own).
   */
  readonly householdEffect?: boolean;
}

export interface AbsenceModel {
  readonly data: AbsenceModelData;
  readonly info: AbsenceModelInfo;
}

/** Whole days, halves up (spec: "rounded to the nearest whole day, halves up"). */
function roundHalfUp(value: number): number {
  return Math.floor(value + 0.5);
}

function hasBaseline(row: ModelTableRow): boolean {
  return (
    row.baseline_absences !== undefined &&
    row.baseline_days !== undefined &&
    Number.isFinite(row.baseline_absences) &&
    Number.isFinite(row.baseline_days)
  );
}

function indexOf(labels: readonly string[]): Map<string, number> {
  return new Map(labels.map((label, index) => [label, index]));
}

/**
 * Turns a model table into the standard absence model's data (docs/model.md):
 * drops `e = 0` rows (counted as attrition by arm), rounds half days up, standardizes the
 * baseline `L = log((b + 0.5) / (eb + 1))` over the students in the fit who have one, and
 * applies the drop rules for `gamma` and `delta`. Rows are sorted by `student_id` first so
 * that the input order never changes a floating-point sum.
 */
export function prepareAbsenceModel(
  table: ModelTable,
  effectPrior: EffectPrior = DEFAULT_EFFECT_PRIOR,
  options: PrepareAbsenceModelOptions = {},
): AbsenceModel {
  if (!(effectPrior.sd > 0) || !Number.isFinite(effectPrior.mean)) {
    throw new UsageError(
      'prepareAbsenceModel',
      `the effect prior needs a finite mean and a positive sd, got Normal(${effectPrior.mean}, ${effectPrior.sd})`,
    );
  }
  const rows = [...table].sort(compareStudentIds);
  const attrition = { treatment: 0, control: 0 };
  const kept: ModelTableRow[] = [];
  for (const row of rows) {
    if (!(row.e >= 0) || !(row.y >= 0))
      throw new UsageError('prepareAbsenceModel', `student ${row.student_id} has y = ${row.y}, e = ${row.e}; both must be >= 0`);
    if (row.e === 0) {
      if (row.treat === 1) attrition.treatment++;
      else attrition.control++;
    } else kept.push(row);
  }
  // Reached by users whose outcome window holds no enrolled day: said in their words (exit 1).
  if (kept.length === 0)
    throw new PilotError(
      'no student was enrolled in the outcome window (every e is 0): nothing to analyze; choose a window within the dates the attendance covers',
    );

  const blocks = [...new Set(kept.map((r) => r.block))].sort();
  const districts = [...new Set(kept.map((r) => r.district))].sort();
  const blockIndex = indexOf(blocks);
  const districtIndex = indexOf(districts);
  const householdOf = (row: ModelTableRow) => row.household ?? `student ${row.student_id}`;
  const householdSizes = new Map<string, number>();
  for (const row of kept) householdSizes.set(householdOf(row), (householdSizes.get(householdOf(row)) ?? 0) + 1);
  const inSharedHouseholds = [...householdSizes.values()].filter((n) => n >= 2).reduce((s, n) => s + n, 0);
  // Only households with two or more students in the fit get a term: for a student alone,
  // a household term could not be told apart from the overdispersion phi already allows.
  const sharedHouseholds = [...householdSizes].filter(([, n]) => n >= 2).map(([h]) => h);
  const householdIndex = options.householdEffect ? indexOf(sharedHouseholds.sort()) : undefined;

  // Baseline covariate over the students in the fit who have one (sample sd, n - 1).
  const logRatios = kept.filter(hasBaseline).map((r) => Math.log((r.baseline_absences! + 0.5) / (r.baseline_days! + 1)));
  const nWith = logRatios.length;
  const baselineMean = nWith > 0 ? logRatios.reduce((s, v) => s + v, 0) / nWith : 0;
  const baselineSd = nWith > 1 ? Math.sqrt(logRatios.reduce((s, v) => s + (v - baselineMean) ** 2, 0) / (nWith - 1)) : 0;
  const hasGamma = nWith > 0;
  const hasDelta = nWith > 0 && nWith < kept.length;

  let roundedHalfDays = 0;
  let nTreatment = 0;
  const districtCounts = districts.map(() => ({ treatment: 0, control: 0 }));
  const cells = new Map<string, number>();
  const cellRows: { block: number; district: number; treat: number; missing: number; y: number; household: number }[] = [];
  const zIndex = new Map<number, number>();
  const zValues: number[] = [];
  const groups = new Map<string, number>();
  const groupRows: { cell: number; z: number; e: number; y: number; w: number }[] = [];
  let sumYZ = 0;
  let maxY = 0;
  const ys: number[] = [];

  for (const row of kept) {
    const y = roundHalfUp(row.y);
    if (y !== row.y) roundedHalfDays++;
    ys.push(y);
    if (y > maxY) maxY = y;
    const d = districtIndex.get(row.district)!;
    if (row.treat === 1) {
      nTreatment++;
      districtCounts[d].treatment++;
    } else districtCounts[d].control++;
    const present = hasBaseline(row);
    const z =
      present && baselineSd > 0 ? (Math.log((row.baseline_absences! + 0.5) / (row.baseline_days! + 1)) - baselineMean) / baselineSd : 0;
    const missing = hasDelta && !present ? 1 : 0;
    const k = blockIndex.get(row.block)!;
    // With a household effect, a cell is also one household's: its students share the term.
    const h = householdIndex?.get(householdOf(row)) ?? -1;
    const cellKey = `${k}|${d}|${row.treat}|${missing}|${h}`;
    let cell = cells.get(cellKey);
    if (cell === undefined) {
      cell = cellRows.length;
      cells.set(cellKey, cell);
      cellRows.push({ block: k, district: d, treat: row.treat, missing, y: 0, household: h });
    }
    cellRows[cell].y += y;
    let zi = zIndex.get(z);
    if (zi === undefined) {
      zi = zValues.length;
      zIndex.set(z, zi);
      zValues.push(z);
    }
    sumYZ += y * z;
    // Students who share a cell, baseline value and enrolment share mu, so the likelihood
    // needs log(mu + phi) once for all of them; y enters linearly given mu.
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

  const countAbove = new Float64Array(maxY);
  for (const y of ys) for (let j = 0; j < y; j++) countAbove[j]++;

  const data: AbsenceModelData = {
    nBlocks: blocks.length,
    nDistricts: districts.length,
    network: districts.length >= 2,
    hasGamma,
    hasDelta,
    effectPrior: { mean: effectPrior.mean, sd: effectPrior.sd },
    cellBlock: Int32Array.from(cellRows, (c) => c.block),
    cellDistrict: Int32Array.from(cellRows, (c) => c.district),
    cellTreat: Uint8Array.from(cellRows, (c) => c.treat),
    cellMissing: Uint8Array.from(cellRows, (c) => c.missing),
    cellY: Float64Array.from(cellRows, (c) => c.y),
    zValues: Float64Array.from(zValues),
    groupCell: Int32Array.from(groupRows, (g) => g.cell),
    groupZ: Int32Array.from(groupRows, (g) => g.z),
    groupE: Float64Array.from(groupRows, (g) => g.e),
    groupY: Float64Array.from(groupRows, (g) => g.y),
    groupWeight: Float64Array.from(groupRows, (g) => g.w),
    sumYZ,
    n: kept.length,
    countAbove,
    ...(householdIndex
      ? {
          household: {
            nHouseholds: householdIndex.size,
            cellHousehold: Int32Array.from(cellRows, (c) => c.household),
            sigmaScale: SIGMA_HOUSEHOLD_SCALE,
          },
        }
      : {}),
  };
  const info: AbsenceModelInfo = {
    n: kept.length,
    nTreatment,
    nControl: kept.length - nTreatment,
    blocks,
    districts,
    districtCounts,
    attrition,
    roundedHalfDays,
    baseline: !hasGamma ? 'none' : hasDelta ? 'partial' : 'all',
    baselineMean,
    baselineSd,
    households: householdIndex?.size ?? 0,
    inSharedHouseholds,
    householdIds: householdIndex ? [...householdIndex.keys()] : [],
  };
  return { data, info };
}
