import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignStudy } from '../../src/assignment/assign-study.js';
import { fileExists } from '../../src/assignment/assignment-files.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { validateInputFiles } from '../../src/study/validate-input-files.js';
import type { RosterStudent } from '../../src/types.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

const created = '2026-08-01T00:00:00.000Z';
const base = smallRoster(200, 2, 41);
// Household X: a grade 7 student in D01 and a grade 3 student in D02 (the lowest grade, so its block).
const elder: RosterStudent = { ...base.find((s) => s.district_id === 'D01')!, student_id: 'X1', household_id: 'X', grade: '7' };
const younger: RosterStudent = { ...base.find((s) => s.district_id === 'D02')!, student_id: 'X2', household_id: 'X', grade: '3' };
const roster = [...base, elder, younger];

async function rosterFile(students: readonly RosterStudent[]): Promise<{ dir: string; path: string }> {
  const dir = await tempDir();
  const path = join(dir, 'roster.csv');
  await writeFile(path, rosterCsv(students));
  return { dir, path };
}

describe('households across districts', () => {
  it('are refused by default, naming the household, both districts and the row, and nothing is written', async () => {
    const { dir, path } = await rosterFile(roster);
    const out = join(dir, 'study');
    await expect(assignStudy(path, { out, seed: 5, created })).rejects.toMatchObject({
      issues: [
        expect.objectContaining({
          row: roster.length + 1,
          column: 'household_id',
          message: expect.stringMatching(/household "X" is split across districts "D01" \(row \d+\) and "D02"/),
        }),
      ],
    });
    expect(await fileExists(join(out, 'assignments.csv'))).toBe(false);
    const io = memoryIo();
    expect(await run(['assign', '--roster', path, '--out', out, '--seed', '5'], io)).toBe(1);
    expect(io.err.join('\n')).toMatch(/split across districts/);
  });

  it("with the option, are assigned once, in the lowest-grade student's block, and the manifest says so", async () => {
    const { dir, path } = await rosterFile(roster);
    const study = await assignStudy(path, {
      out: join(dir, 'study'),
      seed: 5,
      created,
      rosterOptions: { householdsAcrossDistricts: true },
    });
    const x = study.assignments.filter((a) => a.household_id === 'X');
    expect(x.map((a) => [a.student_id, a.district_id])).toEqual([
      ['X1', 'D01'],
      ['X2', 'D02'],
    ]);
    // One arm, one block: the grade 3 student's in D02, though X1 studies in D01.
    expect(new Set(x.map((a) => a.arm)).size).toBe(1);
    expect(x.map((a) => a.block)).toEqual([`D02|${younger.school_id}|3`, `D02|${younger.school_id}|3`]);
    expect(study.manifest.design.households_across_districts).toBe(true);
    // The household is one of the run's households spanning blocks (the others span schools of one district).
    const alone = await assignStudy(base, { seed: 5, created });
    expect(study.householdsSpanningBlocks).toBe(alone.householdsSpanningBlocks + 1);
    expect(study.households).toBe(alone.households + 1);
  });

  it('stay accepted by the study: a late run and pilot validate read its roster so without being told', async () => {
    const { dir, path } = await rosterFile(roster);
    const out = join(dir, 'study');
    const io = memoryIo();
    expect(await run(['assign', '--roster', path, '--out', out, '--seed', '5', '--households-across-districts'], io)).toBe(0);
    const sibling: RosterStudent = { ...elder, student_id: 'X3', grade: '10' };
    await writeFile(path, rosterCsv([...roster, sibling]));
    const late = await assignStudy(path, { out, addLate: true, created });
    const first = (await assignStudy(roster, { seed: 5, created, rosterOptions: { householdsAcrossDistricts: true } })).assignments;
    expect(late.assignments).toEqual([
      expect.objectContaining({
        student_id: 'X3',
        arm: first.find((a) => a.student_id === 'X1')!.arm,
        block: `D02|${younger.school_id}|3`,
      }),
    ]);
    const checked = await validateInputFiles({ roster: path, assignments: join(out, 'assignments.csv') });
    expect(checked.files.map((f) => [f.role, f.ok])).toEqual([
      ['roster', true],
      ['assignments', true],
    ]);
    // Without the study's manifest the roster is refused as ever.
    expect((await validateInputFiles({ roster: path })).ok).toBe(false);
  });
});
