import { Worker } from 'node:worker_threads';
import { compiledWorkerUrl } from '../../compiled-worker.js';
import { deriveRng } from '../../random.js';
import type { AbsenceModelData } from '../model/absence-model-data.js';
import { createModelLogDensity } from '../model/model-log-density.js';
import type { ChainOptions, ChainOutput } from './sample-chain.js';
import { DEFAULT_CHAIN_OPTIONS, sampleChain } from './sample-chain.js';

/** What a worker is asked to do: one chain of the absence model. */
export interface ChainRequest {
  readonly model: AbsenceModelData;
  readonly options: Partial<ChainOptions>;
  readonly seed: number | string;
  readonly chain: number;
}

export type WorkerMessage =
  | { readonly type: 'progress'; readonly chain: number; readonly done: number }
  | { readonly type: 'done'; readonly chain: number; readonly output: ChainOutput }
  | { readonly type: 'error'; readonly chain: number; readonly message: string };

export interface RunChainsOptions {
  readonly chains: number;
  readonly seed: number | string;
  /** Worker threads; default one per chain. 0 runs every chain in this thread. */
  readonly threads?: number;
  /** Per chain, options that override `chainOptions` for it (a warm start: `init`, `initInverseMetric`, `initStepSize`). */
  readonly perChain?: readonly Partial<ChainOptions>[];
  /** Called with the iterations done so far, summed over chains. */
  readonly onProgress?: (done: number, total: number) => void;
}

// Without a compiled worker (vitest), chains run in this thread, with the same per-chain
// streams and therefore the same draws.
const WORKER_URL = compiledWorkerUrl('./chain-worker.js', import.meta.url);

/**
 * Runs `chains` chains of the absence model, in parallel on worker threads when
 * available. Chain i always uses `deriveRng(seed, 'chain-i')`, so the same model,
 * options and seed give identical draws whatever the number of threads.
 */
export async function runChains(
  model: AbsenceModelData,
  chainOptions: Partial<ChainOptions>,
  options: RunChainsOptions,
): Promise<ChainOutput[]> {
  const total =
    options.chains * ((chainOptions.warmup ?? DEFAULT_CHAIN_OPTIONS.warmup) + (chainOptions.draws ?? DEFAULT_CHAIN_OPTIONS.draws));
  const done = new Array<number>(options.chains).fill(0);
  const report = (chain: number, count: number) => {
    done[chain] = count;
    options.onProgress?.(
      done.reduce((s, v) => s + v, 0),
      total,
    );
  };
  // One thread per chain even on fewer cores: chains differ in length (one that adapted a
  // smaller step size takes longer), and the operating system sharing the cores among all
  // of them finishes sooner than cores taking whole chains in turn.
  const threads = Math.min(options.chains, options.threads ?? options.chains);
  const optionsOf = (chain: number): Partial<ChainOptions> => ({ ...chainOptions, ...options.perChain?.[chain] });
  if (threads <= 0 || WORKER_URL === undefined) {
    const outputs: ChainOutput[] = [];
    for (let chain = 0; chain < options.chains; chain++) {
      const density = createModelLogDensity(model);
      outputs.push(sampleChain(density, optionsOf(chain), deriveRng(options.seed, `chain-${chain}`), (count) => report(chain, count)));
      // Let the event loop breathe between chains (progress bars, signals).
      await new Promise((resolve) => setImmediate(resolve));
    }
    return outputs;
  }

  const outputs = new Array<ChainOutput>(options.chains);
  let next = 0;
  const workers = Array.from({ length: threads }, () => new Worker(WORKER_URL));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const startNext = () => {
              if (next >= options.chains) return resolve();
              const chain = next++;
              worker.postMessage({ model, options: optionsOf(chain), seed: options.seed, chain } satisfies ChainRequest);
            };
            worker.on('message', (message: WorkerMessage) => {
              if (message.type === 'progress') report(message.chain, message.done);
              else if (message.type === 'done') {
                outputs[message.chain] = message.output;
                startNext();
              } else reject(new Error(`runChains: chain ${message.chain} failed: ${message.message}`));
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`runChains: a worker thread exited with code ${code}`));
            });
            startNext();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outputs;
}
