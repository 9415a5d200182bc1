import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../compiled-worker.js';
import type { AssignedRows } from './assign-blocked.js';
import { assignedRowsPart, encodeAssignedRows, encodeAssignedRowsPartInBlocks } from './format-assignments.js';

/** Below this many rows one thread writes them all: a worker would cost more than it saves. */
const MIN_ROWS = 200_000;

// Without a compiled worker (vitest), every row is written in this thread.
const WORKER_URL = compiledWorkerUrl('./encode-assignments-worker.js', import.meta.url);

/**
 * `encodeAssignedRows` on two threads: a worker writes the second half of the rows while
 * this thread writes the first. The result is the file as parts (this thread's 1 MB blocks,
 * then the worker's half), not joined: written and hashed one after the other, they are
 * the same bytes, and joining them would copy the whole file once more.
 * This thread's half is written before the promise is returned (nothing is awaited
 * before it), so the caller can do other work while the worker finishes.
 */
export async function encodeAssignedRowsOnTwoThreads(rows: AssignedRows): Promise<readonly Uint8Array[]> {
  const n = rows.roster.count;
  if (n < MIN_ROWS || WORKER_URL === undefined) return [encodeAssignedRows(rows)];
  const half = Math.floor(n / 2);
  const worker = new Worker(WORKER_URL, { workerData: assignedRowsPart(rows, half, n, { packed: true }) });
  const later = new Promise<Uint8Array>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`encodeAssignedRowsOnTwoThreads: the worker exited with code ${code} before writing its rows`)));
  });
  const first = encodeAssignedRowsPartInBlocks(assignedRowsPart(rows, 0, half), true);
  try {
    const second = await later;
    return [...first, second];
  } finally {
    await worker.terminate();
  }
}
