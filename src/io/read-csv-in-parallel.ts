import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { TransferListItem } from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../compiled-worker.js';
import { CsvChunkParser } from './csv-parser.js';
import type { CsvRangeLayout, CsvRangeRecords } from './csv-range.js';
import { decodeColumn, normalizeField, packColumn, parseCsvRange } from './csv-range.js';
import { sha256File } from './hash.js';
import type { CsvTable } from './read-csv.js';
import { checkHeader } from './read-csv.js';

/**
 * `readCsv` for a large file on two threads: the records are cut at line ends into runs
 * of a few megabytes, and this thread and a worker each take the next run not yet taken
 * until none is left, so the faster thread parses more (a worker starts later, and a busy
 * machine slows either thread); the worker then hashes the whole file. The table is the
 * one `readCsv` returns, value for value.
 *
 * Only a file read without any issue is read this way. Anything unusual (a small or
 * gzipped file, quotes or a lone CR in the header, a bad header, a ragged row, a syntax
 * error, a cut that fell inside a quoted field) returns undefined, and the caller reads
 * the file with `readCsv`, which reports every problem with its row and column as always.
 */
export async function readCsvInParallel(
  path: string,
  file: string,
  keep?: readonly string[],
  { minSplitBytes = MIN_SPLIT_BYTES, runBytes = RUN_BYTES }: { readonly minSplitBytes?: number; readonly runBytes?: number } = {},
): Promise<{ table: CsvTable; sha256: Promise<string> } | undefined> {
  if (path.endsWith('.gz')) return undefined;
  // A file that is missing, a folder or unreadable is left for readCsv to report.
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile() || info.size < minSplitBytes) return undefined;
  const size = info.size;
  const head = await readHeader(path, file).catch(() => undefined);
  if (head === undefined) return undefined;
  const runs = await cutIntoRuns(path, head.end, size, Math.max(2, Math.min(MAX_RUNS, Math.ceil((size - head.end) / runBytes))));
  if (runs === undefined) return undefined;

  // Columns kept as readCsv keeps them: the first of each name, in header order.
  const names: string[] = [];
  const kept: number[] = [];
  head.header.forEach((name, index) => {
    if (!names.includes(name) && (keep === undefined || keep.includes(name))) {
      names.push(name);
      kept.push(index);
    }
  });
  const layout: CsvRangeLayout = { width: head.header.length, kept };
  // The index of the next run to take, shared by both threads.
  const next = new Int32Array(new SharedArrayBuffer(4));
  const parsed: (CsvRangeRecords | undefined)[] = new Array(runs.length);
  const worker = startCsvRangeJob({ path, runs, next, layout }, (index, records) => (parsed[index] = records));
  let complete = true;
  try {
    const manyValued = new Set<number>();
    for (let k = Atomics.add(next, 0, 1); k < runs.length && complete; k = Atomics.add(next, 0, 1)) {
      parsed[k] = await parseCsvRange(
        createReadStream(path, { start: runs[k].start, end: runs[k].end - 1, highWaterMark: CHUNK_BYTES }),
        layout,
        manyValued,
      );
      complete = parsed[k] !== undefined;
    }
    // A run that cannot be read this way stops this thread; the worker stops at its next run.
    if (!complete) Atomics.store(next, 0, runs.length);
    complete = (await worker.parsed) && !parsed.includes(undefined);
  } catch (error) {
    // An error on either thread: the worker must not go on to parse and hash the file.
    worker.cancel();
    throw error;
  }
  if (!complete) {
    worker.cancel();
    return undefined;
  }
  return { table: joinRecords(file, head.header, names, parsed as CsvRangeRecords[]), sha256: worker.sha256 };
}

/** Files smaller than this are read on one thread: starting a worker would cost more than it saves. */
const MIN_SPLIT_BYTES = 16 << 20;
/**
 * About how long a run is: short enough that the thread that finishes last waits little
 * for the other (a run of 8 MB is parsed in about a tenth of a second), long enough that
 * the runs' own costs stay small.
 */
