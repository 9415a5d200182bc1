/**
 * The manifest chain (issue 4): `pilot messages` and `pilot analyze` (study form) verify
 * assignments.csv against the SHA-256 its manifest recorded, refuse a changed file with a
 * message saying what changed (as far as the manifest's counts per block and arm can
 * tell), and write nothing.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatManifest } from '../../src/assignment/manifest.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sha256 } from '../../src/io/hash.js';
import type { StudyFolder } from '../helpers/study-folder.js';
import { analyzeArgv, makeStudyFolder, messagesArgv, writeMessageSettings } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

type Command = 'messages' | 'analyze';

async function runCommand(command: Command, dir: string, study: StudyFolder) {
  const out = join(dir, 'out');
  // The built-in templates sign with the sender and the school's phone, which the settings give.
  const argv =
    command === 'messages'
      ? messagesArgv(study, await writeMessageSettings(dir), join(out, 'messages.csv'))
      : analyzeArgv(study, out, ['--draws-per-chain', '100']);
  const io = memoryIo();
  const code = await run(argv, io);
  const written = existsSync(out) ? await readdir(out) : [];
  return { code, stderr: io.err.join('\n'), written };
}

/** Edits of assignments.csv, each with what the refusal must say. */
const EDITS: { name: string; edit: (lines: string[]) => string[] | string; says: RegExp }[] = [
  {
    name: 'a control student moved to treatment',
    edit: (lines) => {
      const at = lines.findIndex((line) => line.includes(',control,'));
      return lines.map((line, i) => (i === at ? line.replace(',control,', ',treatment,') : line));
    },
    says: /students moved between arms or blocks: block "[^"]+" arm "control": (\d+) -> \d+; block "[^"]+" arm "treatment": \d+ -> \d+/,
  },
  {
    name: 'a row removed',
    edit: (lines) => lines.filter((_, i) => i !== 5),
    says: /1 row\(s\) removed \(59 students, the manifest recorded 60\)/,
  },
  {
    name: 'two rows added',
    edit: (lines) => [...lines.slice(0, -1), lines[1].replace(/^[^,]+/, 'NEW1'), lines[2].replace(/^[^,]+/, 'NEW2'), ''],
    says: /2 row\(s\) added \(62 students, the manifest recorded 60\)/,
  },
  {
    name: 'the file re-saved with Windows line endings',
    edit: (lines) => lines.join('\r\n'),
    says: /every block and arm is as recorded, so values were edited .* or the file was re-saved \(it now has Windows line endings/,
  },
  {
    name: 'a household id edited',
    edit: (lines) => lines.map((line, i) => (i === 3 ? line.replace(/^([^,]+),[^,]*,/, '$1,H-EDITED,') : line)),
    says: /every block and arm is as recorded, so values were edited \(ids, households, grades\) or the file was re-saved\./,
  },
  {
    name: 'a row made unreadable',
    edit: (lines) => lines.map((line, i) => (i === 4 ? line.replace(/,[^,]*$/, '') : line)),
    says: /it is no longer a readable assignment file \(row 5, assigned_at: expected 9 fields as in the header, found 8\)/,
  },
];

describe.each<Command>(['messages', 'analyze'])('pilot %s and the assignment manifest', (command) => {
  it.each(EDITS)('refuses an assignment with $name, says so, and writes nothing', async ({ edit, says }) => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 60 });
    const original = await readFile(study.assignments, 'utf8');
    const edited = edit(original.split('\n'));
    await writeFile(study.assignments, Array.isArray(edited) ? edited.join('\n') : edited);
    const { code, stderr, written } = await runCommand(command, dir, study);
    expect(code).toBe(1);
    expect(stderr).toMatch(/assignments\.csv has changed since `pilot assign` wrote it: /);
    expect(stderr).toMatch(says);
    expect(stderr).toMatch(/Restore the file, or add students with `pilot assign --add-late`/);
    expect(written).toEqual([]);
  });

  it('tells an assignment whose run was killed before its manifest moved into place, and how to finish it', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 60 });
    const manifestPath = join(dir, 'study', 'assignments.manifest.json');
    // What a run killed among its renames leaves: the new assignments.csv in place, its
    // manifest still in the staging folder with the ready list, the earlier manifest beside.
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    // The new assignment: the same rows in other bytes (CRLF), so its counts are the manifest's.
    const newer = (await readFile(study.assignments, 'utf8')).replaceAll('\n', '\r\n');
    const stage = join(dir, 'study', '.pilot-staging.4242.0badcafe');
    await mkdir(stage);
    await writeFile(join(stage, '.ready.json'), JSON.stringify(['assignments.csv', 'assignments.manifest.json', 'balance.csv']));
    const runs = manifest.runs.map((run: object, i: number) =>
      i === manifest.runs.length - 1 ? { ...run, output_sha256: sha256(newer) } : run,
    );
    await writeFile(
      join(stage, 'assignments.manifest.json'),
      formatManifest({ ...manifest, output: { ...manifest.output, sha256: sha256(newer) }, runs }),
    );
    await writeFile(study.assignments, newer);
    const { code, stderr, written } = await runCommand(command, dir, study);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `a run that wrote here stopped while moving its files into place, so the files here are part new, part old; 1 file(s) still wait in ${stage} (assignments.manifest.json)`,
    );
    expect(written).toEqual([]);
    // Finished as the message says: the waiting file moved in, the staging folder deleted.
    await rename(join(stage, 'assignments.manifest.json'), manifestPath);
    await rm(stage, { recursive: true });
    const finished = await runCommand(command, dir, study);
    expect(finished.stderr).not.toMatch(/^pilot:/m);
    expect(finished.code).toBe(0);
  });

  it('runs on the untouched assignment, and refuses one whose manifest is missing or damaged', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 60 });
    const ok = await runCommand(command, dir, study);
    expect(ok.stderr).not.toMatch(/^pilot:/m);
    expect(ok.code).toBe(0);
    const manifest = join(dir, 'study', 'assignments.manifest.json');
    const text = await readFile(manifest, 'utf8');

    await rm(join(dir, 'out'), { recursive: true });
    await writeFile(manifest, text.slice(0, 100));
    const damaged = await runCommand(command, dir, study);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/assignments\.csv: its manifest .*assignments\.manifest\.json is not valid JSON/);
    expect(damaged.written).toEqual([]);

    await rm(manifest);
    const missing = await runCommand(command, dir, study);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /assignments\.csv: its manifest .*assignments\.manifest\.json is missing, so the assignment cannot be verified/,
    );
    expect(missing.written).toEqual([]);
  });
});
