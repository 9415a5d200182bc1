import { createHash } from 'node:crypto';
import type { RosterRules } from '../data/read-roster.js';
import type { BlockCount } from './assign-blocked.js';
import type { AssignmentDesign } from './design.js';

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

/**
 * The analysis plan locked for this study (`pilot plan --lock`, or `pilot assign --plan`):
 * `analysis-plan.json` beside the assignment, by SHA-256, so an edited plan is refused,
 * and when it was locked, so a report can say whether that was before the outcome window.
 */
export interface LockedAnalysisPlan {
  readonly file: 'analysis-plan.json';
  readonly sha256: string;
  /** When the plan was recorded here (ISO 8601). */
  readonly locked_at: string;
  readonly command: string;
  /** The last run of the assignment when the plan was locked: `initial` for a plan locked with the assignment itself. */
  readonly after_run: string;
  /** True when the plan was locked by the run that made the assignment (`pilot assign --plan`). */
  readonly with_assignment: boolean;
}

/**
 * A continuing study's link to the assignment it continues (`pilot assign --continue-from`):
 * where last year's was, its hashes, and what this year's first run made of it. Following
 * the link and checking both hashes verifies the chain (`verifyAssignmentChain`).
 */
export interface ContinuedFrom {
  /** Last year's assignments.csv, relative to this study's folder (as given when there is none). */
  readonly assignments: string;
  /** SHA-256 of last year's assignments.csv. */
  readonly assignments_sha256: string;
  /** Last year's manifest's own `manifest_sha256`. */
  readonly manifest_sha256: string;
  /** `true`: everyone was randomized anew; `false`: returning students and households kept their arms. */
  readonly rerandomized: boolean;
  /** Students of this year's roster who were in last year's assignment. */
  readonly returning_students: number;
  /** Households that kept last year's arm (0 when re-randomized). */
  readonly kept_households: number;
}

/**
 * The version of the random stream `pilot assign` draws an assignment from: the seeded
 * generator, how streams are derived per block, the shuffle and the rounding of counts. The
 * same roster, design, seed and stream version give the same bytes on every release
 * (test/assignment/stream-version.test.ts pins them), so a pre-registered assignment can
 * be redone; a change that alters any draw must bump this number on purpose.
 */
export const ASSIGNMENT_STREAM_VERSION = 1;

/** Where an imported assignment came from, as its manifest records it. */
export interface ImportedAssignmentRecord {
  /** The imported file as given, and the SHA-256 of its bytes. */
  readonly file: string;
  readonly sha256: string;
  /** What made it, as the user said (`--made-by`), e.g. "R randomizr 1.0.0 block_ra"; "not stated" when not said. */
  readonly source: string;
  /** How the probability of treatment was given: a column of the file (named), a file per block, or one for every student. */
  readonly probabilities:
    | { readonly given: 'per student'; readonly column: string }
    | { readonly given: 'per block'; readonly file: string; readonly sha256: string }
    | { readonly given: 'one for all'; readonly p_treatment: number };
  /** Where the blocks came from: the file's `block` column, or the roster under `design.block_by`. */
  readonly blocks: 'file' | 'roster';
  /** The file's labels of the two arms. */
  readonly labels: { readonly control: string; readonly treatment: string };
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
    /** `true` when the roster's households may span districts (`--households-across-districts`): every reader of the roster then accepts them. */
    readonly households_across_districts?: boolean;
  };
  /** The seed of the draws; 0 for an imported assignment, which was not drawn here (see `imported`). */
  readonly seed: number;
  /**
   * The version of the random stream the initial run drew from (`ASSIGNMENT_STREAM_VERSION`);
   * absent in manifests written before it was recorded, which drew from version 1.
   */
  readonly stream_version?: number;
  /** Set when the arms were made by another tool and imported (`pilot assign --import`). */
  readonly imported?: ImportedAssignmentRecord;
  readonly output: { readonly file: string; readonly sha256: string };
  readonly runs: readonly ManifestRun[];
  /** The assignment this one continues (a second year's study); absent for a first year. */
  readonly continued_from?: ContinuedFrom;
  /** Simulated outcomes made over this assignment, oldest first (absent for a real study). */
  readonly simulated_outcomes?: readonly SimulatedOutcomes[];
  /** The locked analysis plan, once there is one (absent: the study has none). */
  readonly analysis_plan?: LockedAnalysisPlan;
  /**
   * SHA-256 of the manifest's canonical JSON without this field (`sealManifest`): every
   * reader checks it (`checkManifest`), so an edit anywhere (the control arm, a count, the
   * seed) is refused rather than obeyed. Set when the manifest is written.
   */
  readonly manifest_sha256?: string;
}