const RUN_BYTES = 8 << 20;
const MAX_RUNS = 256;
const CHUNK_BYTES = 1 << 20;

/** A run of whole records: the bytes [start, end) of the file. */
export interface CsvRun {
  readonly start: number;
  readonly end: number;
}

/**
 * The records in [from, size) cut into about `count` runs at line ends; undefined when a
 * cut finds no line end within 64 KB (a cut inside a quoted field is found by the parse).
 */
async function cutIntoRuns(path: string, from: number, size: number, count: number): Promise<CsvRun[] | undefined> {
  const runs: CsvRun[] = [];
  let start = from;
  for (let k = 1; k < count; k++) {
    const cut = await lineStartAfter(path, from + Math.floor(((size - from) * k) / count));
    if (cut === undefined) return undefined;
    if (cut <= start || cut >= size) continue;
    runs.push({ start, end: cut });
    start = cut;
  }
  runs.push({ start, end: size });
  return runs;
}

/**
 * The header record, when it is the file's first line and plain: no quote (a quoted name
 * could hold a line break) and no CR before its end. Undefined otherwise, or when
 * `checkHeader` finds a problem.
 */
async function readHeader(path: string, file: string): Promise<{ header: string[]; end: number } | undefined> {
  const bytes = await readBytes(path, 0, 1 << 16);
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  const line = bytes.subarray(0, newline);
  const cr = line.indexOf(13);
  if (line.includes(34) || (cr >= 0 && cr !== line.length - 1)) return undefined;
  // NUL (UTF-16 text, or not text) and a UTF-16 byte-order mark are for readCsv to refuse.
  if (line.includes(0) || line[0] === 0xff || line[0] === 0xfe) return undefined;
  const records: string[][] = [];
  const parser = new CsvChunkParser((fields) => records.push(fields));
  parser.pushBytes(line);
  parser.end();
  if (records.length !== 1) return undefined;
  const header = records[0].map(normalizeField);
  if (checkHeader(file, header).length > 0) return undefined;
  return { header, end: newline + 1 };
}

/** The position just after the first LF at or after `from` (within 64 KB), if any. */
async function lineStartAfter(path: string, from: number): Promise<number | undefined> {
  const bytes = await readBytes(path, from, 1 << 16);
  const newline = bytes.indexOf(10);
  return newline < 0 ? undefined : from + newline + 1;
}

