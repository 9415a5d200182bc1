/**
 * Outputs never replace inputs (issue 15, defect 5): `messages --out study/assignments.csv`
 * replaced the assignment, `messages --out roster.csv` its own roster, `simulate roster`
 * a real roster. An output that is an input of the same run is refused even with --force
 * (by any path to it: relative, absolute, a link); an existing output is replaced only
 * with --force. Nothing is read or written when refused.
 */
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { guardOutputs } from '../../src/io/output-guard.js';
import { readMessageInputs } from '../../src/study/read-message-inputs.js';
import { makeStudyFolder } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

async function pilot(argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, stderr: io.err.join('\n') };
}

describe('outputs and inputs', () => {
  it('guardOutputs knows an input by any path to it, and an existing output', async () => {
    const dir = await tempDir();
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, 'student_id\n');
    const link = join(dir, 'link.csv');
    await symlink(roster, link);
    await expect(guardOutputs({ inputs: [roster], outputs: [relative(process.cwd(), roster)], force: true })).rejects.toThrow(
      `${relative(process.cwd(), roster)} is ${roster}, an input of this run: it would be replaced by the output; write the output elsewhere`,
    );
    await expect(guardOutputs({ inputs: [roster], outputs: [link], force: true })).rejects.toThrow(/an input of this run/);
    await expect(guardOutputs({ inputs: [], outputs: [roster] })).rejects.toThrow(
      `${roster} already exists: give --force to replace it, or write elsewhere`,
    );
    await expect(guardOutputs({ inputs: [undefined], outputs: [roster], force: true })).resolves.toBeUndefined();
    await expect(guardOutputs({ inputs: [roster], outputs: [join(dir, 'new.csv')] })).resolves.toBeUndefined();
  });

  it('a message list never replaces the assignment, the roster or the calendar it reads', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 30 });
    const paths = { roster: study.roster, assignments: study.assignments, attendance: study.attendance, calendar: study.calendar };
    const before = await readFile(study.assignments);
    for (const out of [study.assignments, study.roster]) {
      const read = readMessageInputs(paths, { kind: 'initial', asOf: '2025-09-12', out, force: true });
      await expect(read).rejects.toThrow(
        `${out} is ${out}, an input of this run: it would be replaced by the output; write the output elsewhere`,
      );
    }
    await expect(readMessageInputs(paths, { kind: 'initial', asOf: '2025-09-12', out: study.calendar, force: true })).rejects.toThrow(
      `${study.calendar} is ${study.calendar}, an input of this run`,
    );
    expect(await readFile(study.assignments)).toEqual(before);
  });

  it('pilot messages --out over its assignment or roster is refused; over an earlier list only without --force', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 30 });
    const settings = join(dir, 'settings.json');
    await writeFile(
      settings,
      JSON.stringify({ defaults: { sender_name: 'Ms. Rivera', sender_role: 'Attendance Coordinator', school_phone: '(555) 010-2000' } }),
    );
    const argv = (out: string, ...more: string[]) => [
      'messages',
      '--roster',
      study.roster,
      '--assignments',
      study.assignments,
      '--attendance',
      study.attendance,
      '--calendar',
      study.calendar,
      '--settings',
      settings,
      '--as-of',
      '2025-09-12',
      '--kind',
      'initial',
      '--out',
      out,
      ...more,
    ];
    const before = await readFile(study.assignments);
    for (const out of [study.assignments, study.roster]) {
      const refused = await pilot(argv(out, '--force'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `pilot: ${out} is ${out}, an input of this run: it would be replaced by the output; write the output elsewhere`,
      );
    }
    expect(await readFile(study.assignments)).toEqual(before);
    const list = join(dir, 'sends', 'messages.csv');
    expect((await pilot(argv(list))).code).toBe(0);
    const again = await pilot(argv(list));
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`pilot: ${list} already exists: give --force to replace it, or write elsewhere`);
    expect((await pilot(argv(list, '--force'))).code).toBe(0);
  });

  it('simulate roster never replaces an existing roster without --force', async () => {
    const dir = await tempDir();
    const real = join(dir, 'roster.csv');
    await writeFile(real, 'student_id,district_id\nREAL1,D\n');
    const refused = await pilot(['simulate', 'roster', '--out', dir, '--students', '20', '--seed', '1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(`pilot: ${real} already exists: give --force to replace it, or write elsewhere`);
    expect(await readFile(real, 'utf8')).toBe('student_id,district_id\nREAL1,D\n');
    expect((await pilot(['simulate', 'roster', '--out', dir, '--students', '20', '--seed', '1', '--force'])).code).toBe(0);
    expect((await readFile(real, 'utf8')).split('\n')).toHaveLength(22);
  });

  it('simulate attendance never writes over its roster, and replaces its outputs only with --force', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 30 });
    // The roster is called attendance.csv in the output folder: the run would replace it.
    const sim = join(dir, 'sim');
    await pilot(['simulate', 'roster', '--out', sim, '--students', '30', '--seed', '1']);
    const trap = join(dir, 'trap');
    await run(['simulate', 'roster', '--out', trap, '--students', '30', '--seed', '1'], memoryIo());
    const asAttendance = join(trap, 'attendance.csv');
    await writeFile(asAttendance, await readFile(join(trap, 'roster.csv')));
    const onInput = await pilot([
      'simulate',
      'attendance',
      '--roster',
      asAttendance,
      '--assignments',
      study.assignments,
      '--out',
      trap,
      '--seed',
      '2',
      '--force',
    ]);
    expect(onInput.code).toBe(1);
    expect(onInput.stderr).toContain(`${asAttendance} is ${asAttendance}, an input of this run`);

    const argv = ['simulate', 'attendance', '--roster', study.roster, '--assignments', study.assignments, '--out', sim, '--seed', '2'];
    expect((await pilot(argv)).code).toBe(0);
    const again = await pilot(argv);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/calendar\.csv already exists: give --force to replace it/);
    expect((await pilot([...argv, '--force'])).code).toBe(0);
  });

  it('schedule --out never replaces its calendar, even with --force', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 10 });
    const before = await readFile(study.calendar, 'utf8');
    const refused = await pilot(['schedule', '--calendar', study.calendar, '--out', study.calendar, '--force']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('an input of this run');
    expect(await readFile(study.calendar, 'utf8')).toBe(before);
  });
});
