import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { PilotError } from '../errors.js';
import { fileExists, readVerifiedAssignments } from './assignment-files.js';
import type { PreviousYear } from './continue-assignment.js';

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
    if (!(await fileExists(older))) {
      throw new PilotError(
        `${path} continues the assignment ${older}, which is missing: keep last year's study folder where it was (continued_from in ${path}'s manifest says where)`,
      );
    }
    const next = await readVerifiedAssignments(older);
    if (next.sha256 !== link.assignments_sha256 || next.manifest.manifest_sha256 !== link.manifest_sha256) {
      throw new PilotError(
        `${path} continues an assignment whose hashes its manifest recorded, but ${older} is another one (its SHA-256 is ${next.sha256.slice(0, 12)}..., recorded ${link.assignments_sha256.slice(0, 12)}...): restore last year's study folder as it was`,
      );
    }
    path = older;
    read = next;
  }
}
