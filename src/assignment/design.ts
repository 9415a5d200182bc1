import { UsageError } from '../errors.js';
import type { RosterStudent } from '../types.js';

/** Roster fields a design may block on. */
export type BlockVariable = 'district' | 'school' | 'grade';
export const BLOCK_VARIABLES: readonly BlockVariable[] = ['district', 'school', 'grade'];

/** A randomization design, as recorded in the manifest. */
export interface AssignmentDesign {
  /** Variables that define blocks; empty means complete randomization. */
  readonly blockBy: readonly BlockVariable[];
  readonly arms: readonly string[];
  /** Probability of each arm, in the order of `arms`; sums to 1. */
  readonly probabilities: readonly number[];
  /** Whether households (siblings) are assigned as one unit. */
  readonly clustered: boolean;
  /** The arm that receives nothing; `p_treatment` is the probability of any other arm. */
  readonly controlArm: string;
}

export interface DesignOptions {
  readonly blockBy?: readonly string[];
  readonly arms?: readonly string[];
  readonly probabilities?: readonly number[];
  readonly clustered?: boolean;
}

/**
 * Checks loose design options and fills the defaults: blocks district x school x grade,
 * arms control and treatment at 50/50, clustered by household. With more than two arms
 * and no probabilities, arms are equally likely. The control arm is the one named
 * `control`, or else the first.
 */
export function normalizeDesign(options: DesignOptions = {}): AssignmentDesign {
  const blockBy = options.blockBy ?? BLOCK_VARIABLES;
  for (const variable of blockBy) {
    if (!(BLOCK_VARIABLES as readonly string[]).includes(variable)) {
      throw new UsageError('normalizeDesign', `cannot block on "${variable}": choose from ${BLOCK_VARIABLES.join(', ')}`);
    }
  }
  const arms = options.arms ?? ['control', 'treatment'];
  if (arms.length < 2) throw new UsageError('normalizeDesign', `a design needs two or more arms, got ${arms.length}`);
  if (new Set(arms).size !== arms.length) throw new UsageError('normalizeDesign', `arm names must differ: ${arms.join(', ')}`);
  const probabilities = options.probabilities ?? arms.map(() => 1 / arms.length);
  if (probabilities.length !== arms.length) {
    throw new UsageError('normalizeDesign', `${arms.length} arms need ${arms.length} probabilities, got ${probabilities.length}`);
  }
  const sum = probabilities.reduce((a, b) => a + b, 0);
  if (probabilities.some((p) => !(p > 0 && p < 1)) || Math.abs(sum - 1) > 1e-9) {
    throw new UsageError('normalizeDesign', `arm probabilities must each be between 0 and 1 and sum to 1, got ${probabilities.join(', ')}`);
  }
  return {
    blockBy: [...new Set(blockBy as readonly BlockVariable[])],
    arms,
    probabilities,
    clustered: options.clustered ?? true,
    controlArm: arms.includes('control') ? 'control' : arms[0],
  };
}

/** The roster fields a block is made of. */
export type BlockFields = Pick<RosterStudent, 'district_id' | 'school_id' | 'grade'>;

/** The block a student falls in under a design, e.g. `D01|D01-S2|3`; `all` when unblocked. */
export function blockOf(student: BlockFields, blockBy: readonly BlockVariable[]): string {
  if (blockBy.length === 0) return 'all';
  let block = blockField(student, blockBy[0]);
  for (let k = 1; k < blockBy.length; k++) block += `|${blockField(student, blockBy[k])}`;
  return block;
}

/** Whether two students agree on every blocking variable (then they share a block). */
export function sameBlock(a: BlockFields, b: BlockFields, blockBy: readonly BlockVariable[]): boolean {
  for (const variable of blockBy) if (blockField(a, variable) !== blockField(b, variable)) return false;
  return true;
}

function blockField(student: BlockFields, variable: BlockVariable): string {
  return variable === 'district' ? student.district_id : variable === 'school' ? student.school_id : student.grade;
}

/** Probability that a unit is assigned to any arm but control. */
export function treatmentProbability(design: AssignmentDesign): number {
  return design.arms.reduce((sum, arm, i) => (arm === design.controlArm ? sum : sum + design.probabilities[i]), 0);
}
