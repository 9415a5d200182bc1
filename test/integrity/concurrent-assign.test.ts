/**
 * Two `pilot assign` into one folder at once (issue 15, defect 6): both used to find the
 * folder empty and both succeed, the second replacing the first's assignment. Now one
 * holds the folder's lock from its look at the folder to its write, and the other is
 * refused (exit 1) naming the run that holds it; the assignment left is whole and verifies.
 */
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVerifiedAssignments } from '../../src/assignment/assignment-files.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { lockPathFor, withExclusiveLock } from '../../src/io/exclusive-lock.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('concurrent runs into one study folder', () => {
  it('of two pilot assign at once, one writes and the other is refused', async () => {
    const dir = await tempDir();
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, rosterCsv(smallRoster(20_000, 4, 9)));
    const study = join(dir, 'study');
    const ios = [memoryIo(), memoryIo()];
    const codes = await Promise.all(ios.map((io, i) => run(['assign', '--roster', roster, '--out', study, '--seed', String(i + 1)], io)));
    expect([...codes].sort()).toEqual([0, 1]);
    const refused = ios[codes.indexOf(1)].err.join('\n');
    expect(refused).toMatch(
      new RegExp(
        `(is being written by process ${process.pid} on .* since .*: two runs must not write one study folder at once|assignments\\.csv already exists: an assignment is never redone)`,
      ),
    );
    const kept = await readVerifiedAssignments(join(study, 'assignments.csv'));
    expect(kept.manifest.seed).toBe(codes.indexOf(0) + 1);
    expect(kept.assignments).toHaveLength(20_000);
    expect(existsSync(lockPathFor(study))).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(['roster.csv', 'study']);
  });

  it("holds the lock across the work, refuses a second holder, and takes over a dead process's lock", async () => {
    const dir = await tempDir();
    const folder = join(dir, 'study');
    let entered!: () => void;
    let release!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = withExclusiveLock(folder, 'first', async () => {
      entered();
      await held;
      return 'first done';
    });
    await inside;
    await expect(withExclusiveLock(folder, 'second', async () => 'second done')).rejects.toThrow(
      /is being written by process \d+ .*\(first\): two runs must not write one study folder at once/,
    );
    release();
    expect(await first).toBe('first done');
    // A lock whose process is gone (killed) is stale: the next run takes it over.
    await writeFile(
      lockPathFor(folder),
      JSON.stringify({
        pid: 2 ** 22 + 12345,
        host: (await import('node:os')).hostname(),
        since: '2026-01-01T00:00:00Z',
        command: 'killed',
      }),
    );
    expect(await withExclusiveLock(folder, 'next', async () => 'next done')).toBe('next done');
    expect(existsSync(lockPathFor(folder))).toBe(false);
  });
});
