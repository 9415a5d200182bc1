import { ROSTER_COLUMNS } from '../../src/data/read-roster.js';
import { formatCsvObjects } from '../../src/io/write-csv.js';
import { createRng } from '../../src/random.js';
import { simulateRoster } from '../../src/simulate/simulate-roster.js';
import type { RosterStudent } from '../../src/types.js';

/** A simulated roster (deterministic from the seed). */
export function smallRoster(students = 300, districts = 2, seed = 11): RosterStudent[] {
  return simulateRoster({ students, districts }, createRng(seed));
}

export function rosterCsv(students: readonly RosterStudent[]): string {
  return formatCsvObjects<RosterStudent>(ROSTER_COLUMNS, students);
}
