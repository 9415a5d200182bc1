import type { PlanAssumptions } from './plan-assumptions.js';
import type { PlanDesign } from './plan-design.js';

/**
 * A design and its assumptions turned into what every simulated study reuses: each
 * student's expected absences under control, the baseline covariate exactly as the fit
 * computes it (docs/model.md, "Data"), and the groups of students who share a block,
 * baseline value and missing flag (with the arm, they share a mean, so a fit needs one
 * term per group and arm, as `prepareAbsenceModel` groups them).
 */
export interface PlanModel {
  readonly design: PlanDesign;
  readonly assumptions: PlanAssumptions;
  readonly hasGamma: boolean;
  readonly hasDelta: boolean;
  /** Per student: the standardized baseline z (0 when missing) and the missing flag. */
  readonly z: Float64Array;
  readonly missing: Uint8Array;
  /** Per student: expected absences in the window if assigned to control. */
  readonly controlMean: Float64Array;
  /** Per student: their group. */
  readonly studentGroup: Int32Array;
  /** Per group: block, z and missing flag. */
  readonly groupBlock: Int32Array;
  readonly groupZ: Float64Array;
  readonly groupMissing: Uint8Array;
  /** Households of each block (where they are randomized): `householdsOfBlock.slice(offsets[k], offsets[k + 1])`. */
  readonly blockHouseholdOffsets: Int32Array;
  readonly blockHouseholds: Int32Array;
  /** Students of each household, in the same offset form. */
  readonly householdStudentOffsets: Int32Array;
  readonly householdStudents: Int32Array;
}

export function preparePlanModel(design: PlanDesign, assumptions: PlanAssumptions): PlanModel {
  const n = design.students;
  // The baseline as the fit standardizes it: L = log((b + 0.5) / (eb + 1)) over students with one.
  const logRatio = new Float64Array(n);
  let nWith = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const known = !Number.isNaN(design.baselineAbsences[i]);
    logRatio[i] = known ? Math.log((design.baselineAbsences[i] + 0.5) / (design.baselineDays[i] + 1)) : NaN;
    if (known) {
      nWith++;
      sum += logRatio[i];
    }
  }
  const mean = nWith > 0 ? sum / nWith : 0;
  let squares = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(logRatio[i])) squares += (logRatio[i] - mean) ** 2;
  const sd = nWith > 1 ? Math.sqrt(squares / (nWith - 1)) : 0;
  const hasGamma = nWith > 0;
  const hasDelta = nWith > 0 && nWith < n;
  const z = new Float64Array(n);
  const missing = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const known = !Number.isNaN(logRatio[i]);
    z[i] = known && sd > 0 ? (logRatio[i] - mean) / sd : 0;
    missing[i] = hasDelta && !known ? 1 : 0;
  }

  // Block intercepts that keep each block's expected rate at its design rate: the
  // students' covariate terms spread the rate around it without moving its mean.
  const { baselineSlope: gamma, missingShift: delta } = assumptions;
  const shift = (i: number) => (hasGamma ? gamma * z[i] : 0) + (hasDelta ? delta * missing[i] : 0);
  const K = design.blocks.length;
  const blockSum = new Float64Array(K);
  const blockCount = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    blockSum[design.studentBlock[i]] += Math.exp(shift(i));
    blockCount[design.studentBlock[i]]++;
  }
  const controlMean = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = design.studentBlock[i];
    controlMean[i] = (design.windowDays * design.blockRate[k] * Math.exp(shift(i))) / (blockSum[k] / blockCount[k]);
  }

  const groups = new Map<string, number>();
  const studentGroup = new Int32Array(n);
  const groupBlock: number[] = [];
  const groupZ: number[] = [];
  const groupMissing: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${design.studentBlock[i]}|${z[i]}|${missing[i]}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = groupBlock.length;
      groups.set(key, g);
      groupBlock.push(design.studentBlock[i]);
      groupZ.push(z[i]);
      groupMissing.push(missing[i]);
    }
    studentGroup[i] = g;
  }

  const blockHouseholds = byOffsets(K, design.households, (h) => design.householdBlock[h]);
  const householdStudents = byOffsets(design.households, n, (i) => design.studentHousehold[i]);
  return {
    design,
    assumptions,
    hasGamma,
    hasDelta,
    z,
    missing,
    controlMean,
    studentGroup,
    groupBlock: Int32Array.from(groupBlock),
    groupZ: Float64Array.from(groupZ),
    groupMissing: Uint8Array.from(groupMissing),
    blockHouseholdOffsets: blockHouseholds.offsets,
    blockHouseholds: blockHouseholds.members,
    householdStudentOffsets: householdStudents.offsets,
    householdStudents: householdStudents.members,
  };
}

/** Items 0..count-1 listed by their owner (0..owners-1), in item order (a CSR layout). */
function byOffsets(owners: number, count: number, ownerOf: (item: number) => number): { offsets: Int32Array; members: Int32Array } {
  const offsets = new Int32Array(owners + 1);
  for (let i = 0; i < count; i++) offsets[ownerOf(i) + 1]++;
  for (let k = 0; k < owners; k++) offsets[k + 1] += offsets[k];
  const next = offsets.slice(0, owners);
  const members = new Int32Array(count);
  for (let i = 0; i < count; i++) members[next[ownerOf(i)]++] = i;
  return { offsets, members };
}
