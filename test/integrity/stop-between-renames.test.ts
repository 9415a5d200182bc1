/**
 * A run stopped between renames (issue 15, defect 8): it left an assignment without its
 * manifest, a message list without its skip list. Files that belong together now move into
 * an existing folder only after a ready list is written; a run stopped among the renames
 * (here: a file system that never returns from the second rename, as a killed process
 * never does) leaves the rest in its staging folder, every reader refuses the folder and
 * says how to finish, and doing so gives the new, whole output.
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVerifiedAssignments } from '../../src/assignment/assignment-files.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { lockPathFor } from '../../src/io/exclusive-lock.js';
import { withOutputFileSystem } from '../../src/io/file-system.js';
import { makeStudyFolder } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';
import { stopBeforeRename } from './faulty-disk.js';

describe('a run stopped between its renames', () => {
  it('pilot assign --add-late: refused with how to finish, and finishing gives the new assignment', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 40 });
    const folder = join(dir, 'study');
    const roster = await readFile(study.roster, 'utf8');
    const last = roster.trimEnd().split('\n').at(-1)!;
    const late = join(dir, 'roster-late.csv');
    await writeFile(late, `${roster}${last.replace(/^[^,]+/, 'S99999').replace(/,H\d+,/, ',H99999,')}\n`);

    // The process stops for good before its second rename: assignments.csv is new, the rest old.
    const { fs, stopped } = stopBeforeRename(1);
    void withOutputFileSystem(fs, () => run(['assign', '--roster', late, '--out', folder, '--add-late'], memoryIo()));
    await stopped;
    const stage = (await readdir(folder)).find((name) => name.startsWith('.pilot-staging.'))!;
    expect(stage).toBeDefined();
    const left = (await readdir(join(folder, stage))).sort();
    expect(left).toEqual(['.ready.json', 'assignments.manifest.json', 'balance.csv']);

    // Every reader refuses the folder, naming what waits where.
    await expect(readVerifiedAssignments(study.assignments)).rejects.toThrow(
      `${folder}: a run that wrote here stopped while moving its files into place, so the files here are part new, part old; 2 file(s) still wait in ${join(folder, stage)} (assignments.manifest.json, balance.csv).`,
    );
    // The next run would take over a killed process's lock (its pid is gone); the 'killed' run
    // here is this very process, so its lock is removed by hand.
    await rm(lockPathFor(folder));
    const io = memoryIo();
    expect(await run(['assign', '--roster', late, '--out', folder, '--add-late'], io)).toBe(1);
    expect(io.err.join('\n')).toContain('stopped while moving its files into place');

    // Finished as the message says: the late student is assigned, and everything verifies.
    for (const name of ['assignments.manifest.json', 'balance.csv']) await rename(join(folder, stage, name), join(folder, name));
    await rm(join(folder, stage), { recursive: true });
    const finished = await readVerifiedAssignments(study.assignments);
    expect(finished.assignments).toHaveLength(41);
    expect(finished.manifest.runs.map((r) => r.assigned_at)).toEqual(['initial', 'late-1']);
  });
});
