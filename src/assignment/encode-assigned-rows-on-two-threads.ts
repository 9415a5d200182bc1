import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../compiled-worker.js';
import type { AssignedRows } from './assign-blocked.js';
import { assignedRowsPart, encodeAssignedRows, encodeAssignedRowsPartInBlocks } from './format-assignments.js';

/** Below this many rows one thread writes them all: a worker would cost more than it saves. */
const MIN_ROWS = 200_000;

/**
 * The worker's share of the rows: more than half, because this thread computes the
 * balance (about a third of the time the rows take) while the worker writes its part.
 */
const WORKER_SHARE = 0.55;

// Without a compiled worker (vitest), every row is written in this thread.
const WORKER_URL = compiledWorkerUrl('./encode-assignments-worker.js', import.meta.url);

/**
 * A worker for `encodeAssignedRowsOnTwoThreads`, started before the rows exist (a thread
 * takes a tenth of a second to start), or undefined where one thread will write them all.
 */
export function startEncodingWorker(rowCount: number): Worker | undefined {
  if (rowCount < MIN_ROWS || WORKER_URL === undefined) return undefined;
  const worker = new Worker(WORKER_URL);
  // Until it is given rows, it does not keep the process alive (if assigning fails, say).
  worker.unref();
  return worker;
}

/**
 * `encodeAssignedRows` on two threads: a worker (`startEncodingWorker`) writes the later
 * rows while this thread writes the first. The result is the file as parts (this thread's
 * 1 MB blocks, then the worker's part), not joined: written and hashed one after the other,
 * they are the same bytes, and joining them would copy the whole file once more.
 * This thread's part is written before the promise is returned (nothing is awaited
 * before it), so the caller can do other work while the worker finishes.
 */
export async function encodeAssignedRowsOnTwoThreads(
  rows: AssignedRows,
  worker = startEncodingWorker(rows.roster.count),
): Promise<readonly Uint8Array[]> {
  const n = rows.roster.count;
  if (worker === undefined) return [encodeAssignedRows(rows)];
  const split = Math.floor(n * (1 - WORKER_SHARE));
  const later = new Promise<Uint8Array>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`encodeAssignedRowsOnTwoThreads: the worker exited with code ${code} before writing its rows`)),
    );
  });
  worker.ref();
  try {
    worker.postMessage(assignedRowsPart(rows, split, n, { packed: true }));
    const first = encodeAssignedRowsPartInBlocks(assignedRowsPart(rows, 0, split), true);
    const second = await later;
    return [...first, second];
  } finally {
    // Also when this thread's part failed: a worker left running would keep the process alive.
    later.catch(() => {});
    await worker.terminate();
  }
}
