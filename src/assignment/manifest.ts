import type { AssignmentDesign } from './design.js';
import type { BlockCount } from './assign-blocked.js';

/** One run that wrote assignments: the initial one, then each late-enrollee run. */
export interface ManifestRun {
  readonly assigned_at: string;
  readonly created: string;
  readonly command: string;
  /** SHA-256 of each input by role (`roster`). */
  readonly inputs: Readonly<Record<string, { readonly path: string; readonly sha256: string }>>;
  readonly students_added: number;
  readonly households_added: number;
  readonly households_spanning_blocks: number;
  readonly counts: readonly BlockCount[];
  /** SHA-256 of assignments.csv after this run. */
  readonly output_sha256: string;
}

/**
 * A `pilot simulate attendance` run over this assignment: the outcomes it wrote and the
 * day its arms took effect, so an analysis of those simulated outcomes can be checked
 * against the day the arms really applied (the assignment itself is usually made later).
 */
export interface SimulatedOutcomes {
  readonly created: string;
  readonly command: string;
  /** SHA-256 of the attendance CSV as written (uncompressed; a gzipped copy of it matches too). */
  readonly attendance_sha256: string;
  /** The first simulated school day, from which the arms' effect applied (YYYY-MM-DD). */
  readonly arms_took_effect: string;
  readonly true_effect: number;
  /** Per-district true effects, where they differed from `true_effect`. */
  readonly district_effects?: Readonly<Record<string, number>>;
  readonly seed: number;
}

/** `assignments.manifest.json`: how an assignment was made, so it can be checked and redone. */
export interface AssignmentManifest {
  readonly tool: 'attendance-pilot';
  readonly version: string;
  readonly design: {
    readonly block_by: readonly string[];
    readonly clustered_by: 'household_id' | null;
    readonly arms: readonly string[];
    readonly probabilities: readonly number[];
    readonly control_arm: string;
    readonly households_spanning_blocks: string;
  };
  readonly seed: number;
  readonly output: { readonly file: string; readonly sha256: string };
  readonly runs: readonly ManifestRun[];
  /** Simulated outcomes made over this assignment, oldest first (absent for a real study). */
  readonly simulated_outcomes?: readonly SimulatedOutcomes[];
}

export const SPANNING_RULE = "a household whose students fall in different blocks is randomized in the block of its lowest-grade student";

export function manifestDesign(design: AssignmentDesign): AssignmentManifest['design'] {
  return {
    block_by: design.blockBy,
    clustered_by: design.clustered ? 'household_id' : null,
    arms: design.arms,
    probabilities: design.probabilities,
    control_arm: design.controlArm,
    households_spanning_blocks: SPANNING_RULE,
  };
}

/** The design a manifest records, to assign late enrollees the same way. */
export function designFromManifest(manifest: AssignmentManifest): AssignmentDesign {
  return {
    blockBy: manifest.design.block_by as AssignmentDesign['blockBy'],
    arms: manifest.design.arms,
    probabilities: manifest.design.probabilities,
    clustered: manifest.design.clustered_by !== null,
    controlArm: manifest.design.control_arm,
  };
}
