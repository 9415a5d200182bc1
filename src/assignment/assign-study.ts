import { join } from 'node:path';
import { ANALYSIS_PLAN_FILE } from '../data/analysis-plan.js';
import { readAnalysisPlan } from '../data/read-analysis-plan.js';
import type { LeftOutStudent } from '../data/read-oneroster-tables.js';
import { formatLeftOutCsv, LEFT_OUT_FILE } from '../data/read-oneroster-tables.js';
import { ASSIGNMENT_ROSTER_COLUMNS } from '../data/read-roster.js';
import type { RosterSourceOptions } from '../data/read-roster-source.js';
import { readRosterColumnsSource, readRosterSource } from '../data/read-roster-source.js';
import { rosterColumnsOf } from '../data/roster-columns.js';
import type { Issue } from '../errors.js';
import { PilotError, UsageError } from '../errors.js';
import { withExclusiveLock } from '../io/exclusive-lock.js';
import { guardOutputs } from '../io/output-guard.js';
import { PRIVATE_MODE, SHARED_MODE, writeFileAtomically } from '../io/write-atomic.js';
import { generateSeed } from '../random.js';
import type { Assignment, RosterStudent } from '../types.js';
import { assignmentPaths, completeManifest, fileExists, readVerifiedAssignmentsText, writeAssignmentFiles } from './assignment-files.js';
import type { BalanceRow } from './balance.js';
import { planContinuedAssignment } from './continue-assignment.js';
import type { AssignmentDesign, DesignOptions } from './design.js';
import { normalizeDesign } from './design.js';
import type { AssignmentManifest, ManifestRun } from './manifest.js';
import { designFromManifest } from './manifest.js';
import type { AssignmentPlan, RunContext } from './plan-assignment.js';
import { planLateAssignment, planRosterAssignment } from './plan-assignment.js';
import { readContinuedYear, readPreviousYear } from './read-assignment-chain.js';

/** An assignment to add late enrollees to: its file's text, its rows and its manifest. */
export interface ExistingAssignment {
  /** `assignments.csv` as it is: a late run appends to it, leaving every byte of it as it was. */
  readonly text: string;
  readonly assignments: readonly Assignment[];
  readonly manifest: AssignmentManifest;
}

export interface AssignStudyOptions {
  /**
   * The study folder for `assignments.csv`, its manifest and `balance.csv`. With it, an
   * assignment already there (verified against its manifest) makes this a late run, and
   * the three files are written, all or none. Without it nothing is read or written but
   * the roster.
   */
  readonly out?: string;
  /** `true`: a late run or nothing (an assignment must exist); `false`: a first run or nothing. Default: whichever the study holds. */
  readonly addLate?: boolean;
  /** The assignment to add late enrollees to, when there is no `out` to read it from. */
  readonly existing?: ExistingAssignment;
  /** A first run's design, as loose options (`normalizeDesign` checks them and fills the defaults). A late run reuses the recorded one. */
  readonly design?: DesignOptions;
  /**
   * Last year's `assignments.csv`, verified with its manifest and chain: this first run
   * continues it (`continueAssignment`): returning students and households keep their
   * arms, newcomers are randomized in this year's blocks, and the manifest links to it.
   * `design` defaults to last year's.
   */
  readonly continueFrom?: string;
  /** With `continueFrom`: randomize everyone anew under the design instead (the link is still recorded). */
  readonly rerandomize?: boolean;
  /** A first run's seed; generated when not given (the result says which). A late run reuses the recorded one. */
  readonly seed?: number;
  /**
   * Threads that write a first run's `assignments.csv`: 2 (the default) adds a worker for
   * a roster of 200,000 students or more, 1 writes it in this thread. The bytes are the same.
   */
  readonly threads?: number;
  /** How a roster path is read: OneRoster's `includeDisabled` and `district`, a CSV's `mapping`. */
  readonly rosterOptions?: RosterSourceOptions;
  /** What the manifest records as the run's command (the CLI passes the command line as typed). */
  readonly command?: string;
  /** When the run was made (ISO 8601), for the manifest; default now. Injected so tests are exact. */
  readonly created?: string;
  /**
   * An `analysis-plan.json` to lock with a first run: copied into `out` beside the
   * assignment, its SHA-256 and the run's time recorded in the manifest (`analysis_plan`).
   */
  readonly analysisPlan?: string;
}

