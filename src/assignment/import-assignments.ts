import { join } from 'node:path';
import { compareStudentIds } from '../data/compare-student-ids.js';
import { gradeIndex } from '../data/normalize-grade.js';
import type { BlockProbabilities } from '../data/read-block-probabilities.js';
import { readBlockProbabilities } from '../data/read-block-probabilities.js';
import type { ArmLabels, ImportedAssignmentsFile } from '../data/read-imported-assignments.js';
import { readImportedAssignments } from '../data/read-imported-assignments.js';
import type { LeftOutStudent } from '../data/read-oneroster-tables.js';
import { formatLeftOutCsv, LEFT_OUT_FILE } from '../data/read-oneroster-tables.js';
import { ASSIGNMENT_ROSTER_COLUMNS } from '../data/read-roster.js';
import type { RosterSourceOptions } from '../data/read-roster-source.js';
import { readRosterSource } from '../data/read-roster-source.js';
import type { Issue } from '../errors.js';
import { PilotError, UsageError, ValidationError } from '../errors.js';
import { withExclusiveLock } from '../io/exclusive-lock.js';
import { guardOutputs } from '../io/output-guard.js';
import { PRIVATE_MODE, writeFileAtomically } from '../io/write-atomic.js';
import type { Assignment, RosterStudent } from '../types.js';
import { VERSION } from '../version.js';
import type { BlockCount } from './assign-blocked.js';
import { assignmentPaths, completeManifest, fileExists, writeAssignmentFiles } from './assignment-files.js';
import type { BalanceRow } from './balance.js';
import { computeBalance } from './balance.js';
import type { BlockVariable } from './design.js';
import { BLOCK_VARIABLES, blockOf } from './design.js';
import { formatAssignments } from './format-assignments.js';
import { formatBalance } from './format-balance.js';
import type { AssignmentManifest, ImportedAssignmentRecord } from './manifest.js';

const ARMS = ['control', 'treatment'] as const;

/** Where an imported assignment's blocks come from when the file has no `block` column, and how it is checked. */
export interface ImportAssignmentsOptions {
  /** The study folder to write `assignments.csv`, its manifest and `balance.csv` to (all or none); without it nothing is written. */
  readonly out?: string;
  /** The file's labels of the arms (default: `control`/`treatment`, or randomizr's `0`/`1`). */
  readonly labels?: ArmLabels;
  /** One probability of treatment for every student, when the file gives none. */
  readonly pTreatment?: number;
  /** A block-probabilities file (`block`, `prob_treatment`), when the file gives none per student. */
  readonly blockProbabilities?: string;
  /** When the file has no `block` column: the roster variables its blocks are made of (default district, school, grade). */
  readonly blockBy?: readonly BlockVariable[];
  /** Whether households were assigned together, so siblings must share an arm (default true). */
  readonly clustered?: boolean;
  /** What made the file, for the manifest and the report (default "not stated"). */
  readonly madeBy?: string;
  readonly rosterOptions?: RosterSourceOptions;
  /** The command line the manifest records (default `importAssignments`). */
  readonly command?: string;
  /** When the import was made (ISO 8601); default now. */
  readonly created?: string;
}

/** An imported assignment, checked and in our form. */
export interface ImportedAssignment {
  /** Every roster student's row, by student id. */
  readonly assignments: readonly Assignment[];
  readonly students: number;
  /** Households (by household_id) in the assignment. */
  readonly households: number;
  /** Households whose students fall in different blocks. */
  readonly householdsSpanningBlocks: number;
  readonly studentsByArm: Readonly<Record<string, number>>;
  readonly balance: readonly BalanceRow[];
  readonly balanceCsv: string;
  readonly csvText: string;
  readonly manifest: AssignmentManifest;
  /** The roster's notes, and blocks whose treated share is far from their probability. */
  readonly warnings: readonly Issue[];
  readonly leftOut: readonly LeftOutStudent[];
  readonly files?: { readonly assignments: string; readonly manifest: string; readonly balance: string };
}

/**
 * Imports an assignment made by another tool (R's randomizr, Stata, a spreadsheet) as
 * `pilot assign --import` does: checks it against the roster and writes our
 * `assignments.csv`, manifest (marked `imported`, with the file's SHA-256) and
 * `balance.csv`, so `messages`, `analyze` and `report` work on the study. Refused, naming
 * file, row and column, and writing nothing, unless every roster student is in the file
 * exactly once and no one else is, siblings share an arm (when `clustered`), every
 * probability of treatment lies strictly between 0 and 1, and the probability is one
 * number within each block: the model compares students within a block (one intercept per
 * block), which is a fair comparison only when everyone in the block had the same chance.
 *
 * @example
 * const study = await importAssignments('randomizr.csv', 'roster.csv', { out: 'study', madeBy: 'R randomizr block_ra' });
 * study.studentsByArm; // { control: 751, treatment: 749 }
 */
