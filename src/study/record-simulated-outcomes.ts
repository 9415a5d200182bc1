import { fileExists, manifestPathFor, readCheckedManifest } from '../assignment/assignment-files.js';
import type { AssignmentManifest, SimulatedOutcomes } from '../assignment/manifest.js';
import { formatManifest } from '../assignment/manifest.js';
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
  // Checked in full first: appending to an edited manifest would seal the edit as valid.
  const manifest = await readCheckedManifest(assignments);
  const updated: AssignmentManifest = { ...manifest, simulated_outcomes: [...(manifest.simulated_outcomes ?? []), record] };
  await writeFileAtomically(path, formatManifest(updated), PRIVATE_MODE);
  return path;
}
