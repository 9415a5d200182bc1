import { parentPort } from 'node:worker_threads';
import { deriveRng } from '../../random.js';
import { createModelLogDensity } from '../model/model-log-density.js';
import type { ChainRequest, WorkerMessage } from './run-chains.js';
import { sampleChain } from './sample-chain.js';

// A worker thread that runs chains of the absence model on request. Each chain draws
// from its own stream `deriveRng(seed, 'chain-<i>')`, so the draws do not depend on
// which thread runs it or when.
const port = parentPort;
if (port) {
  port.on('message', (request: ChainRequest) => {
    try {
      const density = createModelLogDensity(request.model);
      const output = sampleChain(density, request.options, deriveRng(request.seed, `chain-${request.chain}`), (done) => {
        port.postMessage({ type: 'progress', chain: request.chain, done } satisfies WorkerMessage);
      });
      port.postMessage({ type: 'done', chain: request.chain, output } satisfies WorkerMessage, [output.draws.buffer as ArrayBuffer]);
    } catch (error) {
      port.postMessage({
        type: 'error',
        chain: request.chain,
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerMessage);
    }
  });
}