export async function importAssignments(file: string, roster: string, options: ImportAssignmentsOptions = {}): Promise<ImportedAssignment> {
  const { out } = options;
  if (options.pTreatment !== undefined && options.blockProbabilities !== undefined)
    throw new PilotError('give the probability of treatment once: --p for every student, or --block-p per block, not both');
  const p = options.pTreatment;
  if (p !== undefined && !(p > 0 && p < 1))
    throw new UsageError('importAssignments', `pTreatment must be a probability strictly between 0 and 1, got ${p}`);
  if (out === undefined) return importLocked(file, roster, options);
  await guardOutputs({ inputs: [file, roster, options.blockProbabilities], outputs: Object.values(assignmentPaths(out)), force: true });
  return withExclusiveLock(out, options.command ?? 'importAssignments', () => importLocked(file, roster, options));
}

async function importLocked(file: string, roster: string, options: ImportAssignmentsOptions): Promise<ImportedAssignment> {
  const paths = options.out === undefined ? undefined : assignmentPaths(options.out);
  if (paths && (await fileExists(paths.assignments)))
    throw new PilotError(`${paths.assignments} already exists: an assignment is never redone. Import into a new study folder.`);
  const read = await readRosterSource(roster, ASSIGNMENT_ROSTER_COLUMNS, options.rosterOptions);
  const imported = await readImportedAssignments(file, options.labels);
  const perBlock = options.blockProbabilities === undefined ? undefined : await readBlockProbabilities(options.blockProbabilities);
  if (imported.probabilityColumn !== undefined && (perBlock || options.pTreatment !== undefined))
    throw new PilotError(
      `${file} gives each student's probability of treatment (column ${imported.probabilityColumn}), and ${perBlock ? '--block-p' : '--p'} gives them again: give them once`,
    );
  if (imported.probabilityColumn === undefined && !perBlock && options.pTreatment === undefined)
    throw new PilotError(
      `${file} has no probability of treatment (a column prob_treatment, p_treatment, prob_${imported.labels.treatment} or condition_prob): give them per block with --block-p FILE, or one for every student with --p`,
    );
  if (imported.hasBlocks && options.blockBy !== undefined)
    throw new PilotError(`${file} gives each student's block (column block), and --block would make others: drop --block, or the column`);
  const blockBy = options.blockBy ?? BLOCK_VARIABLES;
  const checked = checkImportedAssignments(imported, read.students, {
    rosterFile: roster,
    blockBy,
    clustered: options.clustered ?? true,
    pTreatment: options.pTreatment,
    perBlock,
  });
  const csvText = formatAssignments(checked.assignments);
  const balance = computeBalance(read.students, checked.assignments, ARMS, 'control');
  const balanceCsv = formatBalance(balance, ARMS, 'control');
  const manifest = importManifest(file, imported, checked, { ...options, rosterSha256: read.sha256, roster, perBlock, blockBy });
  const leftOutFile = paths && read.leftOut.length > 0 ? join(options.out!, LEFT_OUT_FILE) : undefined;
  if (leftOutFile) await writeFileAtomically(leftOutFile, formatLeftOutCsv(read.leftOut), PRIVATE_MODE);
  const complete = paths ? await writeAssignmentFiles(options.out!, csvText, manifest, balanceCsv) : completeManifest(manifest, csvText);
  const studentsByArm: Record<string, number> = {};
  for (const a of checked.assignments) studentsByArm[a.arm] = (studentsByArm[a.arm] ?? 0) + 1;
  return {
    assignments: checked.assignments,
    students: checked.assignments.length,
    households: checked.households,
    householdsSpanningBlocks: checked.householdsSpanningBlocks,
    studentsByArm,
    balance,
    balanceCsv,
    csvText,
    manifest: complete,
    warnings: [...read.warnings, ...checked.warnings],
    leftOut: read.leftOut,
    ...(paths ? { files: paths } : {}),
  };
}

