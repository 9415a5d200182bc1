/**
 * A full disk (issue 15, defect 2): every command that writes refuses with exit 1 and
 * "the disk is full (N bytes needed)", leaves nothing behind (no partial file under a final
 * name, no temporary, no staging folder, no empty folder) and keeps earlier files as they
 * were. The disk is the real one with a byte budget (`diskWithRoom`); the slow suite runs
 * the built CLI on a real 200 KB tmpfs (disk-full.slow.test.ts).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { withOutputFileSystem } from '../../src/io/file-system.js';
import { writeFilesAtomically } from '../../src/io/write-atomic.js';
import { analyzeArgv, makeStudyFolder, messagesArgv, writeMessageSettings } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';
import { diskWithRoom } from './faulty-disk.js';

/** Every entry under `dir` (hidden ones and folders too) with its size: what a run left. */
async function snapshot(dir: string): Promise<Record<string, number>> {
  if (!existsSync(dir)) return {};
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const sizes: Record<string, number> = {};
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    sizes[path] = entry.isFile() ? (await stat(path)).size : -1;
  }
  return sizes;
}

async function runOnFullDisk(argv: string[], room: number) {
  const io = memoryIo();
  const code = await withOutputFileSystem(diskWithRoom(room), () => run(argv, io));
  return { code, stderr: io.err.join('\n') };
}

const DISK_FULL = /the disk is full \((at least )?(\d+) bytes needed\); nothing was written, and earlier files are as they were/;

async function studyWithSettings() {
  const dir = await tempDir();
  const study = await makeStudyFolder(dir, { students: 60 });
  return { dir, study, settings: await writeMessageSettings(dir) };
}

