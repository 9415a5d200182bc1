import { join } from 'node:path';
import { ROSTER_COLUMNS } from '../data/read-roster.js';
import { guardOutputs } from '../io/output-guard.js';
import { writeFilesAtomically } from '../io/write-atomic.js';
import { formatCsvObjects } from '../io/write-csv.js';
import { createRng, generateSeed } from '../random.js';
import type { RosterStudent } from '../types.js';
import { simulateRoster } from './simulate-roster.js';

/** What `writeSimulatedRoster` wrote. */
export interface SimulatedRosterFile {
  /** `roster.csv` in the folder given. */
  readonly path: string;
  readonly students: number;
  readonly seed: number;
}

/**
 * Simulates a network's roster (`simulateRoster`) and writes it as `roster.csv` in `out`,
 * owner-only like any file of students, as `pilot simulate roster` does. The seed is
 * generated when not given; the result says which.
 *
 * @example
 * const made = await writeSimulatedRoster('sim', { students: 1500, districts: 3, seed: 1 });
 * made.path; // 'sim/roster.csv'
 */
export async function writeSimulatedRoster(
  out: string,
  options: { readonly students: number; readonly districts: number; readonly seed?: number; readonly force?: boolean },
): Promise<SimulatedRosterFile> {
  const seed = options.seed ?? generateSeed();
  const path = join(out, 'roster.csv');
  // A real roster may sit where a simulated one is asked for: replaced only when told (`force`).
  await guardOutputs({ inputs: [], outputs: [path], force: options.force });
  const students = simulateRoster({ students: options.students, districts: options.districts }, createRng(seed));
  await writeFilesAtomically([{ path, contents: formatCsvObjects<RosterStudent>(ROSTER_COLUMNS, students) }]);
  return { path, students: students.length, seed };
}
