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
 * `readCsv` for a large file on two threads: the records are split at a line end near the
 * middle, this thread parses the first part while a worker parses the second and then
 * hashes the whole file. The table is the one `readCsv` returns, value for value.
 *
 * Only a file read without any issue is read this way. Anything unusual (a small or
 * gzipped file, quotes or a lone CR in the header, a bad header, a ragged row, a syntax
 * error, a split that fell inside a quoted field) returns undefined, and the caller reads
 * the file with `readCsv`, which reports every problem with its row and column as always.
 */
export async function readCsvInParallel(
  path: string,
  file: string,
  keep?: readonly string[],
  { minSplitBytes = MIN_SPLIT_BYTES }: { readonly minSplitBytes?: number } = {},
): Promise<{ table: CsvTable; sha256: Promise<string> } | undefined> {
  if (path.endsWith('.gz')) return undefined;
  // A file that is missing, a folder or unreadable is left for readCsv to report.
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile() || info.size < minSplitBytes) return undefined;
  const size = info.size;
  const head = await readHeader(path, file).catch(() => undefined);
  if (head === undefined) return undefined;
  const split = await lineStartAfter(path, Math.floor(size * FIRST_PART));
  if (split === undefined || split <= head.end || split >= size) return undefined;

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
  const second = startCsvRangeJob({ path, start: split, end: size, layout });
  const first = await parseCsvRange(createReadStream(path, { start: head.end, end: split - 1, highWaterMark: CHUNK_BYTES }), layout);
  const rest = await second.records;
  if (first === undefined || rest === undefined) {
    second.cancel();
    return undefined;
  }
  return { table: joinRecords(file, head.header, names, first, rest), sha256: second.sha256 };
}

/** Files smaller than this are read on one thread: starting a worker would cost more than it saves. */
const MIN_SPLIT_BYTES = 16 << 20;
/**
 * Where the split goes: the middle. The worker hashes the file after sending its records,
 * while this thread joins the parts and validates them, so the hash is off the critical path.
 */
const FIRST_PART = 0.5;
const CHUNK_BYTES = 1 << 20;

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

/** The two parts as one table: lines counted from the file's start, columns joined. */
function joinRecords(file: string, header: readonly string[], names: readonly string[], first: CsvRangeRecords, second: CsvRangeRecords): CsvTable {
  // The first part starts on line 2, after the one-line header; the second where the first ended.
  const lines: number[] = new Array(first.lines.length + second.lines.length);
  for (let i = 0; i < first.lines.length; i++) lines[i] = first.lines[i] + 1;
  for (let i = 0; i < second.lines.length; i++) lines[first.lines.length + i] = second.lines[i] + first.nextLine;
  const columns: Record<string, string[]> = {};
  names.forEach((name, k) => (columns[name] = decodeColumn(first.columns[k], second.columns[k])));
  return { file, header, columns, lines, rowCount: lines.length };
}

/** What the worker does: parse the records in [start, end) of a file, then hash the whole file. */
export interface CsvRangeJob {
  readonly path: string;
  readonly start: number;
  readonly end: number;
  readonly layout: CsvRangeLayout;
}

export type CsvRangeMessage =
  | { readonly type: 'records'; readonly records: CsvRangeRecords | undefined }
  | { readonly type: 'sha256'; readonly hex: string }
  | { readonly type: 'error'; readonly message: string };

/** Runs a job, posting the records (columns packed, their arrays transferred, not copied) and then the hash. */
export async function runCsvRangeJob(job: CsvRangeJob, post: (message: CsvRangeMessage, transfer?: TransferListItem[]) => void): Promise<void> {
  const parsed = await parseCsvRange(createReadStream(job.path, { start: job.start, end: job.end - 1, highWaterMark: CHUNK_BYTES }), job.layout);
  const records = parsed === undefined ? undefined : { ...parsed, columns: parsed.columns.map(packColumn) };
  const buffers = records === undefined ? [] : [records.lines.buffer, ...records.columns.flatMap((c) => ('codes' in c ? [c.codes.buffer] : 'ends' in c ? [c.ends.buffer] : []))];
  post({ type: 'records', records }, buffers as TransferListItem[]);
  post({ type: 'sha256', hex: await sha256File(job.path) });
}

// Without a compiled worker (vitest), the job runs in this thread, giving the same table.
const WORKER_URL = compiledWorkerUrl('./csv-range-worker.js', import.meta.url);

/** Starts a job on a worker thread (in this thread where there is none to start). */
function startCsvRangeJob(job: CsvRangeJob): { records: Promise<CsvRangeRecords | undefined>; sha256: Promise<string>; cancel: () => void } {
  let onRecords: (records: CsvRangeRecords | undefined) => void = () => {};
  let onSha256: (hex: string) => void = () => {};
  let onError: (error: Error) => void = () => {};
  const records = new Promise<CsvRangeRecords | undefined>((resolve, reject) => {
    onRecords = resolve;
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
  // A caller that gives up after the records (an invalid roster) never awaits the hash.
  sha256.catch(() => {});
  const receive = (message: CsvRangeMessage) => {
    if (message.type === 'records') onRecords(message.records);
    else if (message.type === 'sha256') onSha256(message.hex);
    else onError(new Error(`readCsvInParallel: the worker failed: ${message.message}`));
  };
  if (WORKER_URL === undefined) {
    runCsvRangeJob(job, receive).catch((error: Error) => onError(error));
    return { records, sha256, cancel: () => {} };
  }
  const worker = new Worker(WORKER_URL, { workerData: job });
  worker.on('message', receive);
  worker.on('error', (error) => onError(error));
  worker.on('exit', (code) => {
    if (code !== 0) onError(new Error(`readCsvInParallel: the worker exited with code ${code}`));
  });
  return { records, sha256, cancel: () => void worker.terminate() };
}
