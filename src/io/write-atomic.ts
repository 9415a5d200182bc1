import { randomBytes } from 'node:crypto';
import { readdir, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { PilotError } from '../errors.js';
import type { OutputFileSystem, WritableFile } from './file-system.js';
import { outputFileSystem } from './file-system.js';

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

/**
 * The disk (or the user's quota) filled up while a command wrote its output. Whatever it
 * had written is removed and earlier files are as they were, so the user frees space and
 * runs the command again. `needed` is the size of the whole output when it was known
 * before writing, else what had been written when the disk filled (`atLeast`).
 */
export class DiskFullError extends PilotError {
  readonly where: string;
  readonly needed: number;
  constructor(where: string, needed: number, atLeast = false) {
    super(
      `${where}: the disk is full (${atLeast ? 'at least ' : ''}${needed} bytes needed); nothing was written, and earlier files are as they were`,
    );
    this.name = 'DiskFullError';
    this.where = where;
    this.needed = needed;
  }
}

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** The name a temporary or staging entry gets: hidden, and unique to this process and call. */
function uniqueSuffix(): string {
  return `${process.pid}.${randomBytes(4).toString('hex')}`;
}

function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${uniqueSuffix()}.tmp`);
}

function partsOf(contents: PlannedFile['contents']): readonly Uint8Array[] {
  if (typeof contents === 'string') return [Buffer.from(contents, 'utf8')];
  return contents instanceof Uint8Array ? [contents] : contents;
}

function sizeOf(contents: PlannedFile['contents']): number {
  return partsOf(contents).reduce((sum, part) => sum + part.byteLength, 0);
}

/**
 * Writes every byte, or throws. One write(2) may take fewer bytes than it was given (the
 * disk filled in the middle); Node hands back the count and does not retry, so an
 * unchecked write leaves a silently short file. A write that takes nothing is a full disk.
 */
async function writeAll(file: WritableFile, bytes: Uint8Array): Promise<void> {
  for (let offset = 0; offset < bytes.byteLength; ) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.byteLength - offset);
    if (!(bytesWritten > 0)) throw Object.assign(new Error('write took no bytes'), { code: 'ENOSPC' });
    offset += bytesWritten;
  }
}

/** Writes a new file whole and flushes it to the disk before closing it. */
async function createFileWithContents(fs: OutputFileSystem, path: string, contents: PlannedFile['contents'], mode: number): Promise<void> {
  const file = await fs.create(path, mode);
  try {
    for (const part of partsOf(contents)) await writeAll(file, part);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Removes `folder` and its parents up to `top`, each only if it is empty. */
async function removeEmptyFolders(folder: string, top: string): Promise<void> {
  for (let path = folder; ; path = dirname(path)) {
    const removed = await rmdir(path).then(
      () => true,
      () => false,
    );
    if (!removed || path === top || dirname(path) === path) return;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Staging folders are hidden and carry this in their name; no command reads hidden files. */
export const STAGING_MARK = '.pilot-staging.';
/** Written into a staging folder once every file in it is complete, just before they are moved. */
const READY_LIST = '.ready.json';

/**
 * Refuses to read or write `dir` while it holds the staged files of a run that stopped
 * (killed, a power cut) while moving them into place: some files there are new and some
 * old. Says how to finish that run. A staging folder without its ready list is a run that
 * stopped before moving anything: the files in `dir` are whole, and it is left alone.
 */
export async function refuseInterruptedOutput(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(STAGING_MARK)) continue;
    const stage = join(dir, name);
    if (!(await exists(join(stage, READY_LIST)))) continue;
    const left = (await readdir(stage, { recursive: true, withFileTypes: true }).catch(() => []))
      .filter((entry) => entry.isFile() && entry.name !== READY_LIST)
      .map((entry) => relative(stage, join(entry.parentPath, entry.name)));
    throw new PilotError(
      `${dir}: a run that wrote here stopped while moving its files into place, so the files here are part new, part old; ` +
        `${left.length} file(s) still wait in ${stage} (${left.slice(0, 5).join(', ')}${left.length > 5 ? ', ...' : ''}). ` +
        `To finish that run, move them into ${dir} (replacing those there) and delete ${stage}; or run the command again with its output moved elsewhere`,
    );
  }
}

/** One file being streamed into a staged output (`StagedOutput.stream`). */
export interface StreamedFile {
  write(text: string): Promise<void>;
  /** Writes what is buffered and flushes the file to the disk; the file is complete. */
  end(): Promise<void>;
}

/**
 * Files that appear together or not at all (`stageOutput`): written into a hidden staging
 * folder, then moved into place by `commit`.
 */
export interface StagedOutput {
  /** The folder the files go to. */
  readonly root: string;
  add(file: PlannedFile): Promise<void>;
  stream(path: string, mode?: number): Promise<StreamedFile>;
  /** Bytes written so far. */
  readonly bytes: number;
  commit(): Promise<void>;
  /** Removes the staging folder (and folders the output made); earlier files stay as they were. */
  abort(): Promise<void>;
}

/** Characters of text buffered by a streamed file before it is written. */
const STREAM_BUFFER = 1 << 20;

/**
 * Starts an output of several files under `root` that appear together. Each file is
 * written into a hidden staging folder and flushed (fsync). A fresh `root` is the staging
 * folder renamed: one rename, so a reader sees all the files or none. Into an existing
 * `root` the files are moved one by one, after a ready list is written; a run stopped
 * among those renames leaves the list, and every reader of the folder then says how to
 * finish (`refuseInterruptedOutput`). A full disk is a `DiskFullError`, with nothing left.
 */
export async function stageOutput(root: string): Promise<StagedOutput> {
  const fs = outputFileSystem();
  await refuseInterruptedOutput(root);
  const fresh = !(await exists(root));
  const parent = fresh ? dirname(root) : root;
  const made = await fs.mkdir(parent);
  const stage = fresh ? join(parent, `.${basename(root)}${STAGING_MARK}${uniqueSuffix()}`) : join(root, `${STAGING_MARK}${uniqueSuffix()}`);
  const files: string[] = [];
  let bytes = 0;
  // Writing: a failure removes the stage. Moving: the staged files are complete and some
  // may be in place, so the stage is kept for the user to finish (refuseInterruptedOutput).
  let phase: 'writing' | 'moving' | 'done' = 'writing';

  const cleanUp = async () => {
    if (phase !== 'writing') return;
    phase = 'done';
    await fs.remove(stage).catch(() => undefined);
    if (made !== undefined) await removeEmptyFolders(parent, made);
  };
  const failed = async (error: unknown): Promise<never> => {
    if (phase === 'moving') throw error;
    await cleanUp();
    throw isDiskFull(error) ? new DiskFullError(root, bytes, true) : error;
  };
  const place = async (path: string): Promise<string> => {
    if (phase !== 'writing') throw new Error(`stageOutput: ${root} is already committed or aborted`);
    const inside = relative(root, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`stageOutput: ${path} is not inside ${root}`);
    files.push(inside);
    const target = join(stage, inside);
    await fs.mkdir(dirname(target));
    return target;
  };

  try {
    await fs.mkdir(stage);
  } catch (error) {
    return failed(error);
  }
  return {
    root,
    get bytes() {
      return bytes;
    },
    async add(file) {
      try {
        await createFileWithContents(fs, await place(file.path), file.contents, file.mode ?? PRIVATE_MODE);
        bytes += sizeOf(file.contents);
      } catch (error) {
        return failed(error);
      }
    },
    async stream(path, mode = PRIVATE_MODE) {
      let handle: WritableFile;
      try {
        handle = await fs.create(await place(path), mode);
      } catch (error) {
        return failed(error);
      }
      let buffered: string[] = [];
      let size = 0;
      const flush = async () => {
        if (buffered.length === 0) return;
        const chunk = Buffer.from(buffered.join(''), 'utf8');
        buffered = [];
        size = 0;
        try {
          await writeAll(handle, chunk);
          bytes += chunk.byteLength;
        } catch (error) {
          bytes += chunk.byteLength;
          await handle.close().catch(() => undefined);
          return failed(error);
        }
      };
      return {
        async write(text) {
          buffered.push(text);
          size += text.length;
          if (size > STREAM_BUFFER) await flush();
        },
        async end() {
          await flush();
          try {
            await handle.sync();
            await handle.close();
          } catch (error) {
            return failed(error);
          }
        },
      };
    },
    async commit() {
      try {
        await syncFolders(fs, stage, files);
        if (fresh) {
          await fs.rename(stage, root).catch((error: NodeJS.ErrnoException) => {
            // Another run made the folder while this one wrote: its files are left alone.
            if (error.code === 'ENOTEMPTY' || error.code === 'EEXIST')
              throw new PilotError(
                `${root} was made by another run while this one was writing; nothing was written: run the command again`,
              );
            throw error;
          });
          await fs.syncFolder(parent);
        } else {
          // Every target folder exists before the ready list: a rename then fails only
          // as a stop does, and a file where a folder should be is refused with nothing moved.
          for (const file of files) await fs.mkdir(dirname(join(root, file)));
          await createFileWithContents(fs, join(stage, READY_LIST), `${JSON.stringify(files)}\n`, PRIVATE_MODE);
          await fs.syncFolder(stage);
          // From here on the staged files are complete: a stop among the renames is finished
          // by hand, as refuseInterruptedOutput says, never undone.
          phase = 'moving';
          try {
            for (const file of files) await fs.rename(join(stage, file), join(root, file));
          } catch (error) {
            await refuseInterruptedOutput(root);
            throw error;
          }
          await syncFolders(fs, root, files);
          await fs.remove(stage);
          await fs.syncFolder(root);
        }
        phase = 'done';
      } catch (error) {
        return failed(error);
      }
    },
    abort: cleanUp,
  };
}

/**
 * Runs `write` with a staged output under `root` and commits it: the files `write` adds
 * appear together when it returns, and none of them if it throws.
 */
export async function writeTogether<T>(root: string, write: (output: StagedOutput) => Promise<T>): Promise<T> {
  const output = await stageOutput(root);
  try {
    const result = await write(output);
    await output.commit();
    return result;
  } catch (error) {
    await output.abort();
    throw error;
  }
}

/** Flushes `base` and every folder under it that holds one of `files`. */
async function syncFolders(fs: OutputFileSystem, base: string, files: readonly string[]): Promise<void> {
  const folders = new Set([base, ...files.map((file) => dirname(join(base, file)))]);
  for (const folder of folders) await fs.syncFolder(folder);
}

/** The folder that holds every path: their deepest common folder. */
function commonFolder(paths: readonly string[]): string {
  const split = paths.map((path) => dirname(normalize(path)).split(sep));
  const common: string[] = [];
  for (let i = 0; split.every((parts) => i < parts.length && parts[i] === split[0][i]); i++) common.push(split[0][i]);
  return common.length === 0 ? '.' : common.length === 1 && common[0] === '' ? sep : common.join(sep);
}

/**
 * Writes a set of files so that a reader never sees a partial one, nor some new files
 * beside old ones: every byte checked, flushed to the disk, then all moved into place
 * together (see `stageOutput`; a single file is a temporary renamed over it). If anything
 * fails, what was written is removed and earlier files stay intact; a full disk is a
 * `DiskFullError` saying how much room the files need.
 */
export async function writeFilesAtomically(files: readonly PlannedFile[]): Promise<void> {
  if (files.length === 0) return;
  const needed = files.reduce((sum, file) => sum + sizeOf(file.contents), 0);
  try {
    if (files.length === 1) return await writeFileAlone(files[0]);
    const staged = await stageOutput(commonFolder(files.map((file) => file.path)));
    for (const file of files) await staged.add(file);
    await staged.commit();
  } catch (error) {
    if (error instanceof DiskFullError) throw new DiskFullError(error.where, needed);
    throw error;
  }
}

/** One file: a temporary beside it, flushed, renamed over it, and the folder flushed. */
async function writeFileAlone(file: PlannedFile): Promise<void> {
  const fs = outputFileSystem();
  const folder = dirname(file.path);
  await refuseInterruptedOutput(folder);
  const made = await fs.mkdir(folder);
  const temp = temporaryName(file.path);
  try {
    await createFileWithContents(fs, temp, file.contents, file.mode ?? PRIVATE_MODE);
    await fs.rename(temp, file.path);
    await fs.syncFolder(folder);
  } catch (error) {
    await fs.remove(temp).catch(() => undefined);
    if (made !== undefined) await removeEmptyFolders(folder, made);
    throw isDiskFull(error) ? new DiskFullError(file.path, sizeOf(file.contents)) : error;
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
  const fs = outputFileSystem();
  const folder = dirname(path);
  const made = await fs.mkdir(folder);
  const temp = temporaryName(path);
  const handle = await fs.create(temp, mode);
  let buffered: string[] = [];
  let size = 0;
  let written = 0;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const discard = async () => {
    await close().catch(() => undefined);
    await fs.remove(temp).catch(() => undefined);
    if (made !== undefined) await removeEmptyFolders(folder, made);
  };
  const failed = async (error: unknown): Promise<never> => {
    await discard();
    throw isDiskFull(error) ? new DiskFullError(path, written, true) : error;
  };
  const flush = async () => {
    if (buffered.length === 0) return;
    const chunk = Buffer.from(buffered.join(''), 'utf8');
    buffered = [];
    size = 0;
    written += chunk.byteLength;
    try {
      await writeAll(handle, chunk);
    } catch (error) {
      return failed(error);
    }
  };
  return {
    async write(text) {
      buffered.push(text);
      size += text.length;
      if (size > STREAM_BUFFER) await flush();
    },
    async commit() {
      await flush();
      try {
        await handle.sync();
        await close();
        await fs.rename(temp, path);
        await fs.syncFolder(folder);
      } catch (error) {
        return failed(error);
      }
    },
    abort: discard,
  };
}
