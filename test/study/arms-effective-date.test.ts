import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { AssignmentManifest } from '../../src/assignment/manifest.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { PilotError } from '../../src/errors.js';
import { sha256 } from '../../src/io/hash.js';
import { armsEffectiveDate } from '../../src/study/arms-effective-date.js';
import { checkArmsInEffect } from '../../src/study/check-arms-in-effect.js';
import { FIXTURE_STUDY, FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const SCHOOL_YEAR = { from: '2025-08-18', to: '2026-05-29' };
// The quick Laplace fit: these tests check which windows are analyzed, not the fit.
const quickFit = ['--seed', '11', '--method', 'laplace'];

function manifestWith(created: string, simulated: AssignmentManifest['simulated_outcomes'] = undefined): AssignmentManifest {
  const run = {
    assigned_at: 'initial',
    created,
    command: 'pilot assign',
    inputs: {},
    students_added: 1,
    households_added: 1,
    households_spanning_blocks: 0,
    counts: [],
    output_sha256: 'x',
  };
  return {
    tool: 'attendance-pilot',
    version: '0.1.0',
    design: {
      block_by: [],
      clustered_by: null,
      arms: ['control', 'treatment'],
      probabilities: [0.5, 0.5],
      control_arm: 'control',
      households_spanning_blocks: '',
    },
    seed: 1,
    output: { file: 'assignments.csv', sha256: 'x' },
    runs: [run],
    ...(simulated ? { simulated_outcomes: simulated } : {}),
  };
}

const SIMULATION = {
  created: '2026-12-01T10:00:00Z',
  command: 'pilot simulate attendance',
  attendance_sha256: 'a'.repeat(64),
  arms_took_effect: '2025-08-18',
  true_effect: 0.024,
  seed: 7,
};

describe('armsEffectiveDate', () => {
  it('is the day of the initial run (UTC) when nothing else is known', () => {
    expect(armsEffectiveDate(manifestWith('2026-11-23T23:59:59.000Z'), ['b'.repeat(64)])).toEqual({
      date: '2026-11-23',
      source: 'assignment',
    });
  });

  it("is the simulation's first day when the attendance is the simulated file, and only then", () => {
    const manifest = manifestWith('2026-12-01T09:00:00Z', [SIMULATION]);
    expect(armsEffectiveDate(manifest, ['c'.repeat(64), 'a'.repeat(64)])).toEqual({
      date: '2025-08-18',
      source: 'simulation',
      simulation: { true_effect: 0.024, seed: 7 },
    });
    expect(armsEffectiveDate(manifest, ['c'.repeat(64)])).toEqual({ date: '2026-12-01', source: 'assignment' });
  });

  it('is the stated day above all', () => {
    expect(armsEffectiveDate(manifestWith('2026-12-01T09:00:00Z', [SIMULATION]), ['a'.repeat(64)], '2025-09-02')).toEqual({
      date: '2025-09-02',
      source: 'stated',
    });
  });
});

describe('checkArmsInEffect on the shipped fixtures', () => {
  it('the fixture study passes honestly: its manifest records the simulation of exactly this attendance, gzipped since', async () => {
    const manifest = JSON.parse(await readFile(join(FIXTURES, 'study', 'assignments.manifest.json'), 'utf8')) as AssignmentManifest;
    expect(manifest.runs[0].created.slice(0, 10) > SCHOOL_YEAR.to).toBe(true); // assigned after the simulated year
    expect(manifest.simulated_outcomes?.[0].attendance_sha256).toBe(sha256(gunzipSync(await readFile(FIXTURE_STUDY.attendance))));
    expect(await checkArmsInEffect(FIXTURE_STUDY, SCHOOL_YEAR)).toEqual({
      date: '2025-08-18',
      source: 'simulation',
      simulation: { true_effect: 0.024, seed: 20260601 },
    });
  });

  it('refuses a window that starts a day before the arms took effect, naming both dates and the way out', async () => {
    const refusal = checkArmsInEffect(FIXTURE_STUDY, { from: '2025-08-17', to: SCHOOL_YEAR.to });
    await expect(refusal).rejects.toThrow(PilotError);
    await expect(refusal).rejects.toThrow(
      /the outcome window starts 2025-08-17, before the arms took effect on 2025-08-18 \(the first day the simulated outcomes in .*attendance\.csv\.gz applied the arms/,
    );
  });

  it('a stated date is held to as well, and a malformed one is a usage error', async () => {
    expect(await checkArmsInEffect(FIXTURE_STUDY, SCHOOL_YEAR, '2025-08-01')).toEqual({ date: '2025-08-01', source: 'stated' });
    await expect(checkArmsInEffect(FIXTURE_STUDY, SCHOOL_YEAR, '2025-09-01')).rejects.toThrow(
      /before the arms took effect on 2025-09-01 \(the date given with --assignment-date\).*correct --assignment-date/,
    );
    await expect(checkArmsInEffect(FIXTURE_STUDY, SCHOOL_YEAR, '2025-13-01')).rejects.toThrow(
      /--assignment-date: "2025-13-01" is not a date/,
    );
  });
});

describe('a placebo assignment is refused', () => {
  // The README's walk once did this: a new assignment of the fixture roster, then the
  // fixture attendance, which was simulated under fixtures/study's arms. The new arms are
  // unrelated to who was treated, so any "effect" it finds is chance.
  it('pilot assign --seed 2024 today, then analyze the 2025-26 attendance: exit 1 with both dates, nothing written', async () => {
    const dir = await tempDir();
    expect(await run(['assign', '--roster', FIXTURE_STUDY.roster, '--out', join(dir, 'study'), '--seed', '2024'], memoryIo())).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const io = memoryIo();
    const placebo = [
      '--roster',
      FIXTURE_STUDY.roster,
      '--assignments',
      join(dir, 'study', 'assignments.csv'),
      '--attendance',
      FIXTURE_STUDY.attendance,
      '--calendar',
      FIXTURE_STUDY.calendar,
      '--from',
      '2025-09-08',
      '--to',
      SCHOOL_YEAR.to,
    ];
    expect(await run(['analyze', ...placebo, '--out', join(dir, 'results'), ...quickFit], io)).toBe(1);
    const said = io.err.join('\n');
    expect(said).toContain(`the outcome window starts 2025-09-08, before the arms took effect on ${today}`);
    expect(said).toContain('absences from before the assignment cannot show an effect of the messages');
    expect(said).toContain('--assignment-date YYYY-MM-DD');
    expect(await readdir(dir)).toEqual(['study']);

    // pilot report on the same files refuses the same way, before any fit.
    const reportIo = memoryIo();
    expect(
      await run(
        ['report', ...placebo, '--out', join(dir, 'report'), '--chains', '1', '--warmup', '10', '--draws-per-chain', '10'],
        reportIo,
      ),
    ).toBe(1);
    expect(reportIo.err.join('\n')).toContain(`before the arms took effect on ${today}`);
    expect(await readdir(dir)).toEqual(['study']);
  });

  it('with --assignment-date the analysis runs and analysis.json says the date was stated', async () => {
    const dir = await tempDir();
    expect(await run(['assign', '--roster', FIXTURE_STUDY.roster, '--out', join(dir, 'study'), '--seed', '2024'], memoryIo())).toBe(0);
    const args = [
      '--roster',
      FIXTURE_STUDY.roster,
      '--assignments',
      join(dir, 'study', 'assignments.csv'),
      '--attendance',
      FIXTURE_STUDY.attendance,
      '--from',
      '2025-09-08',
      '--to',
      SCHOOL_YEAR.to,
      '--assignment-date',
      '2025-09-01',
    ];
    expect(await run(['analyze', ...args, '--out', join(dir, 'results'), ...quickFit], memoryIo())).toBe(0);
    const analysis = JSON.parse(await readFile(join(dir, 'results', 'analysis.json'), 'utf8'));
    expect(analysis.arms_in_effect).toEqual({ date: '2025-09-01', source: 'stated' });
  });
});

describe('pilot simulate attendance records when the arms took effect', () => {
  it("appends a record with the file's SHA-256 and the first school day, and that attendance then analyzes from that day", async () => {
    const dir = await tempDir();
    await copyFile(FIXTURE_STUDY.roster, join(dir, 'roster.csv'));
    expect(await run(['assign', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'study'), '--seed', '5'], memoryIo())).toBe(0);
    const io = memoryIo();
    expect(
      await run(
        [
          'simulate',
          'attendance',
          '--roster',
          join(dir, 'roster.csv'),
          '--assignments',
          join(dir, 'study', 'assignments.csv'),
          '--out',
          dir,
          '--effect',
          '0.1',
          '--year',
          '2025',
          '--seed',
          '3',
        ],
        io,
      ),
    ).toBe(0);
    expect(io.out.join('\n')).toContain('the arms took effect on 2025-08-18, the first simulated school day');
    const manifest = JSON.parse(await readFile(join(dir, 'study', 'assignments.manifest.json'), 'utf8')) as AssignmentManifest;
    expect(manifest.simulated_outcomes).toHaveLength(1);
    expect(manifest.simulated_outcomes![0]).toMatchObject({
      attendance_sha256: sha256(await readFile(join(dir, 'attendance.csv'))),
      arms_took_effect: '2025-08-18',
      true_effect: 0.1,
      seed: 3,
    });
    // The assignment file itself is untouched, so it still verifies against the manifest.
    const files = {
      roster: join(dir, 'roster.csv'),
      assignments: join(dir, 'study', 'assignments.csv'),
      attendance: join(dir, 'attendance.csv'),
      calendar: join(dir, 'calendar.csv'),
    };
    const args = [
      '--roster',
      files.roster,
      '--assignments',
      files.assignments,
      '--attendance',
      files.attendance,
      '--calendar',
      files.calendar,
      '--to',
      '2026-05-29',
    ];
    expect(await run(['analyze', ...args, '--from', '2025-08-18', '--out', join(dir, 'results'), ...quickFit], memoryIo())).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'results', 'analysis.json'), 'utf8')).arms_in_effect).toEqual({
      date: '2025-08-18',
      source: 'simulation',
      simulation: { true_effect: 0.1, seed: 3 },
    });
    expect(await run(['analyze', ...args, '--from', '2025-08-15', '--out', join(dir, 'early'), ...quickFit], memoryIo())).toBe(1);
  });
});