/** The manifest of an import: our design's fields as far as they apply, `imported`, and one `initial` run. */
function importManifest(
  file: string,
  imported: ImportedAssignmentsFile,
  checked: ReturnType<typeof checkImportedAssignments>,
  options: ImportAssignmentsOptions & {
    readonly roster: string;
    readonly rosterSha256: string;
    readonly perBlock?: BlockProbabilities;
    readonly blockBy: readonly BlockVariable[];
  },
): Omit<AssignmentManifest, 'output'> {
  const { perBlock, blockBy } = options;
  const record: ImportedAssignmentRecord = {
    file,
    sha256: imported.sha256,
    source: options.madeBy?.trim() || 'not stated',
    probabilities: imported.probabilityColumn
      ? { given: 'per student', column: imported.probabilityColumn }
      : perBlock
        ? { given: 'per block', file: perBlock.file, sha256: perBlock.sha256 }
        : { given: 'one for all', p_treatment: options.pTreatment! },
    blocks: imported.hasBlocks ? 'file' : 'roster',
    labels: imported.labels,
  };
  const meanP = Number((checked.assignments.reduce((sum, a) => sum + a.p_treatment, 0) / checked.assignments.length).toPrecision(12));
  const inputs: Record<string, { path: string; sha256: string }> = {
    roster: { path: options.roster, sha256: options.rosterSha256 },
    imported: { path: file, sha256: imported.sha256 },
    ...(perBlock ? { block_probabilities: { path: perBlock.file, sha256: perBlock.sha256 } } : {}),
  };
  return {
    tool: 'attendance-pilot',
    version: VERSION,
    design: {
      block_by: imported.hasBlocks ? [] : blockBy,
      clustered_by: (options.clustered ?? true) ? 'household_id' : null,
      arms: ARMS,
      // Each student's own probability is in assignments.csv (p_treatment); this is their mean.
      probabilities: [Number((1 - meanP).toPrecision(12)), meanP],
      control_arm: 'control',
      households_spanning_blocks: IMPORTED_SPANNING_RULE,
    },
    seed: 0,
    imported: record,
    runs: [
      {
        assigned_at: 'initial',
        created: options.created ?? new Date().toISOString(),
        command: options.command ?? 'importAssignments',
        inputs,
        students_added: checked.assignments.length,
        households_added: checked.households,
        households_spanning_blocks: checked.householdsSpanningBlocks,
        counts: checked.counts,
        output_sha256: '',
      },
    ],
  };
}

/** What the manifest's design says of households spanning blocks, for an imported assignment. */
export const IMPORTED_SPANNING_RULE =
  'imported: each student is in the block the file (or the roster) gives; a household spanning blocks kept the one arm it was given';

/** How `checkImportedAssignments` places students in blocks and gives them probabilities. */
export interface ImportChecks {
  /** The roster's name, for students it holds that the file lacks. */
  readonly rosterFile: string;
  /** Without a `block` column: the roster variables of the blocks. */
  readonly blockBy: readonly BlockVariable[];
  readonly clustered: boolean;
  readonly pTreatment?: number;
  readonly perBlock?: BlockProbabilities;
}

/**
 * Checks an imported file against the roster and turns it into our rows, in student-id
 * order: every roster student once and no one else, siblings in one arm with one
 * probability (when clustered), a probability for every student, one probability per
 * block. Throws a `ValidationError` with every problem. Warns of a block whose treated
 * households are not the floor or ceiling of its households times its probability (what
 * blocked complete randomization gives; simple random assignment may stray further).
 */
