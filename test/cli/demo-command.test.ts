import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { memoryIo } from '../../src/cli/io.js';
import { readCsv } from '../../src/io/read-csv.js';
import { tempDir } from '../helpers/temp-dir.js';
import { filesUnder } from '../helpers/files.js';

describe('pilot demo', () => {
  // The quick (Laplace) analysis keeps this a plumbing test; the full fit is the same command.
  it('runs the whole study on a small simulated network: messages for treatment only, reports without student data', async () => {
    const dir = await tempDir();
    const out = join(dir, 'reports');
    const study = join(dir, 'study');
    const demo = ['demo', '--out', out, '--study', study, '--students', '400', '--districts', '2', '--seed', '7', '--quick'];
    const io = memoryIo();
    expect(await run(demo, io)).toBe(0);

    const narration = io.err.join('\n');
    for (const step of ['simulate roster', 'assign', 'simulate attendance', 'schedule', 'messages', 'analyze', 'report']) expect(narration).toContain(`$ pilot ${step} `);
    const printed = io.out.join('\n');
    expect(printed).toMatch(/^Students whose caregivers got the messages missed/);
    expect(printed).toContain(`Network report: ${join(out, 'report.html')}`);
    expect(printed).toContain(`District report: ${join(out, 'districts', 'D01', 'report.html')}`);

    const assignments = await readCsv({ path: join(study, 'study', 'assignments.csv') }, 'assignments.csv');
    const armOf = new Map(assignments.columns.student_id.map((id, i) => [id, assignments.columns.arm[i]]));
    const messageFile = (await readdir(join(study, 'messages'))).find((f) => f.endsWith('.csv') && !f.includes('skipped'));
    const messages = await readCsv({ path: join(study, 'messages', messageFile!) }, 'messages.csv');
    expect(messages.rowCount).toBeGreaterThan(50);
    expect(new Set(messages.columns.student_id.map((id) => armOf.get(id)))).toEqual(new Set(['treatment']));

    const roster = await readCsv({ path: join(study, 'roster.csv') }, 'roster.csv');
    const { student_id: ids, first_name: first, last_name: last } = roster.columns;
    const secrets = ids.flatMap((id, i) => [id, `${first[i]} ${last[i]}`]);
    for (const file of await filesUnder(out)) {
      if (file.endsWith('.pdf') || file.endsWith('.png')) continue;
      const text = await readFile(file, 'utf8');
      const leaked = secrets.find((secret) => text.includes(secret));
      expect(leaked, `${file} shows ${leaked}`).toBeUndefined();
    }
  }, 120_000);

  it('replaces its own earlier study folder but refuses a folder it did not make', async () => {
    const dir = await tempDir();
    const args = ['demo', '--out', join(dir, 'reports'), '--students', '200', '--districts', '1', '--quick'];
    expect(await run([...args, '--study', join(dir, 'study')], memoryIo())).toBe(0);
    expect(await run([...args, '--study', join(dir, 'study')], memoryIo())).toBe(0);

    const foreign = join(dir, 'mine');
    await mkdir(foreign);
    await writeFile(join(foreign, 'notes.txt'), 'keep me');
    const io = memoryIo();
    expect(await run([...args, '--study', foreign], io)).toBe(1);
    expect(io.err.join('\n')).toMatch(/was not made by pilot demo/);
    expect(await readFile(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
    await expect(stat(join(foreign, 'roster.csv'))).rejects.toThrow();
  }, 120_000);

  it.each([
    [['--students', '-5'], /--students and --districts must be whole numbers/],
    [['--districts', '0'], /--students and --districts must be whole numbers/],
    [['--students', '3', '--districts', '4'], /a student per district/],
    [['--effect', '1.5'], /--effect is the share of absences avoided/],
  ])('refuses %j before writing anything', async (args, message) => {
    const dir = await tempDir();
    const io = memoryIo();
    expect(await run(['demo', '--out', join(dir, 'reports'), '--study', join(dir, 'study'), '--quick', ...args], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(message);
    expect(await readdir(dir)).toEqual([]);
  });
});
