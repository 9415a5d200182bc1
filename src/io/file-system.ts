import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, open, rename, rm } from 'node:fs/promises';

/** A file open for writing: the few calls an atomic write makes on it. */
export interface WritableFile {
  /** Writes `length` bytes from `offset`; may write fewer (a full disk), and says how many. */
  write(bytes: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  /** Flushes the file's data to the disk (fsync). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Everything a writer does to the disk. The writers in `io/` take it from `outputFileSystem()`,
 * so a test can run a whole command over a disk that fills up or a process that stops
 * between two renames (`withOutputFileSystem`) without mounting a small disk.
 */
export interface OutputFileSystem {
  /** Creates a new file (never an existing one) with this mode. */
  create(path: string, mode: number): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  /** Like `mkdir -p`; returns the first folder it made, if any. */
  mkdir(path: string): Promise<string | undefined>;
  /** Removes a file or a folder with what is in it; nothing if it is not there. */
  remove(path: string): Promise<void>;
  /** Flushes a folder's entries (a rename into it) to the disk. */
  syncFolder(path: string): Promise<void>;
}

export const nodeFileSystem: OutputFileSystem = {
  create: (path, mode) => open(path, 'wx', mode),
  rename,
  mkdir: (path) => mkdir(path, { recursive: true }),
  remove: (path) => rm(path, { recursive: true, force: true }),
  async syncFolder(path) {
    // A folder opened read-only can be fsynced on Linux and macOS; where it cannot
    // (Windows: EISDIR, EPERM), the rename is as durable as that system makes it.
    const handle = await open(path, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      await handle.sync().catch((error: NodeJS.ErrnoException) => {
        if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes(error.code ?? '')) throw error;
      });
    } finally {
      await handle.close();
    }
  },
};

const scoped = new AsyncLocalStorage<OutputFileSystem>();

/** The file system writers write to: the real one, or the one `withOutputFileSystem` set. */
export function outputFileSystem(): OutputFileSystem {
  return scoped.getStore() ?? nodeFileSystem;
}

/** Runs `work` with every write inside it (awaited or not) going to `fs` (tests of faults). */
export function withOutputFileSystem<T>(fs: OutputFileSystem, work: () => Promise<T>): Promise<T> {
  return scoped.run(fs, work);
}
