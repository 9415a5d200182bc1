import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVerifiedAssignments } from '../../src/assignment/assignment-files.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { GRADES } from '../../src/types.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

const yearOne = smallRoster(300, 2, 61);
// Year two: everyone but grade 12 returns a grade up, and 60 newcomers arrive.
const returning = yearOne.filter((s) => s.grade !== '12').map((s) => ({ ...s, grade: GRADES[GRADES.indexOf(s.grade) + 1] }));
const newcomers = smallRoster(60, 2, 62).map((s) => ({ ...s, student_id: `N${s.student_id}`, household_id: `N${s.household_id}` }));
// Every 6th returning student and every 4th newcomer enroll late (they miss the first roster of year two).
const lateIds = new Set([...returning.filter((_, i) => i % 6 === 0), ...newcomers.filter((_, i) => i % 4 === 0)].map((s) => s.student_id));

async function yearOneStudy() {
  const dir = await tempDir();
  await writeFile(join(dir, 'roster-1.csv'), rosterCsv(yearOne));
  await writeFile(join(dir, 'roster-2-august.csv'), rosterCsv([...returning, ...newcomers].filter((s) => !lateIds.has(s.student_id))));
  await writeFile(join(dir, 'roster-2-october.csv'), rosterCsv([...returning, ...newcomers]));
  expect(await run(['assign', '--roster', join(dir, 'roster-1.csv'), '--out', join(dir, 'year-1'), '--seed', '1'], memoryIo())).toBe(0);
  return dir;
}

describe('pilot assign --continue-from', () => {
  it("continues year one, says what it kept, and its late enrollees who were there last year keep last year's arm", async () => {
    const dir = await yearOneStudy();
    const io = memoryIo();
    const continued = ['assign', '--roster', join(dir, 'roster-2-august.csv'), '--continue-from', join(dir, 'year-1', 'assignments.csv')];
    expect(await run([...continued, '--out', join(dir, 'year-2'), '--seed', '2'], io)).toBe(0);
    const kept = returning.filter((s) => !lateIds.has(s.student_id)).length;
    expect(io.out.join('\n')).toContain(`Continues ../year-1/assignments.csv: ${kept} returning students;`);
    expect(
      await run(['assign', '--roster', join(dir, 'roster-2-october.csv'), '--out', join(dir, 'year-2'), '--add-late'], memoryIo()),
    ).toBe(0);

    const lastYear = new Map(
      (await readVerifiedAssignments(join(dir, 'year-1', 'assignments.csv'))).assignments.map((a) => [a.student_id, a]),
    );
    const { assignments, manifest } = await readVerifiedAssignments(join(dir, 'year-2', 'assignments.csv'));
    expect(assignments).toHaveLength(returning.length + newcomers.length);
    expect(manifest.continued_from?.assignments).toBe('../year-1/assignments.csv');
    for (const row of assignments) {
      expect(row.assigned_at).toBe(lateIds.has(row.student_id) ? 'late-1' : 'initial');
      if (lastYear.has(row.student_id)) expect(row.arm).toBe(lastYear.get(row.student_id)!.arm);
    }
    expect(assignments.filter((a) => a.assigned_at === 'late-1' && lastYear.has(a.student_id)).length).toBe(
      returning.filter((s) => lateIds.has(s.student_id)).length,
    );
  });

  it('refuses a late run once last year has moved, saying where it was', async () => {
    const dir = await yearOneStudy();
    const continued = ['assign', '--roster', join(dir, 'roster-2-august.csv'), '--continue-from', join(dir, 'year-1', 'assignments.csv')];
    expect(await run([...continued, '--out', join(dir, 'year-2'), '--seed', '2'], memoryIo())).toBe(0);
    await rename(join(dir, 'year-1'), join(dir, 'elsewhere'));
    const io = memoryIo();
    expect(await run(['assign', '--roster', join(dir, 'roster-2-october.csv'), '--out', join(dir, 'year-2'), '--add-late'], io)).toBe(1);
    expect(io.err.join('\n')).toMatch(/continues the assignment .*year-1\/assignments.csv, which is missing/);
  });

  it('refuses bad combinations: --rerandomize alone and with --add-late (exit 2), an --out that holds an assignment (exit 1)', async () => {
    const dir = await yearOneStudy();
    const roster = join(dir, 'roster-2-august.csv');
    const io = memoryIo();
    expect(await run(['assign', '--roster', roster, '--out', join(dir, 'y2'), '--rerandomize'], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(/--rerandomize re-randomizes a continuing study: give --continue-from too/);
    const from = ['--continue-from', join(dir, 'year-1', 'assignments.csv')];
    expect(await run(['assign', '--roster', roster, '--out', join(dir, 'y2'), '--add-late', ...from], memoryIo())).toBe(2);
    const again = memoryIo();
    expect(await run(['assign', '--roster', roster, '--out', join(dir, 'year-1'), ...from], again)).toBe(1);
    expect(again.err.join('\n')).toMatch(/already exists: a continuing year is a new study/);
  });
});
