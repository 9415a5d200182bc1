import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readCsv } from '../../src/io/read-csv.js';
import { filesUnder } from '../helpers/files.js';
import { tempDir } from '../helpers/temp-dir.js';

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
    for (const step of ['simulate roster', 'assign', 'simulate attendance', 'schedule', 'messages', 'analyze', 'report'])
      expect(narration).toContain(`$ pilot ${step} `);
    const printed = io.out.join('\n');
    // The effect of being sent the messages (assigned), across the network, with the rule the decision used.
    expect(printed).toMatch(
      /^Across the network of 2 districts, students whose caregivers were sent the messages missed about [\d.]+% (fewer|more) days than students whose caregivers were not; we are \d+%(?: ± [\d.]+%)? certain absences went down there\./,
    );
    expect(printed).toMatch(
      /\nDecision: (working|not shown to work) as a low-effort intervention \(the rule: at least 80% certain absences went down; across the network we are \d+% certain\)\./,
    );
    // The demo passes the date check honestly: the simulation recorded when its arms took effect.
    const analysis = JSON.parse(await readFile(join(study, 'analysis', 'analysis.json'), 'utf8'));
    expect(analysis.arms_in_effect).toEqual({ date: '2025-08-18', source: 'simulation', simulation: { true_effect: 0.024, seed: 9 } });
    expect(analysis.window.from >= '2025-08-18').toBe(true);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('These students and their absences are simulated');
    expect(printed).toContain(`Network report: ${join(out, 'report.html')}`);
    expect(printed).toContain(`District report: ${join(out, 'districts', 'D01', 'report.html')}`);

    // Each step's manifest records that step's own command line, not the demo's.
    const manifest = JSON.parse(await readFile(join(study, 'study', 'assignments.manifest.json'), 'utf8')) as {
      runs: { command: string }[];
      simulated_outcomes: { command: string }[];
    };
    expect(manifest.runs[0].command).toBe(`pilot assign --roster ${join(study, 'roster.csv')} --out ${join(study, 'study')} --seed 8`);
    expect(manifest.simulated_outcomes[0].command).toMatch(/^pilot simulate attendance --roster /);
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
    [['--students', '-5'], /--students must be a whole number >= 1, got -5/],
    [['--districts', '0'], /--districts must be a whole number >= 1, got 0/],
    [['--students', '3', '--districts', '4'], /--districts 4 is more than --students 3: every district needs a student/],
    [['--effect', '1.5'], /--effect must be a number >= 0 and < 1, got 1\.5/],
  ])('refuses %j before writing anything', async (args, message) => {
    const dir = await tempDir();
    const io = memoryIo();
    expect(await run(['demo', '--out', join(dir, 'reports'), '--study', join(dir, 'study'), '--quick', ...args], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(message);
    expect(await readdir(dir)).toEqual([]);
  });
});
