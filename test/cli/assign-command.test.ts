import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sha256 } from '../../src/io/hash.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

async function setup() {
  const dir = await tempDir();
  const roster = smallRoster(200, 2, 5);
  await writeFile(join(dir, 'roster.csv'), rosterCsv(roster.slice(0, 180)));
  await writeFile(join(dir, 'roster-late.csv'), rosterCsv(roster));
  return { dir, out: join(dir, 'study') };
}

describe('pilot assign', () => {
  it('writes assignments (owner-only), a manifest with hashes and counts, and balance.csv', async () => {
    const { dir, out } = await setup();
    const io = memoryIo();
    expect(await run(['assign', '--roster', join(dir, 'roster.csv'), '--out', out, '--seed', '42'], io)).toBe(0);
    expect(io.out.join('\n')).toMatch(/Assigned 180 students in \d+ households \(initial run, seed 42\)/);
    expect((await stat(join(out, 'assignments.csv'))).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(await readFile(join(out, 'assignments.manifest.json'), 'utf8'));
    expect(manifest.seed).toBe(42);
    expect(manifest.design).toMatchObject({
      block_by: ['district', 'school', 'grade'],
      clustered_by: 'household_id',
      arms: ['control', 'treatment'],
      probabilities: [0.5, 0.5],
    });
    expect(manifest.output.sha256).toBe(sha256(await readFile(join(out, 'assignments.csv'))));
    expect(manifest.runs[0].inputs.roster.sha256).toBe(sha256(await readFile(join(dir, 'roster.csv'))));
    expect(manifest.runs[0].counts.reduce((s: number, c: { students: number }) => s + c.students, 0)).toBe(180);
    expect((await readFile(join(out, 'balance.csv'), 'utf8')).split('\n')[0]).toBe(
      'variable,level,n_control,n_treatment,mean_control,mean_treatment,smd_treatment,flagged',
    );
  });

  it('refuses to redo an existing assignment, and adds late enrollees with --add-late', async () => {
    const { dir, out } = await setup();
    expect(await run(['assign', '--roster', join(dir, 'roster.csv'), '--out', out, '--seed', '1'], memoryIo())).toBe(0);
    const before = await readFile(join(out, 'assignments.csv'), 'utf8');
    const again = memoryIo();
    expect(await run(['assign', '--roster', join(dir, 'roster.csv'), '--out', out, '--seed', '1'], again)).toBe(1);
    expect(again.err.join('')).toMatch(/already exists: an assignment is never redone/);
    const late = memoryIo();
    expect(await run(['assign', '--roster', join(dir, 'roster-late.csv'), '--out', out, '--add-late'], late)).toBe(0);
    expect(late.out.join('\n')).toMatch(/Assigned 20 students .*late-1 run, seed 1/);
    const after = await readFile(join(out, 'assignments.csv'), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const manifest = JSON.parse(await readFile(join(out, 'assignments.manifest.json'), 'utf8'));
    expect(manifest.runs.map((r: { assigned_at: string }) => r.assigned_at)).toEqual(['initial', 'late-1']);
  });

  it('refuses --add-late over an assignment edited since it was written, saying what changed', async () => {
    const { dir, out } = await setup();
    await run(['assign', '--roster', join(dir, 'roster.csv'), '--out', out, '--seed', '1'], memoryIo());
    await appendFile(join(out, 'assignments.csv'), 'X1,H,D01,S,3,b,treatment,0.5,initial\n');
    const io = memoryIo();
    expect(await run(['assign', '--roster', join(dir, 'roster-late.csv'), '--out', out, '--add-late'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/has changed since `pilot assign` wrote it/);
  });

  it('writes nothing when the roster is invalid, and names file, row and column', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'bad.csv'), 'student_id,district_id,school_id,grade\nS1,D1,A,3\nS1,D1,A,19\n');
    const io = memoryIo();
    expect(await run(['assign', '--roster', join(dir, 'bad.csv'), '--out', join(dir, 'study')], io)).toBe(1);
    expect(io.err.join('')).toContain('bad.csv, row 3, column student_id: duplicate student_id "S1" (first on row 2)');
    expect(io.err.join('')).toContain('bad.csv, row 3, column grade: unknown grade "19"');
    expect(await readdir(dir)).toEqual(['bad.csv']);
  });

  it('rejects a bad design on the command line with a usage error', async () => {
    const { dir, out } = await setup();
    const io = memoryIo();
    expect(await run(['assign', '--roster', join(dir, 'roster.csv'), '--out', out, '--p', '0.7,0.7'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/probabilities must each be between 0 and 1 and sum to 1/);
  });
});

describe('pilot', () => {
  it('has --help for every command and exits 2 with a reason on an unknown one', async () => {
    for (const command of ['assign', 'simulate']) {
      const io = memoryIo();
      expect(await run([command, '--help'], io)).toBe(0);
      expect(io.out.join('')).toMatch(/Options:/);
    }
    const io = memoryIo();
    expect(await run(['frobnicate'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/pilot: unknown command "frobnicate"/);
  });
});
