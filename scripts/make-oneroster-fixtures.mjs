// Regenerates the OneRoster fixtures from one simulated roster of 150 students in 2
// districts: the same students as a CSV roster, a OneRoster 1.1 folder (guardian links on
// the students' rows), a OneRoster 1.2 folder (links on the guardians' rows), and that
// 1.2 bundle zipped. Run from the repository: `npm run build && node scripts/make-oneroster-fixtures.mjs`.
import { rm } from 'node:fs/promises';
import { ROSTER_COLUMNS } from '../dist/data/read-roster.js';
import { SHARED_MODE, writeFileAtomically } from '../dist/io/write-atomic.js';
import { formatCsvObjects } from '../dist/io/write-csv.js';
import { createRng } from '../dist/random.js';
import { oneRosterEquivalent } from '../dist/simulate/format-oneroster.js';
import { simulateRoster } from '../dist/simulate/simulate-roster.js';
import { writeOneRoster } from '../dist/simulate/write-oneroster.js';

const students = simulateRoster({ students: 150, districts: 2 }, createRng(20250802));
// Fixtures are examples to read, not private data: readable by everyone.
const mode = SHARED_MODE;
for (const path of ['fixtures/oneroster-1.1', 'fixtures/oneroster-1.2', 'fixtures/oneroster-zip', 'fixtures/oneroster-source']) {
  await rm(path, { recursive: true, force: true });
}
await writeFileAtomically('fixtures/oneroster-source/roster.csv', formatCsvObjects(ROSTER_COLUMNS, oneRosterEquivalent(students)), mode);
await writeOneRoster('fixtures/oneroster-1.1', students, { version: '1.1', agents: 'students', mode });
await writeOneRoster('fixtures/oneroster-1.2', students, { version: '1.2', agents: 'guardians', mode });
await writeOneRoster('fixtures/oneroster-zip/oneroster-1.2.zip', students, { version: '1.2', agents: 'guardians', zip: true, mode });
console.log(
  `Wrote ${students.length} students as fixtures/oneroster-source/roster.csv, fixtures/oneroster-1.1/, fixtures/oneroster-1.2/ and fixtures/oneroster-zip/oneroster-1.2.zip`,
);