/** What a run of `assignStudy` made. */
export interface StudyAssignment {
  /** `initial` for a first run, `late-1`, `late-2`, ... after it. */
  readonly run: string;
  readonly seed: number;
  readonly design: AssignmentDesign;
  /** This run's rows, by student id: a late run's are only the students it added. */
  readonly assignments: readonly Assignment[];
  /** Students this run assigned. */
  readonly students: number;
  /** Households this run randomized (a late sibling joining an assigned household is not one). */
  readonly households: number;
  /** Of those, households whose students fall in different blocks (randomized in the lowest grade's block). */
  readonly householdsSpanningBlocks: number;
  /** Students this run assigned to each arm, arms in order of first appearance by student id. */
  readonly studentsByArm: Readonly<Record<string, number>>;
  /** Balance of the whole assignment, every run's rows, over the roster. */
  readonly balance: readonly BalanceRow[];
  readonly balanceCsv: string;
  /** The whole `assignments.csv`, every run's rows. */
  readonly csvText: string;
  /** The manifest, with the SHA-256 of `assignments.csv`. */
  readonly manifest: AssignmentManifest;
  /** Notes on the roster (rows it kept but remarked on). */
  readonly warnings: readonly Issue[];
  /**
   * Students of a OneRoster bundle the roster left out (disabled, unenrolled, a grade
   * outside the study); with `out`, listed in `roster-left-out.csv` there (mode 0600).
   */
  readonly leftOut: readonly LeftOutStudent[];
  /** Where the list of students left out was written, when there were any and `out` was given. */
  readonly leftOutFile?: string;
  /** Where the three files were written; undefined without `out`. */
  readonly files?: { readonly assignments: string; readonly manifest: string; readonly balance: string };
}

/**
 * Assigns a study's students to arms, as `pilot assign` does: the first run randomizes
 * every student of the roster (households together, within blocks, with exact counts per
 * block), and each later run adds only the students the assignment lacks, under the
 * recorded design and seed, leaving every earlier row as it was.
 *
 * `roster` is a path (a roster CSV, or a OneRoster 1.1/1.2 folder or zip) or students in
 * memory. With `out`, whether the run is the first or a late one is decided by whether
 * `out` holds an assignment (read once, and refused if it changed since it was written),
 * and the files are written. The same roster, design and seed give the same bytes on one
 * thread or two.
 *
 * @example
 * const first = await assignStudy('roster.csv', { out: 'study', seed: 2024, design: { blockBy: ['district', 'school'] } });
 * first.studentsByArm; // { control: 751, treatment: 749 }
 * const late = await assignStudy('roster-october.csv', { out: 'study', addLate: true });
 * late.run; // 'late-1'
 */
export async function assignStudy(roster: string | readonly RosterStudent[], options: AssignStudyOptions = {}): Promise<StudyAssignment> {
  // Two runs into one folder at once would both find it empty and both write: the lock
  // spans the look at what the folder holds and the write.
  if (options.out === undefined) return assignStudyLocked(roster, options);
  if (typeof roster === 'string')
    await guardOutputs({ inputs: [roster], outputs: Object.values(assignmentPaths(options.out)), force: true });
  return withExclusiveLock(options.out, options.command ?? 'assignStudy', () => assignStudyLocked(roster, options));
}

