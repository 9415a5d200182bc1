// Benchmark of `pilot plan` (issue 17): a curve of 10 effects x 200 simulated studies
// (2,000 approximate fits) for 41,500 students in 47 districts, 8-week window, on two
// worker threads; target < 60 s wall on 2 cores. Runs the compiled CLI in dist/. Then a
// check that one thread and two give the same plan (each study has its own stream).

import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDesignFromSizes } from '../dist/planning/plan-design-from-sizes.js';
import { planStudy } from '../dist/planning/plan-study.js';
import { createRng } from '../dist/random.js';
import { measurePilot } from './measure.mjs';

console.log(
  `cores: ${availableParallelism()}, load average at start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const out = mkdtempSync(join(tmpdir(), 'pilot-plan-bench-'));
try {
  const args = [
    'plan',
    '--students',
    '41500',
    '--districts',
    '47',
    '--window-days',
    '40',
    '--simulations',
    '200',
    '--seed',
    '1',
    '--out',
    out,
  ];
  const { seconds, user, sys, peakMb, stdout } = measurePilot(args);
  console.log(
    `pilot ${args.slice(0, -2).join(' ')}: ${seconds.toFixed(1)} s wall, ${(user + sys).toFixed(1)} s CPU, peak ${peakMb.toFixed(0)} MB; load average ${loadavg()[0].toFixed(1)}`,
  );
  console.log(`  ${(((user + sys) * 1000) / 2000).toFixed(1)} ms CPU per simulated study (simulation and approximate fit)`);
  console.log(
    stdout
      .split('\n')
      .filter((line) => /False|Smallest/.test(line))
      .map((line) => `  ${line}`)
      .join('\n'),
  );
  if (seconds >= 60) console.log('  TARGET MISSED: < 60 s wall');
} finally {
  rmSync(out, { recursive: true, force: true });
}

const design = planDesignFromSizes(createRng('threads'), { students: 3000, districts: 3, windowDays: 40 });
const [one, two] = await Promise.all([1, 2].map((threads) => planStudy(design, { seed: 9, simulations: 60, threads })));
const same = JSON.stringify(one) === JSON.stringify(two);
console.log(`one thread and two give ${same ? 'the same plan' : 'DIFFERENT PLANS'}`);
if (!same) process.exitCode = 1;
