import { parentPort, workerData } from 'node:worker_threads';
import { preparePlanModel } from './prepare-plan-model.js';
import type { PlanWorkerData, PlanWorkerReply } from './run-planned-studies.js';
import { runTaskRange } from './run-planned-studies.js';

// A worker thread that runs ranges of a plan's simulated studies. The design is prepared
// once; each study draws from its own stream, so which thread runs it does not matter.
const port = parentPort;
if (port) {
  const { run, tasks } = workerData as PlanWorkerData;
  const model = preparePlanModel(run.design, run.assumptions);
  port.on('message', ({ from, to }: { from: number; to: number }) => {
    try {
      const into = { low: new Float64Array(to - from), high: new Float64Array(to - from), converged: new Uint8Array(to - from) };
      runTaskRange(model, run, tasks, from, to, into, from);
      const reply: PlanWorkerReply = { from, ...into };
      port.postMessage(reply, [into.low.buffer, into.high.buffer, into.converged.buffer]);
    } catch (error) {
      port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies PlanWorkerReply);
    }
  });
}