async function assignStudyLocked(roster: string | readonly RosterStudent[], options: AssignStudyOptions): Promise<StudyAssignment> {
  const { out, addLate, threads = 2 } = options;
  if (threads !== 1 && threads !== 2) throw new UsageError('assignStudy', `threads must be 1 or 2, got ${threads}`);
  if (out !== undefined && options.existing)
    throw new UsageError('assignStudy', 'give out (the study folder to read and write) or existing (an assignment in memory), not both');
  const paths = out === undefined ? undefined : assignmentPaths(out);
  const late = options.existing !== undefined || (paths !== undefined && (await fileExists(paths.assignments)));
  const where = paths?.assignments ?? 'the existing assignment';
  if (late && options.continueFrom !== undefined)
    throw new PilotError(`${where} already exists: a continuing year is a new study; give --out a new folder`);
  if (late && addLate === false)
    throw new PilotError(`${where} already exists: an assignment is never redone. Use --add-late to assign students enrolled since.`);
  if (!late && addLate === true) throw new PilotError(`--add-late needs an existing assignment, and ${where} does not exist`);
  if (late && (options.seed !== undefined || options.design !== undefined)) {
    throw new UsageError('assignStudy', 'a late run reuses the recorded seed and design: give neither seed nor design');
  }
  if (late && options.analysisPlan !== undefined)
    throw new PilotError(
      `${where} already exists: a plan is locked with the assignment's first run; lock it now with \`pilot plan --lock --study\` (the manifest records when)`,
    );
  // Read and checked before the roster: a bad plan is said before minutes of work.
  const lockedPlan = options.analysisPlan === undefined ? undefined : await readAnalysisPlan(options.analysisPlan);
  if (options.rerandomize && options.continueFrom === undefined) throw new UsageError('assignStudy', 'rerandomize needs continueFrom');
  const existing = options.existing ?? (late ? await readExisting(paths!.assignments) : undefined);
  // A study that accepted households across districts keeps accepting them: its late runs read the roster so too.
  const acrossDistricts =
    options.rosterOptions?.householdsAcrossDistricts === true || existing?.manifest.design.households_across_districts === true;
  const rosterOptions = { ...options.rosterOptions, householdsAcrossDistricts: acrossDistricts };
  const context = (inputs: ManifestRun['inputs']): RunContext => ({
    command: options.command ?? 'assignStudy',
    inputs,
    created: options.created ?? new Date().toISOString(),
  });

  let plan: AssignmentPlan;
  let warnings: readonly Issue[] = [];
  let leftOut: readonly LeftOutStudent[] = [];
  if (existing) {
    // A late run matches students by id, so the roster is read as students.
    const read = typeof roster === 'string' ? await readRosterSource(roster, ASSIGNMENT_ROSTER_COLUMNS, rosterOptions) : undefined;
    warnings = read?.warnings ?? [];
    leftOut = read?.leftOut ?? [];
    const inputs: ManifestRun['inputs'] = read ? { roster: { path: roster as string, sha256: read.sha256 } } : {};
    // A continuing study's late enrollees who were there last year keep last year's arm, as its first run's did.
    const link = existing.manifest.continued_from;
    const lastYear = link && !link.rerandomized ? await readContinuedYear(where, out, link) : [];
    plan = planLateAssignment(
      existing.text,
      existing.assignments,
      existing.manifest,
      read?.students ?? (roster as readonly RosterStudent[]),
      context(inputs),
      lastYear,
    );
  } else if (options.continueFrom !== undefined) {
    const previous = await readPreviousYear(options.continueFrom, out);
    const design = normalizeDesign(designOverLastYears(options.design, previous.manifest));
    const read = typeof roster === 'string' ? await readRosterSource(roster, ASSIGNMENT_ROSTER_COLUMNS, rosterOptions) : undefined;
    warnings = read?.warnings ?? [];
    leftOut = read?.leftOut ?? [];
    const inputs: ManifestRun['inputs'] = {
      ...(read ? { roster: { path: roster as string, sha256: read.sha256 } } : {}),
      continued_from: { path: options.continueFrom, sha256: previous.link.assignments_sha256 },
    };
    const students = read?.students ?? (roster as readonly RosterStudent[]);
    plan = await planContinuedAssignment(previous, students, design, options.seed ?? generateSeed(), context(inputs), options);
  } else {
    // A first run reads the roster as columns: a million students are not a million objects.
    const design = normalizeDesign(options.design);
    const seed = options.seed ?? generateSeed();
    const read = typeof roster === 'string' ? await readRosterColumnsSource(roster, ASSIGNMENT_ROSTER_COLUMNS, rosterOptions) : undefined;
    warnings = read?.warnings ?? [];
    leftOut = read?.leftOut ?? [];
    const inputs: ManifestRun['inputs'] = read ? { roster: { path: roster as string, sha256: read.sha256 } } : {};
    const columns = read?.columns ?? rosterColumnsOf(roster as readonly RosterStudent[]);
    plan = await planRosterAssignment(columns, design, seed, context(inputs), { threads, households: read?.households });
  }
  // The list of students left out names them, so it is private; written first, an assignment never lacks it.
  const leftOutFile = out !== undefined && leftOut.length > 0 ? join(out, LEFT_OUT_FILE) : undefined;
  if (leftOutFile) await writeFileAtomically(leftOutFile, formatLeftOutCsv(leftOut), PRIVATE_MODE);
  if (acrossDistricts) plan = { ...plan, manifest: withHouseholdsAcrossDistricts(plan.manifest) };
  const planned = lockedPlan === undefined ? plan.manifest : withLockedPlan(plan.manifest, lockedPlan.sha256);
  const alongside =
    lockedPlan && out !== undefined ? [{ path: join(out, ANALYSIS_PLAN_FILE), contents: lockedPlan.text, mode: SHARED_MODE }] : [];
  const manifest =
    out === undefined
      ? completeManifest(planned, plan.csvParts)
      : await writeAssignmentFiles(out, plan.csvParts, planned, plan.balanceCsv, alongside);
  const last = manifest.runs[manifest.runs.length - 1];
  return {
    run: last.assigned_at,
    seed: manifest.seed,
    design: plan.design,
    // An initial run's rows become objects only when asked for: a million of them cost seconds.
    get assignments() {
      return plan.run.assignments;
    },
    students: last.students_added,
    households: plan.run.households,
    householdsSpanningBlocks: plan.run.householdsSpanningBlocks,
    studentsByArm: plan.studentsByArm,
    balance: plan.balance,
    balanceCsv: plan.balanceCsv,
    get csvText() {
      return plan.csvText;
    },
    manifest,
    warnings,
    leftOut,
    ...(leftOutFile ? { leftOutFile } : {}),
    files: paths,
  };
}

