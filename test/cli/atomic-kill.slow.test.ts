/**
 * Atomic writes under a real interruption, at scale (`npm run test:slow`): `pilot assign
 * --add-late` over a 200,000-student roster is SIGKILLed while it writes the new
 * assignment, and the earlier assignment and its manifest are untouched and still verify;
 * the next run then completes. (The everyday suite kills a streaming write:
 * atomic-kill.test.ts.)
 */
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVerifiedAssignments } from '../../src/assignment/assignment-files.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sha256 } from '../../src/io/hash.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';
import { killWhileWriting, useCliForTests } from './hostile-cli.js';

const cli = useCliForTests();

describe('an interrupted late-enrollee run', () => {
  it('killed while writing the new assignment leaves the earlier one, matching its manifest', async () => {
    const dir = await tempDir();
    const students = smallRoster(200_000, 20, 6);
    const early = join(dir, 'roster-early.csv');
    const late = join(dir, 'roster-late.csv');
    await writeFile(early, rosterCsv(students.slice(0, 190_000)));
    await writeFile(late, rosterCsv(students));
    const study = join(dir, 'study');
    expect(await run(['assign', '--roster', early, '--out', study, '--seed', '6'], memoryIo())).toBe(0);
    const before = await readFile(join(study, 'assignments.csv'));
    const manifestBefore = await readFile(join(study, 'assignments.manifest.json'), 'utf8');

    const ended = await killWhileWriting(cli(), ['assign', '--roster', late, '--out', study, '--add-late'], study, 'assignments.csv', 1);
    expect(ended.signal).toBe('SIGKILL');
    expect(sha256(await readFile(join(study, 'assignments.csv')))).toBe(sha256(before));
    expect(await readFile(join(study, 'assignments.manifest.json'), 'utf8')).toBe(manifestBefore);
    expect((await readVerifiedAssignments(join(study, 'assignments.csv'))).assignments).toHaveLength(190_000);
    expect(
      readdirSync(study)
        .filter((name) => !name.startsWith('.'))
        .sort(),
    ).toEqual(['assignments.csv', 'assignments.manifest.json', 'balance.csv']);

    // The next run completes, whatever the killed one left beside.
    expect(await run(['assign', '--roster', late, '--out', study, '--add-late'], memoryIo())).toBe(0);
    expect((await readVerifiedAssignments(join(study, 'assignments.csv'))).assignments).toHaveLength(200_000);
  });
});
