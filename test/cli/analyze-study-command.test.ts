import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readModelTable } from '../../src/data/read-model-table.js';
import { unwrap } from '../../src/errors.js';
import { sha256File } from '../../src/io/hash.js';
import { readModelTableFromStudy } from '../../src/study/read-study-data.js';
import { FIXTURE_STUDY, FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const STUDY = FIXTURE_STUDY;
const OUTCOME = { from: '2025-09-15', to: '2026-05-29' };
const studyArgs = [
  '--roster',
  STUDY.roster,
  '--assignments',
  STUDY.assignments,
  '--attendance',
  STUDY.attendance,
  '--calendar',
  STUDY.calendar,
  '--from',
  OUTCOME.from,
  '--to',
  OUTCOME.to,
];
// The quick Laplace fit: this checks the plumbing; the sampler is tested in test/analysis.
const quickFit = ['--seed', '11', '--method', 'laplace'];

describe('pilot analyze from study files', () => {
  it('builds model_input.csv (owner-only) beside analysis.json, and refitting that table gives the same result', async () => {
    const dir = await tempDir();
    const io = memoryIo();
    expect(await run(['analyze', ...studyArgs, '--out', join(dir, 'study'), ...quickFit], io)).toBe(0);

    const written = unwrap(await readModelTable({ path: join(dir, 'study', 'model_input.csv') }, 'model_input.csv'), 'model_input.csv');
    const { table } = await readModelTableFromStudy(STUDY, OUTCOME);
    expect(written).toHaveLength(1500);
    expect(written).toEqual(table);
    expect((await stat(join(dir, 'study', 'model_input.csv'))).mode & 0o777).toBe(0o600);

    const fromStudy = JSON.parse(await readFile(join(dir, 'study', 'analysis.json'), 'utf8'));
    expect(fromStudy.inputs.roster).toBe(await sha256File(STUDY.roster));
    expect(fromStudy.inputs.attendance).toBe(await sha256File(STUDY.attendance));
    expect(Object.keys(fromStudy.inputs).sort()).toEqual(['assignments', 'attendance', 'calendar', 'roster']);
    expect(fromStudy.window).toEqual(OUTCOME);

    expect(
      await run(['analyze', '--table', join(dir, 'study', 'model_input.csv'), '--out', join(dir, 'table'), ...quickFit], memoryIo()),
    ).toBe(0);
    const fromTable = JSON.parse(await readFile(join(dir, 'table', 'analysis.json'), 'utf8'));
    expect(fromTable.effect).toEqual(fromStudy.effect);
    expect(fromTable.certainty).toEqual(fromStudy.certainty);
  });

  it('a baseline window from the attendance data replaces the roster baseline', async () => {
    const baseline = { from: '2025-08-18', to: '2025-09-12' };
    const { table, data } = await readModelTableFromStudy(STUDY, OUTCOME, baseline);
    const first = table[0];
    const totals = data.windows[1].get(first.student_id);
    expect(first.baseline_days).toBe(totals?.days_enrolled);
    expect(first.baseline_absences).toBe(totals?.days_absent);
    expect(first.baseline_days).toBeGreaterThan(15);
  });

  it.each([
    [['--roster', STUDY.roster, '--from', OUTCOME.from], /also needs --assignments, --attendance, --to/],
    [['--table', 'model_input.csv', '--roster', STUDY.roster], /--table cannot be combined with --roster/],
    [[...studyArgs.slice(0, -4), '--from', '2025-09-31', '--to', OUTCOME.to], /--from and --to: "2025-09-31" is not a date/],
    [[...studyArgs.slice(0, -4), '--from', OUTCOME.to, '--to', OUTCOME.from], /ends before it starts/],
    [[...studyArgs, '--baseline-from', '2025-08-18'], /--baseline-from and --baseline-to go together/],
    [[], /give --table model_input.csv, or the study files/],
  ])('refuses %j with a usage error and writes nothing', async (args, message) => {
    const dir = await tempDir();
    const io = memoryIo();
    expect(await run(['analyze', ...args, '--out', join(dir, 'out')], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(message);
    await expect(stat(join(dir, 'out'))).rejects.toThrow();
  });

  it('refuses an assignment that does not match its manifest', async () => {
    const dir = await tempDir();
    const { copyFile, appendFile } = await import('node:fs/promises');
    await copyFile(STUDY.assignments, join(dir, 'assignments.csv'));
    await copyFile(join(FIXTURES, 'study', 'assignments.manifest.json'), join(dir, 'assignments.manifest.json'));
    await appendFile(join(dir, 'assignments.csv'), 'S99999,B,treatment,0.5,extra\n');
    const io = memoryIo();
    const args = studyArgs.map((a) => (a === STUDY.assignments ? join(dir, 'assignments.csv') : a));
    expect(await run(['analyze', ...args, '--out', join(dir, 'out'), '--method', 'laplace'], io)).toBe(1);
    expect(io.err.join('\n')).toMatch(/manifest/);
    await expect(stat(join(dir, 'out'))).rejects.toThrow();
  });
});
