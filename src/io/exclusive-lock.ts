import { readFile, rm, rmdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { PilotError } from '../errors.js';
import { outputFileSystem } from './file-system.js';

/** The lock of a folder: a hidden file beside it, so the folder itself can still appear in one rename. */
export function lockPathFor(folder: string): string {
  return join(dirname(folder), `.${basename(folder)}.pilot-lock`);
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly command: string;
}

/** Whether the process that wrote a lock on this machine is gone (killed, crashed): its lock is stale. */
function ownerIsGone(owner: LockOwner | undefined): boolean {
  if (owner === undefined || owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` holding the exclusive lock of `folder`: a lock file created only if none
 * exists (O_EXCL, atomic on local file systems), so of two runs that write the same folder
 * at once one goes ahead and the other is refused, instead of both checking that nothing
 * is there and both writing. A lock left by a process that no longer runs on this machine
 * is taken over. The lock is removed when `work` ends, whether it succeeds or fails.
 */
export async function withExclusiveLock<T>(folder: string, command: string, work: () => Promise<T>): Promise<T> {
  const fs = outputFileSystem();
  const path = lockPathFor(folder);
  const made = await fs.mkdir(dirname(path));
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), command };
  for (let attempt = 0; ; attempt++) {
    try {
      const file = await fs.create(path, 0o600);
      const bytes = Buffer.from(`${JSON.stringify(owner)}\n`);
      await file.write(bytes, 0, bytes.length);
      await file.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readOwner(path);
      if (attempt === 0 && ownerIsGone(holder)) {
        await rm(path, { force: true });
        continue;
      }
      const who = holder ? `process ${holder.pid} on ${holder.host} since ${holder.since} (${holder.command})` : 'another run';
      throw new PilotError(
        `${folder} is being written by ${who}: two runs must not write one study folder at once. Wait for it to finish; if no such run is going, delete ${path}`,
      );
    }
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
    if (made !== undefined) await rmdir(made).catch(() => undefined);
  }
}
