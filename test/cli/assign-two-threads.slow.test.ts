/**
 * `pilot assign` with real worker threads (`npm run test:slow`). Under vitest there is no
 * compiled worker, so the everyday suite runs the roster's runs and the second part of
 * assignments.csv in the calling thread; here a built CLI reads a roster large enough for
 * both workers (over 16 MB, over 200,000 rows), and its files must be byte for byte those
 * of the one-thread run. A roster that fails validation must end the process promptly
 * with the same message and no file, with no worker left running.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { createRng, shuffled } from '../../src/random.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';
import { useCliForTests } from './hostile-cli.js';

const cli = useCliForTests();
const runProcess = promisify(execFile);

/** The built CLI in a child process: exit code and stderr, with a deadline a hung worker would miss. */
async function pilot(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await runProcess(process.execPath, [cli(), ...args], { timeout: 120_000, maxBuffer: 1 << 26 });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code?: number; killed?: boolean; stderr: string };
    expect(failed.killed, 'the process was killed at its deadline').not.toBe(true);
    return { code: failed.code ?? -1, stderr: failed.stderr };
  }
}

/**
 * A manifest without what differs between two runs of the same assignment: when, and the
 * command line; and the version, which the test build (outside the package) cannot read.
 */
function comparableManifest(text: string): unknown {
  const manifest = JSON.parse(text) as { runs: Record<string, unknown>[] };
  // The content hash covers when and how: it differs with them.
  return {
    ...manifest,
    version: undefined,
    manifest_sha256: undefined,
    runs: manifest.runs.map((r) => ({ ...r, created: undefined, command: undefined })),
  };
}

describe('pilot assign on two threads', () => {
  const students = shuffled(smallRoster(320_000, 24, 9), createRng(3));

  it('writes the files of the one-thread run, byte for byte', async () => {
    const dir = await tempDir();
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, rosterCsv(students));
    expect(statSync(roster).size).toBeGreaterThan(16 << 20);

    const threads = await pilot(['assign', '--roster', roster, '--out', join(dir, 'threads'), '--seed', '12']);
    expect(threads.stderr).toBe('');
    expect(threads.code).toBe(0);
    expect(await run(['assign', '--roster', roster, '--out', join(dir, 'one'), '--seed', '12'], memoryIo())).toBe(0);
    for (const name of ['assignments.csv', 'balance.csv']) {
      expect((await readFile(join(dir, 'threads', name))).equals(await readFile(join(dir, 'one', name))), name).toBe(true);
    }
    const manifests = await Promise.all(['threads', 'one'].map((d) => readFile(join(dir, d, 'assignments.manifest.json'), 'utf8')));
    expect(comparableManifest(manifests[0])).toEqual(comparableManifest(manifests[1]));
  });

  it("refuses an invalid roster with the one-thread run's message, writes nothing and ends", async () => {
    const dir = await tempDir();
    const roster = join(dir, 'roster.csv');
    // A duplicate id and an unknown grade late in the file, in a run the worker is likely to take.
    const bad = [...students];
    bad[300_000] = { ...bad[300_000], student_id: bad[10].student_id };
    bad[310_000] = { ...bad[310_000], grade: '14' as never };
    await writeFile(roster, rosterCsv(bad));

    const threads = await pilot(['assign', '--roster', roster, '--out', join(dir, 'threads'), '--seed', '12']);
    const io = memoryIo();
    expect(await run(['assign', '--roster', roster, '--out', join(dir, 'one'), '--seed', '12'], io)).toBe(1);
    expect(threads.code).toBe(1);
    expect(threads.stderr.trim()).toBe(io.err.join('\n').trim());
    expect(threads.stderr).toMatch(/duplicate student_id/);
    expect(threads.stderr).toMatch(/grade/);
    expect(readdirSync(dir).sort()).toEqual(['roster.csv']);
  });
});