/** A first run's manifest with the analysis plan locked by that run: its hash, the run's time and command. */
function withLockedPlan(manifest: AssignmentPlan['manifest'], sha256: string): AssignmentPlan['manifest'] {
  const run = manifest.runs[0];
  const locked = {
    file: ANALYSIS_PLAN_FILE,
    sha256,
    locked_at: run.created,
    command: run.command,
    after_run: run.assigned_at,
    with_assignment: true,
  };
  return { ...manifest, analysis_plan: locked };
}

/** The manifest of a study whose roster may have households across districts: its readers are told so. */
function withHouseholdsAcrossDistricts(manifest: AssignmentPlan['manifest']): AssignmentPlan['manifest'] {
  return { ...manifest, design: { ...manifest.design, households_across_districts: true } };
}

/** A continuing year's design: the options given, each defaulting to last year's. */
function designOverLastYears(options: DesignOptions = {}, manifest: AssignmentManifest): DesignOptions {
  const last = designFromManifest(manifest);
  return {
    blockBy: options.blockBy ?? last.blockBy,
    arms: options.arms ?? last.arms,
    probabilities: options.probabilities ?? (options.arms === undefined ? last.probabilities : undefined),
    clustered: options.clustered ?? last.clustered,
  };
}

/** The study's assignment, read once: its text (a late run appends to it), rows and manifest, verified. */
async function readExisting(path: string): Promise<ExistingAssignment> {
  const { text, assignments, manifest } = await readVerifiedAssignmentsText(path);
  return { text, assignments, manifest };
}
