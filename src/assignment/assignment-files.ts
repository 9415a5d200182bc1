import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PilotError } from '../errors.js';
import { sha256, sha256File } from '../io/hash.js';
import type { PlannedFile } from '../io/write-atomic.js';
import { PRIVATE_MODE, refuseInterruptedOutput, SHARED_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import type { Assignment } from '../types.js';
import { readAssignments } from '../data/read-assignments.js';
import { describeAssignmentChange } from './describe-assignment-change.js';
import type { AssignmentManifest } from './manifest.js';

/** The manifest that belongs beside an assignment file: `x.csv` -> `x.manifest.json`. */
export function manifestPathFor(assignmentsPath: string): string {
  return assignmentsPath.replace(/\.csv$/i, '') + '.manifest.json';
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
export async function readVerifiedAssignments(assignmentsPath: string): Promise<{ assignments: Assignment[]; manifest: AssignmentManifest; sha256: string }> {
  const manifest = await readManifestOf(assignmentsPath);
  const actual = await sha256File(assignmentsPath);
  if (actual !== manifest.output.sha256) await refuseChanged(assignmentsPath, manifest, actual, await readFile(assignmentsPath, 'utf8'));
  return { assignments: await readAssignments({ path: assignmentsPath }, assignmentsPath), manifest, sha256: actual };
}

/**
 * `readVerifiedAssignments` with the file's text, read once: hashed, checked and parsed
 * from the same bytes. A late run appends to that text, so what it verified is what it extends.
 */
export async function readVerifiedAssignmentsText(assignmentsPath: string): Promise<{ text: string; assignments: Assignment[]; manifest: AssignmentManifest; sha256: string }> {
  const manifest = await readManifestOf(assignmentsPath);
  const bytes = await readFile(assignmentsPath);
  const actual = sha256(bytes);
  const text = bytes.toString('utf8');
  if (actual !== manifest.output.sha256) await refuseChanged(assignmentsPath, manifest, actual, text);
  return { text, assignments: await readAssignments({ text }, assignmentsPath), manifest, sha256: actual };
}

/** The manifest beside an assignment file, refused when missing or damaged, or when a run stopped half way. */
async function readManifestOf(assignmentsPath: string): Promise<AssignmentManifest> {
  const manifestPath = manifestPathFor(assignmentsPath);
  // A run stopped while moving the three files into place leaves a mix: say how to finish it.
  await refuseInterruptedOutput(dirname(assignmentsPath));
  if (!(await fileExists(manifestPath))) {
    throw new PilotError(`${assignmentsPath}: its manifest ${manifestPath} is missing, so the assignment cannot be verified; use the folder \`pilot assign\` wrote`);
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

/** A manifest's JSON, checked for the fields the verification reads; a damaged one is refused, naming itself. */
function parseManifest(text: string, assignmentsPath: string, manifestPath: string): AssignmentManifest {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new PilotError(`${assignmentsPath}: its manifest ${manifestPath} is not valid JSON (${(error as Error).message}); restore the manifest \`pilot assign\` wrote`);
  }
  const manifest = json as Partial<AssignmentManifest> | null;
  const wellFormed =
    typeof manifest === 'object' && manifest !== null && typeof manifest.output?.sha256 === 'string' && Array.isArray(manifest.runs) &&
    typeof manifest.design?.control_arm === 'string' && Array.isArray(manifest.design.arms);
  if (!wellFormed) throw new PilotError(`${assignmentsPath}: its manifest ${manifestPath} is not an assignment manifest (it lacks output.sha256, runs or design); restore the manifest \`pilot assign\` wrote`);
  return manifest as AssignmentManifest;
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
): Promise<AssignmentManifest> {
  const paths = assignmentPaths(dir);
  const complete = completeManifest(manifest, csvText);
  const files: PlannedFile[] = [
    { path: paths.assignments, contents: csvText, mode: PRIVATE_MODE },
    { path: paths.manifest, contents: `${JSON.stringify(complete, null, 2)}\n`, mode: PRIVATE_MODE },
    { path: paths.balance, contents: balanceCsv, mode: SHARED_MODE },
  ];
  await writeFilesAtomically(files);
  return complete;
}


/**
 * A manifest as it is written beside `contents` (the whole assignments.csv): with the
 * file's SHA-256, recorded for the file and for the run that made it.
 */
export function completeManifest(manifest: Omit<AssignmentManifest, 'output'>, contents: string | Uint8Array | readonly Uint8Array[]): AssignmentManifest {
  const hash = sha256OfContents(contents);
  const runs = manifest.runs.map((run, i) => (i === manifest.runs.length - 1 ? { ...run, output_sha256: hash } : run));
  return { ...manifest, output: { file: 'assignments.csv', sha256: hash }, runs };
}

/** `sha256` of a file's contents; parts are hashed in order, so the hash is that of the joined bytes. */
function sha256OfContents(contents: string | Uint8Array | readonly Uint8Array[]): string {
  if (typeof contents === 'string' || contents instanceof Uint8Array) return sha256(contents);
  const hash = createHash('sha256');
  for (const part of contents) hash.update(part);
  return hash.digest('hex');
}