export function checkImportedAssignments(
  imported: ImportedAssignmentsFile,
  students: readonly RosterStudent[],
  checks: ImportChecks,
): { assignments: Assignment[]; counts: BlockCount[]; households: number; householdsSpanningBlocks: number; warnings: Issue[] } {
  const { file } = imported;
  const issues: Issue[] = [];
  const rosterById = new Map(students.map((s) => [s.student_id, s]));
  const inFile = new Set<string>();
  const assignments: Assignment[] = [];
  const blockFirst = new Map<string, { p: number; row: number }>();
  const householdFirst = new Map<string, { arm: string; p: number; row: number; id: string; block: string }>();
  // Without the file's blocks, a household is in the block of its lowest-grade student, as pilot assign places it.
  const householdBlock = checks.clustered && !imported.hasBlocks ? householdBlocks(students, checks.blockBy) : undefined;
  const spanning = new Set<string>();
  const unlisted = new Map<string, number>();
  for (const r of imported.rows) {
    inFile.add(r.student_id);
    const student = rosterById.get(r.student_id);
    const at = (column: string, message: string) => issues.push({ file, row: r.row, column, message });
    if (!student) {
      at(
        'student_id',
        `student "${r.student_id}" is not in the roster (${checks.rosterFile}): an imported assignment holds the roster's students only`,
      );
      continue;
    }
    const own = r.block ?? blockOf(student, checks.blockBy);
    const block = householdBlock?.get(student.household_id) ?? own;
    if (own !== block) spanning.add(student.household_id);
    const listed = checks.perBlock?.byBlock.get(block);
    if (checks.perBlock && !listed && !unlisted.has(block)) unlisted.set(block, r.row);
    const p = r.p_treatment ?? checks.pTreatment ?? listed?.p_treatment;
    if (p === undefined) continue;
    const pColumn = imported.probabilityColumn ?? 'block';
    const first = blockFirst.get(block);
    if (first === undefined) blockFirst.set(block, { p, row: r.row });
    else if (first.p !== p)
      at(
        pColumn,
        `probability ${p} differs from ${first.p}, the probability of block "${block}" on row ${first.row}: students are compared within their block, so a block holds one probability (give the file's blocks in a "block" column, or finer blocks with --block)`,
      );
    if (checks.clustered) {
      const sibling = householdFirst.get(student.household_id);
      if (sibling === undefined) householdFirst.set(student.household_id, { arm: r.arm, p, row: r.row, id: r.student_id, block });
      else {
        if (sibling.arm !== r.arm)
          at(
            imported.armColumn,
            `student "${r.student_id}" is in ${r.arm} but sibling "${sibling.id}" (row ${sibling.row}, household "${student.household_id}") is in ${sibling.arm}: households are assigned together (import with --no-cluster if the file was randomized student by student)`,
          );
        else if (sibling.p !== p)
          at(
            pColumn,
            `probability ${p} differs from ${sibling.p} of sibling "${sibling.id}" (row ${sibling.row}, household "${student.household_id}"): a household assigned together had one probability`,
          );
        if (sibling.block !== block) spanning.add(student.household_id);
      }
    }
    assignments.push({
      student_id: student.student_id,
      household_id: student.household_id,
      district_id: student.district_id,
      school_id: student.school_id,
      grade: student.grade,
      block,
      arm: r.arm,
      p_treatment: p,
      assigned_at: 'initial',
    });
  }
  for (const [block, row] of unlisted)
    issues.push({
      file: checks.perBlock!.file,
      column: 'block',
      message: `block "${block}" (of the student on row ${row} of ${file}) is not listed, so its students have no probability of treatment`,
    });
  for (const s of students)
    if (!inFile.has(s.student_id))
      issues.push({
        file: checks.rosterFile,
        column: 'student_id',
        message: `student "${s.student_id}" is in the roster but not in ${file}: every roster student must be assigned (or left out of the roster)`,
      });
  if (issues.length > 0) throw new ValidationError(issues, `${file} cannot be imported as this roster's assignment`);
  assignments.sort(compareStudentIds);
  const { counts, households } = countByBlock(assignments, checks.clustered);
  return { assignments, counts, households, householdsSpanningBlocks: spanning.size, warnings: shareWarnings(file, counts, blockFirst) };
}

/** Each household's block: that of its lowest-grade student (ties: the lowest id), as `buildHouseholdTable` chooses it. */
function householdBlocks(students: readonly RosterStudent[], blockBy: readonly BlockVariable[]): Map<string, string> {
  const anchor = new Map<string, RosterStudent>();
  for (const s of students) {
    const a = anchor.get(s.household_id);
    const lower = a === undefined || gradeIndex(s.grade) < gradeIndex(a.grade) || (s.grade === a.grade && compareStudentIds(s, a) < 0);
    if (lower) anchor.set(s.household_id, s);
  }
  return new Map([...anchor].map(([household, s]) => [household, blockOf(s, blockBy)]));
}

/** Students and households per block and arm (a household spanning blocks counts in each), blocks by name. */
function countByBlock(assignments: readonly Assignment[], clustered: boolean): { counts: BlockCount[]; households: number } {
  const cells = new Map<string, { students: number; households: Set<string> }>();
  const all = new Set<string>();
  for (const a of assignments) {
    const key = `${a.block}\u0000${a.arm}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { students: 0, households: new Set() }));
    const unit = clustered ? a.household_id : a.student_id;
    cell.students++;
    cell.households.add(unit);
    all.add(unit);
  }
  const blocks = [...new Set(assignments.map((a) => a.block))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const counts: BlockCount[] = [];
  for (const block of blocks)
    for (const arm of ARMS) {
      const cell = cells.get(`${block}\u0000${arm}`);
      counts.push({ block, arm, households: cell?.households.size ?? 0, students: cell?.students ?? 0 });
    }
  return { counts, households: all.size };
}

/** A note for each block whose treated households are neither the floor nor the ceiling of households x probability. */
function shareWarnings(file: string, counts: readonly BlockCount[], probabilityOf: ReadonlyMap<string, { p: number }>): Issue[] {
  const warnings: Issue[] = [];
  for (let i = 0; i + 1 < counts.length; i += 2) {
    const [control, treatment] = [counts[i], counts[i + 1]];
    const p = probabilityOf.get(control.block)?.p;
    const households = control.households + treatment.households;
    if (p === undefined) continue;
    const expected = households * p;
    if (treatment.households < Math.floor(expected - 1e-9) || treatment.households > Math.ceil(expected + 1e-9))
      warnings.push({
        file,
        message: `block "${control.block}": ${treatment.households} of ${households} households treated, where complete randomization at probability ${p} treats ${Number(expected.toPrecision(6))}; check the probabilities given (simple random assignment can stray this far)`,
      });
  }
  return warnings;
}
