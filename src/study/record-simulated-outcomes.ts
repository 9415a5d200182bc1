import { readFile } from 'node:fs/promises';
import { fileExists, manifestPathFor } from '../assignment/assignment-files.js';
import type { AssignmentManifest, SimulatedOutcomes } from '../assignment/manifest.js';
import { PilotError } from '../errors.js';
import { PRIVATE_MODE, writeFileAtomically } from '../io/write-atomic.js';

/**
 * Appends a record of simulated outcomes to the manifest beside `assignments` (written
 * whole, atomically, owner-only like the manifest `pilot assign` writes), so that an
 * analysis of exactly those outcomes knows the arms applied from `arms_took_effect`,
 * although the assignment's own date is later (`checkArmsInEffect`). Returns the
 * manifest's path, or undefined when the assignment has no manifest to record in (such
 * outcomes can then be analyzed only with `--assignment-date`).
 */
export async function recordSimulatedOutcomes(assignments: string, record: SimulatedOutcomes): Promise<string | undefined> {
  const path = manifestPathFor(assignments);
  if (!(await fileExists(path))) return undefined;
  let manifest: AssignmentManifest;
  try {
    manifest = JSON.parse((await readFile(path, 'utf8')).replace(/^\ufeff/, '')) as AssignmentManifest;
  } catch (error) {
    throw new PilotError(`${path} is not valid JSON (${(error as Error).message}), so the simulation cannot be recorded in it; restore the manifest \`pilot assign\` wrote`);
  }
  if (manifest === null || typeof manifest !== 'object' || !Array.isArray(manifest.runs)) throw new PilotError(`${path} is not an assignment manifest (it has no runs), so the simulation cannot be recorded in it`);
  const updated: AssignmentManifest = { ...manifest, simulated_outcomes: [...(manifest.simulated_outcomes ?? []), record] };
  await writeFileAtomically(path, `${JSON.stringify(updated, null, 2)}\n`, PRIVATE_MODE);
  return path;
}
