import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readAssignments } from '../data/read-assignments.js';
import { PilotError } from '../errors.js';
import { sha256, sha256File } from '../io/hash.js';
import type { PlannedFile } from '../io/write-atomic.js';
import { PRIVATE_MODE, refuseInterruptedOutput, SHARED_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import type { Assignment } from '../types.js';
import { describeAssignmentChange } from './describe-assignment-change.js';
import type { AssignmentManifest } from './manifest.js';
import { formatManifest, manifestProblems, sealManifest } from './manifest.js';

/** The manifest that belongs beside an assignment file: `x.csv` -> `x.manifest.json`. */
export function manifestPathFor(assignmentsPath: string): string {
  return `${assignmentsPath.replace(/\.csv$/i, '')}.manifest.json`;
}

export function assignmentPaths(dir: string): { assignments: string; manifest: string; balance: string } {
  return { assignments: join(dir, 'assignments.csv'), manifest: join(dir, 'assignments.manifest.json'), balance: join(dir, 'balance.csv') };
}

export async function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Reads an assignment and its manifest and checks the file is the one the manifest
 * recorded: anything computed from a changed assignment (messages, an analysis) would
 * silently break the study, so a mismatch refuses with what changed.
 */
export async function readVerifiedAssignments(
  assignmentsPath: string,
): Promise<{ assignments: Assignment[]; manifest: AssignmentManifest; sha256: string }> {
  const manifest = await readManifestOf(assignmentsPath);
  const actual = await sha256File(assignmentsPath);
  if (actual !== manifest.output.sha256) await refuseChanged(assignmentsPath, manifest, actual, await readFile(assignmentsPath, 'utf8'));
  const assignments = await readAssignments({ path: assignmentsPath }, assignmentsPath);
  refuseCountsThatDiffer(assignmentsPath, manifest, assignments);
  return { assignments, manifest, sha256: actual };
}

/**
 * `readVerifiedAssignments` with the file's text, read once: hashed, checked and parsed
 * from the same bytes. A late run appends to that text, so what it verified is what it extends.
 */
export async function readVerifiedAssignmentsText(
  assignmentsPath: string,
): Promise<{ text: string; assignments: Assignment[]; manifest: AssignmentManifest; sha256: string }> {
  const manifest = await readManifestOf(assignmentsPath);
  const bytes = await readFile(assignmentsPath);
  const actual = sha256(bytes);
  const text = bytes.toString('utf8');
  if (actual !== manifest.output.sha256) await refuseChanged(assignmentsPath, manifest, actual, text);
  const assignments = await readAssignments({ text }, assignmentsPath);
  refuseCountsThatDiffer(assignmentsPath, manifest, assignments);
  return { text, assignments, manifest, sha256: actual };
}

/**
 * The manifest beside an assignment file, checked in full (`manifestProblems`: every
 * field's type and meaning, and its content hash); refused when missing, damaged or
 * edited, or when a run stopped half way through writing the folder. Every reader of a
 * manifest reads it through this.
 */
export async function readCheckedManifest(assignmentsPath: string): Promise<AssignmentManifest> {
  return readManifestOf(assignmentsPath);
}

async function readManifestOf(assignmentsPath: string): Promise<AssignmentManifest> {
  const manifestPath = manifestPathFor(assignmentsPath);
  // A run stopped while moving the three files into place leaves a mix: say how to finish it.
  await refuseInterruptedOutput(dirname(assignmentsPath));
  if (!(await fileExists(manifestPath))) {
    throw new PilotError(
      `${assignmentsPath}: its manifest ${manifestPath} is missing, so the assignment cannot be verified; use the folder \`pilot assign\` wrote`,
    );
  }
  return parseManifest(await readFile(manifestPath, 'utf8'), assignmentsPath, manifestPath);
}

/** Refuses an assignment whose SHA-256 is not the manifest's, saying what changed. */
async function refuseChanged(assignmentsPath: string, manifest: AssignmentManifest, actual: string, text: string): Promise<never> {
  const runs = manifest.runs.map((r) => r?.assigned_at).join(', ');
  const change = await describeAssignmentChange(assignmentsPath, text, manifest);
  throw new PilotError(
    `${assignmentsPath} has changed since \`pilot assign\` wrote it: ${change}. Its SHA-256 is ${actual.slice(0, 12)}..., the manifest (runs: ${runs}) recorded ${manifest.output.sha256.slice(0, 12)}...; ` +
      'an edited assignment breaks the randomization. Restore the file, or add students with `pilot assign --add-late`.',
  );
}

/**
 * A manifest's JSON, checked field by field and against its content hash (`manifestProblems`):
 * a manifest edited anywhere (the control arm, the arms, a count, the seed) is refused,
 * naming what is wrong, instead of being obeyed.
 */
function parseManifest(text: string, assignmentsPath: string, manifestPath: string): AssignmentManifest {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new PilotError(
      `${assignmentsPath}: its manifest ${manifestPath} is not valid JSON (${(error as Error).message}); restore the manifest \`pilot assign\` wrote`,
    );
  }
  const problems = manifestProblems(json);
  if (problems.length > 0) {
    throw new PilotError(
      `${assignmentsPath}: its manifest ${manifestPath} has been changed or damaged: ${problems.slice(0, 6).join('; ')}${problems.length > 6 ? `; and ${problems.length - 6} more` : ''}. Restore the manifest \`pilot assign\` wrote`,
    );
  }
  return json as AssignmentManifest;
}

