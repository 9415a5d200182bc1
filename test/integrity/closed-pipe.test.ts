/**
 * A closed output pipe (issue 15, defect 12): `pilot schedule | head -1` closes the pipe
 * before pilot has printed everything. pilot exits quietly with 0 instead of crashing on
 * an unhandled EPIPE (exit 1 with a stack trace before).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliForTests } from '../cli/hostile-cli.js';

const cli = useCliForTests();
const FIXTURES = resolve(import.meta.dirname, '..', '..', 'fixtures');

/** Runs pilot with its stdout closed by the reader at once; resolves with how it ended and its stderr. */
function runIntoClosedPipe(argv: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli(), ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    // The reader goes away before pilot writes a line, as `head -1` does after its first.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('a closed output pipe', () => {
  it('pilot schedule exits 0 with nothing on stderr', async () => {
    const ended = await runIntoClosedPipe(['schedule', '--calendar', join(FIXTURES, 'calendar.csv')]);
    expect(ended.stderr).toBe('');
    expect(ended.code).toBe(0);
  });

  it('pilot --help exits 0 with nothing on stderr', async () => {
    const ended = await runIntoClosedPipe(['--help']);
    expect(ended.stderr).toBe('');
    expect(ended.code).toBe(0);
  });
});
