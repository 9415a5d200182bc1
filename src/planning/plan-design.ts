import { UsageError } from '../errors.js';

/** One student of a planned study, as the plan needs them: no name, no id. */
export interface PlanStudent {
  readonly district: string;
  /** The randomization block (nested in the district). */
  readonly block: string;
  /** Siblings share a household and an arm; a student without one is a household of one. */
  readonly household: string;
  /** Last year's days absent and days enrolled; undefined when unknown. */
  readonly baseline_absences?: number;
  readonly baseline_days?: number;
}

/**
 * The study a plan simulates, in columns: who is in which district, block and household,
 * each student's baseline, and each block's expected daily absence rate in the outcome
 * window. Made by `planDesignFromRoster` or `planDesignFromSizes`.
 */
export interface PlanDesign {
  readonly districts: readonly string[];
  readonly blocks: readonly string[];
  /** `blockDistrict[k]`: the district of block k. */
  readonly blockDistrict: Int32Array;
  /** Expected share of days a block's students are absent in the outcome window. */
  readonly blockRate: Float64Array;
  readonly students: number;
  readonly studentBlock: Int32Array;
  readonly studentHousehold: Int32Array;
  readonly households: number;
  /** `householdBlock[h]`: the block of household h's first student, where it is randomized. */
  readonly householdBlock: Int32Array;
  /** NaN where a student has no baseline. */
  readonly baselineAbsences: Float64Array;
  readonly baselineDays: Float64Array;
  /** School days in the outcome window (every student enrolled throughout). */
  readonly windowDays: number;
}

/** Days of pseudo-data that pull a small block's rate towards the network's. */
const RATE_SHRINKAGE_DAYS = 200;

/**
 * The design of a planned study from its students. A block's rate is last year's
 * (its students' baseline absences over their baseline days), pulled towards the
 * network's rate by 200 days of pseudo-data so a block of three students does not carry
 * a rate of 0; without any baseline every block has `absenceRate`.
 */
export function buildPlanDesign(
  students: readonly PlanStudent[],
  options: { readonly windowDays: number; readonly absenceRate?: number },
): PlanDesign {
  const { windowDays } = options;
  if (!(Number.isInteger(windowDays) && windowDays >= 1))
    throw new UsageError('buildPlanDesign', `windowDays must be a whole number >= 1, got ${windowDays}`);
  if (students.length < 2) throw new UsageError('buildPlanDesign', `a plan needs at least 2 students, got ${students.length}`);
  const districts = [...new Set(students.map((s) => s.district))].sort();
  const districtIndex = new Map(districts.map((d, i) => [d, i]));
  const blockKeys = [...new Set(students.map((s) => `${s.district}\u0000${s.block}`))].sort();
  const blockIndex = new Map(blockKeys.map((b, i) => [b, i]));
  const blocks = blockKeys.map((key) => key.split('\u0000')[1]);
  const blockDistrict = Int32Array.from(blockKeys, (key) => districtIndex.get(key.split('\u0000')[0])!);
  const n = students.length;
  const studentBlock = new Int32Array(n);
  const studentHousehold = new Int32Array(n);
  const baselineAbsences = new Float64Array(n);
  const baselineDays = new Float64Array(n);
  const households = new Map<string, number>();
  const householdBlock: number[] = [];
  const absent = new Float64Array(blocks.length);
  const days = new Float64Array(blocks.length);
  students.forEach((s, i) => {
    const k = blockIndex.get(`${s.district}\u0000${s.block}`)!;
    studentBlock[i] = k;
    let h = households.get(s.household);
    if (h === undefined) {
      h = households.size;
      households.set(s.household, h);
      householdBlock.push(k);
    }
    studentHousehold[i] = h;
    const known =
      s.baseline_absences !== undefined &&
      s.baseline_days !== undefined &&
      Number.isFinite(s.baseline_absences) &&
      Number.isFinite(s.baseline_days);
    baselineAbsences[i] = known ? s.baseline_absences! : NaN;
    baselineDays[i] = known ? s.baseline_days! : NaN;
    if (known && s.baseline_days! > 0) {
      absent[k] += s.baseline_absences!;
      days[k] += s.baseline_days!;
    }
  });
  const totalDays = days.reduce((a, b) => a + b, 0);
  const networkRate = totalDays > 0 ? absent.reduce((a, b) => a + b, 0) / totalDays : options.absenceRate;
  if (networkRate === undefined)
    throw new UsageError('buildPlanDesign', 'no student has a baseline, so the absence rate must be given (absenceRate)');
  if (!(networkRate > 0 && networkRate < 1))
    throw new UsageError('buildPlanDesign', `the absence rate must be between 0 and 1, got ${networkRate}`);
  const blockRate = Float64Array.from(absent, (a, k) => (a + RATE_SHRINKAGE_DAYS * networkRate) / (days[k] + RATE_SHRINKAGE_DAYS));
  return {
    districts,
    blocks,
    blockDistrict,
    blockRate,
    students: n,
    studentBlock,
    studentHousehold,
    households: households.size,
    householdBlock: Int32Array.from(householdBlock),
    baselineAbsences,
    baselineDays,
    windowDays,
  };
}