/** JSON with every object's keys in sorted order and no spaces: one text for one content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The hash a manifest's `manifest_sha256` must hold: of its canonical JSON without that field. */
export function manifestContentHash(manifest: object): string {
  const { manifest_sha256: _ignored, ...content } = manifest as { manifest_sha256?: unknown };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** The manifest with its content hash set (recomputed: whoever changes a manifest seals it again). */
export function sealManifest(manifest: AssignmentManifest): AssignmentManifest {
  return { ...manifest, manifest_sha256: manifestContentHash(manifest) };
}

/** A manifest's file text: sealed, indented, with a final newline. Every writer of a manifest uses this. */
export function formatManifest(manifest: AssignmentManifest): string {
  return `${JSON.stringify(sealManifest(manifest), null, 2)}\n`;
}

const HEX64 = /^[0-9a-f]{64}$/;
const BLOCK_VARIABLES = ['district', 'school', 'grade'];

/**
 * Checks a parsed manifest field by field, for its type and its meaning (the control arm
 * is one of two or more distinct arms, probabilities sum to 1, the last run's output is
 * the file's recorded hash, counts are whole numbers of the design's arms ...), and its
 * content hash. Returns every problem found, in words that say what is wrong; none for a
 * manifest as `pilot assign` wrote it.
 */
export function manifestProblems(json: unknown): string[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return ['it is not a JSON object'];
  const m = json as Record<string, unknown>;
  const problems: string[] = [];
  const say = (field: string, what: string, value: unknown) =>
    problems.push(`${field} ${what} (it is ${value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 80)})`);
  const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  if (m.tool !== 'attendance-pilot') say('tool', 'must be "attendance-pilot"', m.tool);
  if (typeof m.version !== 'string' || m.version === '') say('version', 'must be a version string', m.version);
  if (!(typeof m.seed === 'number' && Number.isSafeInteger(m.seed))) say('seed', 'must be a whole number', m.seed);
  const design = m.design as Record<string, unknown> | undefined;
  let arms: string[] = [];
  if (design === null || typeof design !== 'object' || Array.isArray(design)) say('design', 'must be an object', design);
  else {
    if (
      !Array.isArray(design.block_by) ||
      !design.block_by.every((b) => BLOCK_VARIABLES.includes(b as string)) ||
      new Set(design.block_by).size !== design.block_by.length
    ) {
      say('design.block_by', 'must list distinct variables of district, school, grade', design.block_by);
    }
    if (design.clustered_by !== null && design.clustered_by !== 'household_id')
      say('design.clustered_by', 'must be "household_id" or null', design.clustered_by);
    if (
      !Array.isArray(design.arms) ||
      design.arms.length < 2 ||
      !design.arms.every((a) => typeof a === 'string' && a !== '') ||
      new Set(design.arms).size !== design.arms.length
    ) {
      say('design.arms', 'must name two or more distinct arms', design.arms);
    } else arms = design.arms as string[];
    const p = design.probabilities;
    if (
      !Array.isArray(p) ||
      p.length !== arms.length ||
      !p.every((x) => typeof x === 'number' && x > 0 && x < 1) ||
      Math.abs((p as number[]).reduce((a, b) => a + b, 0) - 1) > 1e-9
    ) {
      say('design.probabilities', `must be one probability in (0, 1) per arm (${arms.length}), summing to 1`, p);
    }
    if (typeof design.control_arm !== 'string' || !arms.includes(design.control_arm))
      say('design.control_arm', `must be one of the arms${arms.length > 0 ? ` (${arms.join(', ')})` : ''}`, design.control_arm);
    if (typeof design.households_spanning_blocks !== 'string')
      say('design.households_spanning_blocks', 'must be the rule as text', design.households_spanning_blocks);
    if (design.households_across_districts !== undefined && design.households_across_districts !== true)
      say('design.households_across_districts', 'must be true when present', design.households_across_districts);
  }
  const output = m.output as Record<string, unknown> | undefined;
  if (
    output === null ||
    typeof output !== 'object' ||
    output.file !== 'assignments.csv' ||
    typeof output.sha256 !== 'string' ||
    !HEX64.test(output.sha256)
  ) {
    say('output', 'must be { file: "assignments.csv", sha256: 64 hex digits }', output);
  }
  if (!Array.isArray(m.runs) || m.runs.length === 0)
    say('runs', 'must list the runs that wrote the assignment, the initial one first', m.runs);
  else {
    m.runs.forEach((run: unknown, i: number) => {
      const r = (run ?? {}) as Record<string, unknown>;
      const at = `runs[${i}]`;
      const label = i === 0 ? 'initial' : `late-${i}`;
      if (r.assigned_at !== label) say(`${at}.assigned_at`, `must be "${label}"`, r.assigned_at);
      if (typeof r.created !== 'string' || Number.isNaN(Date.parse(r.created)))
        say(`${at}.created`, 'must be a date and time (ISO 8601)', r.created);
      if (typeof r.command !== 'string') say(`${at}.command`, 'must be text', r.command);
      if (r.inputs === null || typeof r.inputs !== 'object' || Array.isArray(r.inputs)) say(`${at}.inputs`, 'must be an object', r.inputs);
      for (const field of ['students_added', 'households_added', 'households_spanning_blocks'])
        if (!isCount(r[field])) say(`${at}.${field}`, 'must be a whole number >= 0', r[field]);
      if (typeof r.output_sha256 !== 'string' || !HEX64.test(r.output_sha256))
        say(`${at}.output_sha256`, 'must be 64 hex digits', r.output_sha256);
      const counts = r.counts;
      if (
        !Array.isArray(counts) ||
        !counts.every(
          (c) => c !== null && typeof c === 'object' && typeof c.block === 'string' && arms.includes(c.arm) && isCount(c.students),
        )
      ) {
        say(`${at}.counts`, 'must be { block, arm of the design, students } entries', counts);
      } else if (isCount(r.students_added) && counts.reduce((sum, c) => sum + c.students, 0) !== r.students_added) {
        say(
          `${at}.counts`,
          `must add up to students_added (${r.students_added})`,
          counts.reduce((sum, c) => sum + c.students, 0),
        );
      }
    });
    const last = m.runs[m.runs.length - 1] as Record<string, unknown> | undefined;
    if (output && typeof output === 'object' && last && last.output_sha256 !== output.sha256)
      say(`runs[${m.runs.length - 1}].output_sha256`, 'must be output.sha256, the file the last run wrote', last.output_sha256);
  }
  if (m.stream_version !== undefined && !(Number.isInteger(m.stream_version) && (m.stream_version as number) >= 1))
    say('stream_version', 'must be a whole number >= 1', m.stream_version);
  if (m.imported !== undefined) {
    const imported = m.imported as Record<string, unknown> | null;
    if (
      imported === null ||
      typeof imported !== 'object' ||
      typeof imported.file !== 'string' ||
      typeof imported.sha256 !== 'string' ||
      !HEX64.test(imported.sha256) ||
      typeof imported.source !== 'string' ||
      (imported.blocks !== 'file' && imported.blocks !== 'roster')
    ) {
      say('imported', 'must be { file, sha256: 64 hex digits, source, probabilities, blocks: "file" or "roster", labels }', imported);
    }
  }
  if (
    m.simulated_outcomes !== undefined &&
    !(
      Array.isArray(m.simulated_outcomes) &&
      m.simulated_outcomes.every(
        (s) => s !== null && typeof s === 'object' && typeof s.arms_took_effect === 'string' && HEX64.test(s.attendance_sha256),
      )
    )
  ) {
    say('simulated_outcomes', 'must be records of simulated outcomes', m.simulated_outcomes);
  }
  const plan = m.analysis_plan as Record<string, unknown> | undefined;
  if (
    plan !== undefined &&
    !(
      plan !== null &&
      typeof plan === 'object' &&
      plan.file === 'analysis-plan.json' &&
      typeof plan.sha256 === 'string' &&
      HEX64.test(plan.sha256) &&
      typeof plan.locked_at === 'string' &&
      !Number.isNaN(Date.parse(plan.locked_at)) &&
      typeof plan.command === 'string' &&
      typeof plan.after_run === 'string' &&
      typeof plan.with_assignment === 'boolean'
    )
  ) {
    say('analysis_plan', 'must be { file: "analysis-plan.json", sha256, locked_at, command, after_run, with_assignment }', plan);
  }
  const link = m.continued_from as Record<string, unknown> | undefined;
  if (
    link !== undefined &&
    !(
      link !== null &&
      typeof link === 'object' &&
      typeof link.assignments === 'string' &&
      HEX64.test(link.assignments_sha256 as string) &&
      HEX64.test(link.manifest_sha256 as string) &&
      typeof link.rerandomized === 'boolean' &&
      isCount(link.returning_students) &&
      isCount(link.kept_households)
    )
  ) {
    say(
      'continued_from',
      'must be { assignments, assignments_sha256, manifest_sha256, rerandomized, returning_students, kept_households }',
      link,
    );
  }
  if (typeof m.manifest_sha256 !== 'string')
    say('manifest_sha256', "must be the hash of the manifest's content, as pilot assign writes it", m.manifest_sha256);
  else if (m.manifest_sha256 !== manifestContentHash(m))
    problems.push('its content has changed since it was written: manifest_sha256 no longer matches the fields');
  return problems;
}

export const SPANNING_RULE = 'a household whose students fall in different blocks is randomized in the block of its lowest-grade student';

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

/** How the roster of a study with this manifest is read: households across districts accepted when its assignment accepted them. */
export function rosterRulesOf(manifest: AssignmentManifest): RosterRules {
  return { householdsAcrossDistricts: manifest.design.households_across_districts === true };
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
