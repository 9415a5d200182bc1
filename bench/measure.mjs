// Helpers for benchmarks: wall time and peak resident memory of this process.
import { performance } from 'node:perf_hooks';

/** Runs `work`, prints and returns its wall seconds; peak RSS is the process's so far. */
export async function measure(label, work) {
  const start = performance.now();
  const result = await work();
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label}: ${seconds.toFixed(2)} s wall, peak RSS ${peakMemoryMb().toFixed(0)} MB`);
  return { seconds, result };
}

/** Peak resident set size of this process in MB (maxRSS is in kilobytes). */
export function peakMemoryMb() {
  return process.resourceUsage().maxRSS / 1024;
}
