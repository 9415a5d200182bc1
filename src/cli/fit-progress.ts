import cliProgress from 'cli-progress';
import type { FitProgress } from '../analysis/estimate-effect.js';
import type { CliIo } from './io.js';

/**
 * Sampling progress on stderr: a bar on a terminal; otherwise (logs, CI, tests) a plain
 * line every quarter of each fit, so a refit at a higher adapt_delta shows as its own run.
 */
export function fitProgress(io: CliIo): { onProgress: (p: FitProgress) => void; stop: () => void } {
  if (!io.interactive) {
    let last = -1;
    return {
      onProgress: (p) => {
        const quarter = Math.floor((4 * p.done) / p.total);
        const key = 5 * p.attempt + quarter;
        if (key !== last && quarter > 0) io.stderr(`sampling (adapt_delta ${p.adaptDelta}): ${25 * quarter}%`);
        last = key;
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'sampling (adapt_delta {delta}) [{bar}] {percentage}% | ETA {eta}s', clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let attempt = -1;
  return {
    onProgress: (p) => {
      if (p.attempt !== attempt) {
        if (attempt >= 0) bar.stop();
        bar.start(p.total, 0, { delta: p.adaptDelta });
        attempt = p.attempt;
      }
      bar.update(p.done, { delta: p.adaptDelta });
    },
    stop: () => bar.stop(),
  };
}