/**
 * The manifest's students per block and arm (over its runs) against the file's: with both
 * hashes matching they agree, unless the manifest was rewritten and sealed again by hand.
 */
function refuseCountsThatDiffer(assignmentsPath: string, manifest: AssignmentManifest, assignments: readonly Assignment[]): void {
  const key = (block: string, arm: string) => `${block}\u0000${arm}`;
  const counted = new Map<string, number>();
  for (const run of manifest.runs)
    for (const c of run.counts) counted.set(key(c.block, c.arm), (counted.get(key(c.block, c.arm)) ?? 0) - c.students);
  for (const a of assignments) counted.set(key(a.block, a.arm), (counted.get(key(a.block, a.arm)) ?? 0) + 1);
  const differing = [...counted]
    .filter(([, difference]) => difference !== 0)
    .map(
      ([k, difference]) =>
        `block "${k.split('\u0000')[0]}" arm "${k.split('\u0000')[1]}" (the file has ${difference > 0 ? `${difference} more` : `${-difference} fewer`})`,
    );
  const foreign = [...new Set(assignments.map((a) => a.arm))].filter((arm) => !manifest.design.arms.includes(arm));
  if (differing.length === 0 && foreign.length === 0) return;
  throw new PilotError(
    `${assignmentsPath} and its manifest disagree: ${[...(foreign.length > 0 ? [`arms ${foreign.join(', ')} are not in the design (${manifest.design.arms.join(', ')})`] : []), ...(differing.length > 0 ? [`students per block and arm differ: ${differing.slice(0, 5).join('; ')}${differing.length > 5 ? '; ...' : ''}`] : [])].join('; ')}. ` +
      'Restore the files `pilot assign` wrote',
  );
}

/**
 * Writes assignments.csv (owner-only: student ids), its manifest and balance.csv, all or
 * none. `csvText` is the whole new file (text, its UTF-8 bytes, or those bytes in parts to be
 * written one after the other); the manifest records its hash.
 */
export async function writeAssignmentFiles(
  dir: string,
  csvText: string | Uint8Array | readonly Uint8Array[],
  manifest: Omit<AssignmentManifest, 'output'> & { runs: AssignmentManifest['runs'] },
  balanceCsv: string,
  /** Files written with the three, all or none (the analysis plan locked with the assignment). */
  alongside: readonly PlannedFile[] = [],
): Promise<AssignmentManifest> {
  const paths = assignmentPaths(dir);
  const complete = completeManifest(manifest, csvText);
  const files: PlannedFile[] = [
    { path: paths.assignments, contents: csvText, mode: PRIVATE_MODE },
    { path: paths.manifest, contents: formatManifest(complete), mode: PRIVATE_MODE },
    { path: paths.balance, contents: balanceCsv, mode: SHARED_MODE },
    ...alongside,
  ];
  await writeFilesAtomically(files);
  return complete;
}

/**
 * A manifest as it is written beside `contents` (the whole assignments.csv): with the
 * file's SHA-256, recorded for the file and for the run that made it.
 */
export function completeManifest(
  manifest: Omit<AssignmentManifest, 'output'>,
  contents: string | Uint8Array | readonly Uint8Array[],
): AssignmentManifest {
  const hash = sha256OfContents(contents);
  const runs = manifest.runs.map((run, i) => (i === manifest.runs.length - 1 ? { ...run, output_sha256: hash } : run));
  return sealManifest({ ...manifest, output: { file: 'assignments.csv', sha256: hash }, runs });
}

/** `sha256` of a file's contents; parts are hashed in order, so the hash is that of the joined bytes. */
function sha256OfContents(contents: string | Uint8Array | readonly Uint8Array[]): string {
  if (typeof contents === 'string' || contents instanceof Uint8Array) return sha256(contents);
  const hash = createHash('sha256');
  for (const part of contents) hash.update(part);
  return hash.digest('hex');
}
