// Helpers for benchmarks: wall time and peak resident memory, of this process or of a
// `pilot` command run as a user runs it.
import { spawnSync } from 'node:child_process';
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

/**
 * Runs `pilot args` (the compiled CLI in dist/) in its own process under /usr/bin/time,
 * which prints on the child's stderr its user and sys CPU seconds and its peak resident
 * kB. Returns those with the wall seconds and the command's stdout; throws if it fails.
 * The machine is often shared: on a busy one the CPU time is the figure to compare.
 */
export function measurePilot(args) {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', process.execPath, 'dist/cli/main.js', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, TZ: 'UTC' },
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`pilot ${args[0]} failed:\n${result.stderr.slice(-2000)}`);
  const [user, sys, peakKb] = result.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { seconds, user, sys, peakMb: peakKb / 1024, stdout: result.stdout };
}
