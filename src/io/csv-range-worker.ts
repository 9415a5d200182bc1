import { parentPort, workerData } from 'node:worker_threads';
import type { CsvRangeJob } from './read-csv-in-parallel.js';
import { runCsvRangeJob } from './read-csv-in-parallel.js';

// A worker thread that takes runs of a CSV file's records from the counter it shares with
// the main thread and parses them until none is left, then hashes the whole file (see
// `readCsvInParallel`). The records go back first, so the main thread can merge and
// validate them while the hash is computed.
const port = parentPort;
if (port) {
  runCsvRangeJob(workerData as CsvRangeJob, (message, transfer) => port.postMessage(message, transfer)).catch((error: unknown) => {
    port.postMessage({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
}
