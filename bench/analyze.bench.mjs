// Benchmark of the effect engine (issue 7): wall time and effective samples per second of
// the effect parameter, 4 chains on worker threads, for
//   - the 7,656-student, 8-district Stan reference network (test/reference/network-8):
//     1000 warmup + 1000 draws (target < 20 s), then 1000 + 2000 as Stan ran it, with
//     Stan's own figures from its stan.json beside ours;
//   - 41,500 students in 47 districts (target < 60 s): a full school year with every
//     student's enrolment and baseline days their own, so nearly every student is a
//     likelihood group of one; and an 8-week window, where many students share one;
// and a check that worker threads and a single thread give identical draws.
// Runs the compiled library from dist/ (`npm run bench` builds first). `--quick` skips the
// 1000 + 2000 run.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { estimateEffectWithDraws } from '../dist/analysis/estimate-effect.js';
import { prepareAbsenceModel } from '../dist/analysis/model/prepare-absence-model.js';
import { readModelTable } from '../dist/data/read-model-table.js';
import { createRng } from '../dist/random.js';
import { simulateModelTable } from '../dist/simulate/simulate-model-table.js';
import { measure } from './measure.mjs';

const quick = process.argv.includes('--quick');

function districtsOf(total, count) {
  return Array.from({ length: count }, (_, i) => ({ students: Math.floor(total / count) + (i < total % count ? 1 : 0) }));
}

async function bench(label, table, extra = {}) {
  const groups = prepareAbsenceModel(table).data.groupCell.length;
  // CPU seconds over every thread of this process: on a shared machine the wall time
  // measures the other users' load too, CPU time much less so.
  const cpuBefore = process.cpuUsage();
  const { seconds, result } = await measure(label, () => estimateEffectWithDraws(table, { seed: 2026, refit: false, ...extra }));
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const d = result.result.diagnostics;
  const ess = d.ess_bulk_effect;
  console.log(
    `  ${result.result.model.n} students in the fit (${groups} likelihood groups), ${result.result.model.n_districts} districts: ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU; ` +
      `bulk-ESS(${result.result.effect_parameter.name}) ${Math.round(ess)} -> ${(ess / seconds).toFixed(1)} ESS/s wall, ${(ess / cpuSeconds).toFixed(1)} per CPU second; ` +
      `R-hat max ${d.rhat_max.toFixed(3)}, divergences ${d.divergences}, treedepth>=10 ${d.treedepth_saturated}, adapt_delta ${d.adapt_delta}${d.refits.length > 0 ? ` after ${d.refits.length} refit(s)` : ''}; load average ${loadavg()[0].toFixed(1)}`,
  );
  return { seconds, cpuSeconds, ess, result };
}

console.log(
  `cores: ${availableParallelism()}, load average at start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

const referencePath = new URL('../test/reference/network-8/data.csv', import.meta.url).pathname;
const stanPath = new URL('../test/reference/network-8/stan.json', import.meta.url).pathname;
const network8 = (await readModelTable({ path: referencePath }, referencePath)).value;
const stan = existsSync(stanPath) ? JSON.parse(readFileSync(stanPath, 'utf8')) : undefined;
// The target: one fit at adapt_delta 0.8, as Stan was timed. (`pilot analyze` would refit
// at 0.95 and 0.99 when a fit has divergences; docs/performance.md says so.)
await bench('network-8 (Stan reference data), 4 x (1000 warmup + 1000 draws), one fit at adapt_delta 0.8', network8);
if (!quick) {
  // Beside Stan: its settings, at the target acceptance of its final fit (fit.R escalates
  // while there are divergences and times only the final fit), no refits.
  const adaptDelta = stan?.adapt_delta ?? 0.8;
  const ours = await bench(`network-8, 4 x (1000 warmup + 2000 draws) as Stan ran it, adapt_delta ${adaptDelta}`, network8, {
    draws: 2000,
    adaptDelta,
  });
  if (stan?.wall_seconds && stan?.ess_bulk_effect_parameter) {
    const stanRate = stan.ess_bulk_effect_parameter / stan.wall_seconds;
    console.log(
      `  Stan (rstan ${stan.rstan_version}, adapt_delta ${stan.adapt_delta}), from stan.json: ${stan.wall_seconds.toFixed(1)} s sampling wall + ${stan.compile_seconds.toFixed(1)} s compile, ` +
        `bulk-ESS ${Math.round(stan.ess_bulk_effect_parameter)} -> ${stanRate.toFixed(1)} ESS/s wall; ours ${(ours.ess / ours.seconds).toFixed(1)} ESS/s wall`,
    );
  }
  // Stan's CPU time, from test/reference/time-stan.R (chains one after another in one process).
  const timingPath = new URL('../test/reference/network-8/stan-timing.json', import.meta.url).pathname;
  if (existsSync(timingPath)) {
    const timing = JSON.parse(readFileSync(timingPath, 'utf8'));
    const stanPerCpu = timing.ess_bulk_effect_parameter / timing.sampling_cpu_seconds;
    console.log(
      `  Stan, CPU time (time-stan.R): ${timing.sampling_cpu_seconds.toFixed(1)} s CPU sampling, bulk-ESS ${Math.round(timing.ess_bulk_effect_parameter)} -> ${stanPerCpu.toFixed(1)} per CPU second; ` +
        `ours ${(ours.ess / ours.cpuSeconds).toFixed(1)} per CPU second (${(ours.ess / ours.cpuSeconds / stanPerCpu).toFixed(1)}x)`,
    );
  }
}

const network47 = simulateModelTable(createRng('bench-network-47'), {
  districts: districtsOf(41500, 47),
  windowDays: [150, 170],
  baselineDays: [160, 180],
  partialEnrolment: 0.06,
  attrition: 0.02,
});
await bench('47 districts, 41,500 students, full year, 4 x (1000 warmup + 1000 draws), one fit at adapt_delta 0.8', network47.table);
// The same size over an 8-week window with everyone's baseline over the same 60 days (the
// simulator's defaults): students with equal counts share a likelihood term, so it is cheaper.
const network47Window = simulateModelTable(createRng('bench-network-47'), { districts: districtsOf(41500, 47) });
await bench(
  '47 districts, 41,500 students, 8-week window, 4 x (1000 warmup + 1000 draws), one fit at adapt_delta 0.8',
  network47Window.table,
);

// Same seed, different thread counts: identical draws.
const small = simulateModelTable(createRng('bench-threads'), { districts: 3, studentsPerDistrict: 300 });
const opts = { seed: 5, warmup: 200, draws: 200, refit: false };
const [one, two] = [
  await estimateEffectWithDraws(small.table, { ...opts, threads: 0 }),
  await estimateEffectWithDraws(small.table, { ...opts, threads: 2 }),
];
const same = one.draws.names.every((name) =>
  one.draws.values[name].every((chain, c) => chain.every((v, i) => v === two.draws.values[name][c][i])),
);
console.log(`identical draws in-thread and on 2 worker threads: ${same}`);
if (!same) process.exitCode = 1;