describe('writeFilesAtomically on a full disk', () => {
  it('says how many bytes the files need, removes its staging folder and keeps the earlier files', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.csv'), 'before\n');
    const files = [
      { path: join(dir, 'a.csv'), contents: 'x'.repeat(3000) },
      { path: join(dir, 'sub', 'b.csv'), contents: [Buffer.from('y'.repeat(2000)), Buffer.from('z'.repeat(500))] },
    ];
    const before = await snapshot(dir);
    // 4000 bytes of room: the first file fits, the second's first part is cut short.
    const error = await withOutputFileSystem(diskWithRoom(4000), () => writeFilesAtomically(files)).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `${dir}: the disk is full (5500 bytes needed); nothing was written, and earlier files are as they were`,
    );
    expect(await snapshot(dir)).toEqual(before);
    expect(await readFile(join(dir, 'a.csv'), 'utf8')).toBe('before\n');
  });

  it('a short write is never taken for a whole one: one byte of room fails a one-file write', async () => {
    const dir = await tempDir();
    const path = join(dir, 'new', 'one.csv');
    const error = await withOutputFileSystem(diskWithRoom(1), () => writeFilesAtomically([{ path, contents: 'student_id\nS1\n' }])).catch(
      (e: Error) => e,
    );
    expect((error as Error).message).toBe(
      `${path}: the disk is full (14 bytes needed); nothing was written, and earlier files are as they were`,
    );
    // The folder it made for the file is gone too.
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('commands on a full disk', () => {
  it('pilot assign: exit 1, the bytes needed, and no folder left', async () => {
    const { dir, study } = await studyWithSettings();
    const out = join(dir, 'new-study');
    const argv = ['assign', '--roster', study.roster, '--out', out, '--seed', '5'];
    const full = await runOnFullDisk(argv, 700);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(DISK_FULL);
    expect(full.stderr).not.toMatch(/internal error| {4}at /);
    expect(await snapshot(dir)).not.toHaveProperty(out);
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
    // The bytes said are what the three files take: a run with room writes exactly that many.
    expect(await run(argv, memoryIo())).toBe(0);
    const written = Object.values(await snapshot(out)).reduce((a, b) => a + b, 0);
    expect(Number(DISK_FULL.exec(full.stderr)![2])).toBe(written);
  });

  it('pilot assign --add-late: the earlier assignment and its manifest are as they were', async () => {
    const { dir, study } = await studyWithSettings();
    const folder = join(dir, 'study');
    const before = await snapshot(folder);
    const bytes = await readFile(study.assignments);
    const late = join(dir, 'roster-late.csv');
    const roster = await readFile(study.roster, 'utf8');
    // One student more: the last row again under a new student and household id.
    const last = roster.trimEnd().split('\n').at(-1)!;
    await writeFile(late, `${roster}${last.replace(/^[^,]+/, 'S99999').replace(/,H\d+,/, ',H99999,')}\n`);
    const full = await runOnFullDisk(['assign', '--roster', late, '--out', folder, '--add-late'], 1500);
    expect(full.stderr).toMatch(DISK_FULL);
    expect(full.code).toBe(1);
    expect(await snapshot(folder)).toEqual(before);
    expect(await readFile(study.assignments)).toEqual(bytes);
  });

  it('pilot messages: no messages.csv, cut short or whole, and no skip list', async () => {
    const { dir, study, settings } = await studyWithSettings();
    const sends = join(dir, 'sends');
    const argv = messagesArgv(study, settings, join(sends, 'messages.csv'));
    const full = await runOnFullDisk(argv, 2000);
    expect(full.stderr).toMatch(DISK_FULL);
    expect(full.code).toBe(1);
    expect(existsSync(sends)).toBe(false);
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('pilot analyze and pilot report: exit 1, nothing left, an earlier report kept', async () => {
    const { dir, study } = await studyWithSettings();
    const results = join(dir, 'results');
    const analyze = analyzeArgv(study, results);
    const full = await runOnFullDisk(analyze, 3000);
    expect(full.stderr).toMatch(DISK_FULL);
    expect(full.code).toBe(1);
    expect(existsSync(results)).toBe(false);

    expect(await run(analyze, memoryIo())).toBe(0);
    const report = join(dir, 'report');
    expect(await run(['report', '--analysis', results, '--out', report], memoryIo())).toBe(0);
    const before = await snapshot(report);
    const again = await runOnFullDisk(['report', '--analysis', results, '--out', report, '--force'], 20_000);
    expect(again.stderr).toMatch(DISK_FULL);
    expect(again.code).toBe(1);
    expect(await snapshot(report)).toEqual(before);
  });

  it('pilot simulate roster and attendance: exit 1, nothing left', async () => {
    const { dir, study } = await studyWithSettings();
    const sim = join(dir, 'sim');
    const roster = await runOnFullDisk(['simulate', 'roster', '--out', sim, '--students', '300', '--seed', '2'], 5000);
    expect(roster.stderr).toMatch(DISK_FULL);
    expect(roster.code).toBe(1);
    expect(existsSync(sim)).toBe(false);
    const attendance = await runOnFullDisk(
      ['simulate', 'attendance', '--roster', study.roster, '--assignments', study.assignments, '--out', sim, '--seed', '2'],
      50_000,
    );
    expect(attendance.stderr).toMatch(DISK_FULL);
    expect(attendance.code).toBe(1);
    // The calendar and the attendance appear together: neither is left.
    expect(existsSync(sim)).toBe(false);
  });
});

describe('two runs making one new folder', () => {
  it("the run that finds the folder made by the other is refused, and the other run's files are kept", async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const { nodeFileSystem } = await import('../../src/io/file-system.js');
    // Just before this run renames its staging folder into place, another run makes the folder.
    const racing = {
      ...nodeFileSystem,
      async rename(from: string, to: string) {
        if (to === out) {
          await nodeFileSystem.mkdir(out);
          await writeFile(join(out, 'a.csv'), 'the other run\n');
        }
        return nodeFileSystem.rename(from, to);
      },
    };
    const files = [
      { path: join(out, 'a.csv'), contents: 'this run\n' },
      { path: join(out, 'b.csv'), contents: 'this run\n' },
    ];
    await expect(withOutputFileSystem(racing, () => writeFilesAtomically(files))).rejects.toThrow(
      `${out} was made by another run while this one was writing; nothing was written: run the command again`,
    );
    expect(await readFile(join(out, 'a.csv'), 'utf8')).toBe('the other run\n');
    expect((await readdir(dir)).sort()).toEqual(['out']);
  });
});
