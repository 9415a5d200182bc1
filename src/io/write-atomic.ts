import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

/** File modes: student-level files are the owner's alone. */
export const PRIVATE_MODE = 0o600;
export const SHARED_MODE = 0o644;

export interface PlannedFile {
  readonly path: string;
  /**
   * Text, bytes, or a list of byte parts written one after the other (a large file built
   * in parts, such as a million-row assignments.csv, is then never joined in memory).
   */
  readonly contents: string | Uint8Array | readonly Uint8Array[];
  /** Defaults to PRIVATE_MODE: whatever holds student data must opt out explicitly. */
  readonly mode?: number;
}

function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a set of files so that a reader never sees a partial one: each goes to a
 * temporary name in its own folder, and only when all are written are they renamed into
 * place. If anything fails, the temporaries are removed and earlier files stay intact.
 */
export async function writeFilesAtomically(files: readonly PlannedFile[]): Promise<void> {
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const file of files) {
      await mkdir(dirname(file.path), { recursive: true });
      const temp = temporaryName(file.path);
      staged.push({ temp, path: file.path });
      // writeFile writes an iterable's parts in order, each in full.
      await writeFile(temp, file.contents, { mode: file.mode ?? PRIVATE_MODE, flag: 'wx' });
    }
    for (const { temp, path } of staged) await rename(temp, path);
  } catch (error) {
    await Promise.all(staged.map(({ temp }) => rm(temp, { force: true })));
    throw error;
  }
}

/** One file, atomically. */
export async function writeFileAtomically(path: string, contents: string | Uint8Array, mode: number = PRIVATE_MODE): Promise<void> {
  await writeFilesAtomically([{ path, contents, mode }]);
}

/**
 * A file written piece by piece (millions of rows) that appears under its name only on
 * `commit()`; `abort()` removes the temporary file and leaves any earlier file intact.
 */
export interface AtomicWriter {
  write(text: string): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export async function createAtomicWriter(path: string, mode: number = PRIVATE_MODE): Promise<AtomicWriter> {
  await mkdir(dirname(path), { recursive: true });
  const temp = temporaryName(path);
  const handle = await open(temp, 'wx', mode);
  let buffered: string[] = [];
  let size = 0;
  const flush = async () => {
    if (buffered.length === 0) return;
    const text = buffered.join('');
    buffered = [];
    size = 0;
    await handle.write(text);
  };
  return {
    async write(text) {
      buffered.push(text);
      size += text.length;
      if (size > 1 << 20) await flush();
    },
    async commit() {
      await flush();
      await handle.close();
      await rename(temp, path);
    },
    async abort() {
      await handle.close().catch(() => undefined);
      await rm(temp, { force: true });
    },
  };
}
