import { parentPort } from 'node:worker_threads';
import type { AssignedRowsPart } from './format-assignments.js';
import { encodeAssignedRowsPart } from './format-assignments.js';

// A worker thread that writes the later rows of assignments.csv (see
// `encodeAssignedRowsOnTwoThreads`) and hands the bytes back without copying them. It is
// started before the rows exist, and waits for them.
const port = parentPort;
port?.once('message', (part: AssignedRowsPart) => {
  const bytes = encodeAssignedRowsPart(part, false);
  // A Buffer may sit in a shared pool: copy it into an ArrayBuffer of its own to transfer.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : Buffer.from(bytes);
  port.postMessage(own, [own.buffer as ArrayBuffer]);
});
