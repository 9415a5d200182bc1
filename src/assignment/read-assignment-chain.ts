import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { PilotError } from '../errors.js';
import type { Assignment } from '../types.js';
import { fileExists, readVerifiedAssignments } from './assignment-files.js';
import type { PreviousYear } from './continue-assignment.js';
import type { ContinuedFrom } from './manifest.js';

/** One assignment of a chain, verified: where it is and its hashes. */
export interface ChainLink {
  readonly assignments: string;
  readonly assignments_sha256: string;
  readonly manifest_sha256: string;
}

/** A link of a verified chain, with the assignment as it was read. */
export interface VerifiedLink extends ChainLink {
  readonly read: Awaited<ReturnType<typeof readVerifiedAssignments>>;
}

/**
 * Reads the assignment a new year continues, verified against its manifest (which is
 * checked in full, `readCheckedManifest`) and, when it continues an older one, along its
 * whole chain (`verifyAssignmentChain`). `studyFolder`, where the new assignment is
 * written, is what the link's path is made relative to, so the two folders can move together.
 */
export async function readPreviousYear(assignmentsPath: string, studyFolder?: string): Promise<PreviousYear> {
  if (!(await fileExists(assignmentsPath)))
    throw new PilotError(
      `${assignmentsPath} does not exist: --continue-from takes last year's assignments.csv, in the study folder \`pilot assign\` wrote`,
    );
  const [own] = await verifyAssignmentChain(assignmentsPath);
  const { assignments, manifest } = own.read;
  const path = studyFolder === undefined ? assignmentsPath : relative(resolve(studyFolder), resolve(assignmentsPath));
  return {
    assignments,
    manifest,
    link: { assignments: path, assignments_sha256: own.assignments_sha256, manifest_sha256: own.manifest_sha256 },
  };
}

/**
 * The rows of the assignment a continuing study continues (`link`, its manifest's
 * `continued_from`), verified along its chain. `studyFolder` is where the link's relative
 * path starts (undefined: the path is taken as it is); `assignmentsPath`, the continuing
 * study's file, names it in errors.
 */
export async function readContinuedYear(
  assignmentsPath: string,
  studyFolder: string | undefined,
  link: ContinuedFrom,
): Promise<readonly Assignment[]> {
  const older = studyFolder === undefined || isAbsolute(link.assignments) ? link.assignments : join(studyFolder, link.assignments);
  await refuseMissing(assignmentsPath, older);
  const [own] = await verifyAssignmentChain(older);
  refuseAnother(assignmentsPath, older, link, own);
  return own.read.assignments;
}

/**
 * Verifies an assignment and every assignment it continues, newest first: each is checked
 * against its own manifest, and each link's recorded hashes (of the older assignments.csv
 * and of its manifest) against the files found there. Refused (PilotError) when an older
 * assignment is missing, was changed, or was replaced by another. Returns the chain,
 * the given assignment first.
 *
 * @example
 * (await verifyAssignmentChain('year-2/assignments.csv')).map((l) => l.assignments);
 * // ['year-2/assignments.csv', 'year-2/../year-1/assignments.csv']
 */
export async function verifyAssignmentChain(assignmentsPath: string): Promise<VerifiedLink[]> {
  const chain: VerifiedLink[] = [];
  let path = assignmentsPath;
  let read = await readVerifiedAssignments(path);
  for (;;) {
    const { manifest } = read;
    chain.push({ assignments: path, assignments_sha256: read.sha256, manifest_sha256: manifest.manifest_sha256!, read });
    const link = manifest.continued_from;
    if (link === undefined) return chain;
    const older = isAbsolute(link.assignments) ? link.assignments : join(dirname(path), link.assignments);
    if (chain.some((seen) => resolve(seen.assignments) === resolve(older)) || chain.length > 100)
      throw new PilotError(`${path}: its manifest's continued_from leads back to ${older}, an assignment already in the chain`);
    await refuseMissing(path, older);
    const next = await readVerifiedAssignments(older);
    refuseAnother(path, older, link, { assignments_sha256: next.sha256, manifest_sha256: next.manifest.manifest_sha256! });
    path = older;
    read = next;
  }
}

async function refuseMissing(path: string, older: string): Promise<void> {
  if (await fileExists(older)) return;
  throw new PilotError(
    `${path} continues the assignment ${older}, which is missing: keep last year's study folder where it was (continued_from in ${path}'s manifest says where)`,
  );
}

/** Refuses an older assignment whose hashes are not those the link recorded. */
function refuseAnother(path: string, older: string, link: ContinuedFrom, found: Omit<ChainLink, 'assignments'>): void {
  if (found.assignments_sha256 === link.assignments_sha256 && found.manifest_sha256 === link.manifest_sha256) return;
  throw new PilotError(
    `${path} continues an assignment whose hashes its manifest recorded, but ${older} is another one (its SHA-256 is ${found.assignments_sha256.slice(0, 12)}..., recorded ${link.assignments_sha256.slice(0, 12)}...): restore last year's study folder as it was`,
  );
}
