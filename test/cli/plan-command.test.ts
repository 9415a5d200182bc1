import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

async function pilot(argv: readonly string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

describe('pilot plan', () => {
  it('from a roster: prints the curve and writes plan.csv, plan.json and plan.html (readable by others)', async () => {
    const dir = await tempDir();
    const result = await pilot([
      'plan',
      '--roster',
      join(FIXTURES, 'roster.csv'),
      '--window-days',
      '120',
      '--effects',
      '0.05,0.1',
      '--simulations',
      '20',
      '--seed',
      '4',
      '--out',
      join(dir, 'plan'),
    ]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('1500 students in 3 district(s), 42 blocks, 120-day window');
    expect(result.out).toContain('False "working" at no effect:');
    expect((await readdir(join(dir, 'plan'))).sort()).toEqual(['plan.csv', 'plan.html', 'plan.json']);
    const plan = JSON.parse(await readFile(join(dir, 'plan', 'plan.json'), 'utf8'));
    expect(plan.rows.map((r: { effect: number }) => r.effect)).toEqual([0, 0.05, 0.1]);
    expect(plan.seed).toBe(4);
    const csv = (await readFile(join(dir, 'plan', 'plan.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(4);
    const html = await readFile(join(dir, 'plan', 'plan.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/S0000\d|Green|example\.org/); // no student's id, name or contact
    expect((await stat(join(dir, 'plan', 'plan.html'))).mode & 0o777).toBe(0o644);
  }, 60_000);

  it('from sizes, --json prints the plan, with the assurance over a prior', async () => {
    const result = await pilot([
      'plan',
      '--students',
      '400',
      '--districts',
      '2',
      '--effects',
      '0.1',
      '--effect-prior',
      '0.05,0.02',
      '--simulations',
      '10',
      '--seed',
      '1',
      '--json',
    ]);
    expect(result.code, result.err).toBe(0);
    const plan = JSON.parse(result.out);
    expect(plan.design).toMatchObject({ students: 400, districts: 2, blocks: 8, window_days: 40 });
    expect(plan.assurance.studies).toBe(10);
  });

  it.each([
    [['--roster', 'r.csv', '--students', '400', '--districts', '2'], 'give either --roster, or --students and --districts'],
    [[], 'give either --roster, or --students and --districts'],
    [['--students', '400'], '--students and --districts go together'],
    [['--students', '400', '--districts', '2', '--effects', '0,x'], '--effects must be numbers separated by commas, got "0,x"'],
    [['--students', '400', '--districts', '2', '--effect-prior', '0.05'], '--effect-prior must be MEAN,SD'],
    [['--students', '400', '--districts', '2', '--window-days', '0'], '--window-days must be a whole number >= 1, got 0'],
  ])('a bad command line is exit 2 and writes nothing: %j', async (args, says) => {
    const dir = await tempDir();
    const result = await pilot(['plan', ...args, '--out', join(dir, 'plan')]);
    expect(result.code).toBe(2);
    expect(result.err).toContain(says);
    expect(await readdir(dir)).toEqual([]);
  });
});
