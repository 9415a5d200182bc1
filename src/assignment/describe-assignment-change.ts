import { readAssignments } from '../data/read-assignments.js';
import { ValidationError } from '../errors.js';
import type { AssignmentManifest } from './manifest.js';

/**
 * Says what changed in an assignment file whose SHA-256 no longer matches its manifest,
 * as far as the manifest's recorded counts (students per block and arm, summed over its
 * runs) can tell: rows added or removed, students moved between arms, or, when every count
 * still matches, an edit of values or a re-save (line endings, quoting) that counts cannot see.
 */
export async function describeAssignmentChange(assignmentsPath: string, text: string, manifest: AssignmentManifest): Promise<string> {
  let rows: { block: string; arm: string }[];
  try {
    rows = await readAssignments({ text }, assignmentsPath);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const first = error.issues[0];
    return `it is no longer a readable assignment file (${first ? `row ${first.row ?? '?'}${first.column ? `, ${first.column}` : ''}: ${first.message}` : error.message})`;
  }
  const key = (block: string, arm: string) => `${block}\u0000${arm}`;
  const recorded = new Map<string, number>();
  for (const run of manifest.runs)
    for (const count of run.counts ?? [])
      recorded.set(key(count.block, count.arm), (recorded.get(key(count.block, count.arm)) ?? 0) + count.students);
  const actual = new Map<string, number>();
  for (const row of rows) actual.set(key(row.block, row.arm), (actual.get(key(row.block, row.arm)) ?? 0) + 1);
  const recordedTotal = [...recorded.values()].reduce((a, b) => a + b, 0);
  const changes: string[] = [];
  if (rows.length > recordedTotal)
    changes.push(`${rows.length - recordedTotal} row(s) added (${rows.length} students, the manifest recorded ${recordedTotal})`);
  if (rows.length < recordedTotal)
    changes.push(`${recordedTotal - rows.length} row(s) removed (${rows.length} students, the manifest recorded ${recordedTotal})`);
  const differing = [...new Set([...recorded.keys(), ...actual.keys()])]
    .filter((k) => (recorded.get(k) ?? 0) !== (actual.get(k) ?? 0))
    .sort()
    .map((k) => {
      const [block, arm] = k.split('\u0000');
      return `block "${block}" arm "${arm}": ${recorded.get(k) ?? 0} -> ${actual.get(k) ?? 0}`;
    });
  if (differing.length > 0) {
    const shown = differing.slice(0, 5).join('; ') + (differing.length > 5 ? `; and ${differing.length - 5} more` : '');
    changes.push(
      `${rows.length === recordedTotal ? 'students moved between arms or blocks' : 'students per block and arm differ'}: ${shown}`,
    );
  }
  if (changes.length > 0) return changes.join('; ');
  const resaved = text.includes('\r\n') ? ' (it now has Windows line endings: was it opened and saved in a spreadsheet?)' : '';
  return `the number of students in every block and arm is as recorded, so values were edited (ids, households, grades) or the file was re-saved${resaved}`;
}
