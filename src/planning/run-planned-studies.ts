import { Worker } from 'node:worker_threads';
import { DECISION_RULES } from '../analysis/decide-effect.js';
import type { EffectPrior } from '../analysis/model/effect-prior.js';
import { compiledWorkerUrl } from '../compiled-worker.js';
import { deriveRng } from '../random.js';
import { createFastRandom } from './fast-random.js';
import { fitDistrictEffects } from './fit-district-effects.js';
import type { PlanAssumptions } from './plan-assumptions.js';
import type { PlanDesign } from './plan-design.js';
import { effectCertainty, poolDistrictEffects } from './pool-district-effects.js';
import type { PlanModel } from './prepare-plan-model.js';
import { preparePlanModel } from './prepare-plan-model.js';
import type { PlannedStudy } from './simulate-planned-study.js';
import { simulatePlannedStudy } from './simulate-planned-study.js';

/** One study to simulate: its stream's label and its true effect, fixed or drawn from a prior. */
export interface StudyTask {
  readonly label: string;
  readonly effect?: number;
  readonly effectPrior?: { readonly mean: number; readonly sd: number };
}

/** What the analysis would conclude from each study, approximately: certainties under both rules. */
export interface StudyOutcomes {
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly converged: Uint8Array;
}

/** The settings every study of a plan shares. */
export interface PlanRun {
  readonly design: PlanDesign;
  readonly assumptions: PlanAssumptions;
  readonly prior: EffectPrior;
  readonly seed: number | string;
}

/**
 * Simulates one study from its own stream `deriveRng(seed, label)` and computes the
 * approximate certainties; the true effect of a prior's task is the stream's first draw
 * (redrawn until below 0.99: an effect must leave some absences).
 */
export function runPlannedStudy(
  model: PlanModel,
  run: PlanRun,
  task: StudyTask,
): { study: PlannedStudy; low: number; high: number; converged: boolean } {
  const random = createFastRandom(deriveRng(run.seed, task.label));
  let effect = task.effect ?? NaN;
  if (task.effectPrior) {
    do effect = task.effectPrior.mean + task.effectPrior.sd * random.normal();
    while (!(effect < 0.99));
  }
  const study = simulatePlannedStudy(model, Math.log(1 - effect), random);
  const fit = fitDistrictEffects(model, study);
  const posterior = poolDistrictEffects(fit.estimate, fit.variance, run.prior);
  return {
    study,
    low: effectCertainty(posterior, DECISION_RULES.low.threshold),
    high: effectCertainty(posterior, DECISION_RULES.high.threshold),
    converged: fit.converged,
  };
}

/** Runs tasks `from` to `to` in this thread; task t's outcome goes to place `t - offset` of `into`. */
export function runTaskRange(
  model: PlanModel,
  run: PlanRun,
  tasks: readonly StudyTask[],
  from: number,
  to: number,
  into: StudyOutcomes,
  offset = 0,
): void {
  for (let t = from; t < to; t++) {
    const outcome = runPlannedStudy(model, run, tasks[t]);
    into.low[t - offset] = outcome.low;
    into.high[t - offset] = outcome.high;
    into.converged[t - offset] = outcome.converged ? 1 : 0;
  }
}

/** What the planning worker is given once, and then asked for range by range. */
export interface PlanWorkerData {
  readonly run: PlanRun;
  readonly tasks: readonly StudyTask[];
}
export type PlanWorkerReply =
  | { readonly from: number; readonly low: Float64Array; readonly high: Float64Array; readonly converged: Uint8Array }
  | { readonly error: string };

// Without a compiled worker (vitest) the studies run in this thread, with the same streams.
const WORKER_URL = compiledWorkerUrl('./plan-worker.js', import.meta.url);
const CHUNK = 25;

/**
 * Runs every task, on `threads` worker threads when there is a compiled worker (default
 * 2); in this thread, on `model` when it is given (each worker prepares its own). Each
 * study has its own stream, so the outcomes do not depend on the threads.
 */
export async function runPlannedStudies(
  run: PlanRun,
  tasks: readonly StudyTask[],
  options: { readonly threads?: number; readonly onProgress?: (done: number, total: number) => void; readonly model?: PlanModel } = {},
): Promise<StudyOutcomes> {
  const n = tasks.length;
  const outcomes: StudyOutcomes = { low: new Float64Array(n), high: new Float64Array(n), converged: new Uint8Array(n) };
  const threads = Math.min(options.threads ?? 2, Math.ceil(n / CHUNK));
  let done = 0;
  if (threads <= 1 || WORKER_URL === undefined) {
    const model = options.model ?? preparePlanModel(run.design, run.assumptions);
    for (let from = 0; from < n; from += CHUNK) {
      runTaskRange(model, run, tasks, from, Math.min(n, from + CHUNK), outcomes);
      done = Math.min(n, from + CHUNK);
      options.onProgress?.(done, n);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return outcomes;
  }
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_URL, { workerData: { run, tasks } satisfies PlanWorkerData }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const startNext = () => {
              if (next >= n) return resolve();
              const from = next;
              next = Math.min(n, next + CHUNK);
              worker.postMessage({ from, to: next });
            };
            worker.on('message', (reply: PlanWorkerReply) => {
              if ('error' in reply) return reject(new Error(`runPlannedStudies: a worker failed: ${reply.error}`));
              outcomes.low.set(reply.low, reply.from);
              outcomes.high.set(reply.high, reply.from);
              outcomes.converged.set(reply.converged, reply.from);
              done += reply.low.length;
              options.onProgress?.(done, n);
              startNext();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`runPlannedStudies: a worker thread exited with code ${code}`));
            });
            startNext();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outcomes;
}
