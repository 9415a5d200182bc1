/**
 * Atomic writes under a real interruption (issue 4): a `pilot` process is killed with
 * SIGKILL while it is writing, and the outputs of the earlier run are intact under their
 * names; no partial file ever sits under a final name. A killed process cannot clean up,
 * so its temporary file (hidden, `.name.pid.random.tmp`) may remain beside; it is never
 * read, since no command reads hidden files.
 */
import { readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';
import { killWhileWriting, temporaries, useCliForTests } from './hostile-cli.js';

const cli = useCliForTests();

describe('an interrupted run', () => {
  it('killed while streaming attendance.csv leaves the earlier attendance.csv as it was', async () => {
    const dir = await tempDir();
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, rosterCsv(smallRoster(8_000, 3, 4)));
    expect(await run(['assign', '--roster', roster, '--out', join(dir, 'study'), '--seed', '4'], memoryIo())).toBe(0);
    const sim = join(dir, 'sim');
    // The earlier outputs, as a previous run might have left them.
    const earlier = 'student_id,date,status\nS00001,2025-09-02,present\n';
    await mkdir(sim);
    await writeFile(join(sim, 'attendance.csv'), earlier);
    await writeFile(join(sim, 'calendar.csv'), 'date,school_id,instructional\n');

    const ended = await killWhileWriting(
      cli(),
      [
        'simulate',
        'attendance',
        '--roster',
        roster,
        '--assignments',
        join(dir, 'study', 'assignments.csv'),
        '--out',
        sim,
        '--seed',
        '2',
        '--force',
      ],
      sim,
      'attendance.csv',
      1 << 18,
    );
    expect(ended.signal).toBe('SIGKILL');
    expect(ended.tempBytes).toBeGreaterThanOrEqual(1 << 18);
    expect(await readFile(join(sim, 'attendance.csv'), 'utf8')).toBe(earlier);
    // The calendar and the attendance appear together: the earlier calendar is still there.
    expect(await readFile(join(sim, 'calendar.csv'), 'utf8')).toBe('date,school_id,instructional\n');
    const finals = readdirSync(sim).filter((name) => !name.startsWith('.'));
    expect(finals.sort()).toEqual(['attendance.csv', 'calendar.csv']);
    // What the killed run left is in its hidden staging folder, which no command reads.
    for (const temp of temporaries(sim)) expect(temp.name).toMatch(/^\.pilot-staging\.\d+\.[0-9a-f]{8}\/(attendance|calendar)\.csv$/);
  });
});