async function readBytes(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The runs as one table: lines counted from the file's start, columns joined. */
function joinRecords(file: string, header: readonly string[], names: readonly string[], runs: readonly CsvRangeRecords[]): CsvTable {
  const lines: number[] = new Array(runs.reduce((n, run) => n + run.lines.length, 0));
  // The first run starts on line 2, after the one-line header; each next one where the last ended.
  let at = 0;
  let firstLine = 2;
  for (const run of runs) {
    for (let i = 0; i < run.lines.length; i++) lines[at++] = run.lines[i] + firstLine - 1;
    firstLine += run.nextLine - 1;
  }
  const columns: Record<string, string[]> = {};
  names.forEach((name, k) => (columns[name] = decodeColumn(...runs.map((run) => run.columns[k]))));
  return { file, header, columns, lines, rowCount: lines.length };
}

/**
 * What the worker does: take runs of a file's records by `next` (shared with the thread
 * that started it, which takes runs the same way) until none is left, then hash the file.
 */
export interface CsvRangeJob {
  readonly path: string;
  readonly runs: readonly CsvRun[];
  /** The index of the next run to take, on a SharedArrayBuffer. */
  readonly next: Int32Array;
  readonly layout: CsvRangeLayout;
}

export type CsvRangeMessage =
  | { readonly type: 'records'; readonly index: number; readonly records: CsvRangeRecords | undefined }
  | { readonly type: 'parsed' }
  | { readonly type: 'sha256'; readonly hex: string }
  | { readonly type: 'error'; readonly message: string };

/**
 * Runs a job, posting each run's records as it is parsed (columns packed, their arrays
 * transferred, not copied), then `parsed` when no run is left, then the hash.
 */
export async function runCsvRangeJob(
  job: CsvRangeJob,
  post: (message: CsvRangeMessage, transfer?: TransferListItem[]) => void,
): Promise<void> {
  const { runs, next } = job;
  const manyValued = new Set<number>();
  for (let k = Atomics.add(next, 0, 1); k < runs.length; k = Atomics.add(next, 0, 1)) {
    const parsed = await parseCsvRange(
      createReadStream(job.path, { start: runs[k].start, end: runs[k].end - 1, highWaterMark: CHUNK_BYTES }),
      job.layout,
      manyValued,
    );
    const records = parsed === undefined ? undefined : { ...parsed, columns: parsed.columns.map(packColumn) };
    const buffers =
      records === undefined
        ? []
        : [records.lines.buffer, ...records.columns.flatMap((c) => ('codes' in c ? [c.codes.buffer] : 'ends' in c ? [c.ends.buffer] : []))];
    post({ type: 'records', index: k, records }, buffers as TransferListItem[]);
    // A run that cannot be read this way ends the parse for both threads.
    if (records === undefined) Atomics.store(next, 0, runs.length);
  }
  post({ type: 'parsed' });
  post({ type: 'sha256', hex: await sha256File(job.path) });
}

// Without a compiled worker (vitest), the job runs in this thread, giving the same table.
const WORKER_URL = compiledWorkerUrl('./csv-range-worker.js', import.meta.url);

/**
 * Starts a job on a worker thread (in this thread where there is none to start): each
 * run's records go to `onRecords`; `parsed` resolves when the worker takes no more runs,
 * to false if a run could not be read this way.
 */
function startCsvRangeJob(
  job: CsvRangeJob,
  onRecords: (index: number, records: CsvRangeRecords | undefined) => void,
): { parsed: Promise<boolean>; sha256: Promise<string>; cancel: () => void } {
  let onParsed: (complete: boolean) => void = () => {};
  let onSha256: (hex: string) => void = () => {};
  let onError: (error: Error) => void = () => {};
  const parsed = new Promise<boolean>((resolve, reject) => {
    onParsed = resolve;
    onError = reject;
  });
  const sha256 = new Promise<string>((resolve, reject) => {
    onSha256 = resolve;
    const previous = onError;
    onError = (error) => {
      previous(error);
      reject(error);
    };
  });
  // A caller that gives up after the records (an invalid roster) never awaits the hash, and
  // awaits `parsed` only after parsing its own runs: a worker's failure before then must
  // not end the process as an unhandled rejection (the awaits still see it).
  sha256.catch(() => {});
  parsed.catch(() => {});
  let complete = true;
  const receive = (message: CsvRangeMessage) => {
    if (message.type === 'records') {
      complete &&= message.records !== undefined;
      onRecords(message.index, message.records);
    } else if (message.type === 'parsed') onParsed(complete);
    else if (message.type === 'sha256') onSha256(message.hex);
    else onError(new Error(`readCsvInParallel: the worker failed: ${message.message}`));
  };
  if (WORKER_URL === undefined) {
    runCsvRangeJob(job, receive).catch((error: Error) => onError(error));
    return { parsed, sha256, cancel: () => {} };
  }
  const worker = new Worker(WORKER_URL, { workerData: job });
  worker.on('message', receive);
  worker.on('error', (error) => onError(error));
  worker.on('exit', (code) => {
    if (code !== 0) onError(new Error(`readCsvInParallel: the worker exited with code ${code}`));
  });
  return { parsed, sha256, cancel: () => void worker.terminate() };
}
