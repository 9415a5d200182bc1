// Benchmark of the effect engine (issue 7): wall time and effective samples per second of
// the effect parameter, 4 chains on worker threads, for
//   - the 7,656-student, 8-district Stan reference network (test/reference/network-8):
//     1000 warmup + 1000 draws (target < 20 s), then 1000 + 2000 as Stan ran it, with
//     Stan's own figures from its stan.json beside ours;
//   - 41,500 students in 47 districts, a full school year with every student's enrolment
//     and baseline days their own, so nearly every student is a group of one (target < 60 s);
// and a check that worker threads and a single thread give identical draws.
// Runs the compiled library from dist/ (`npm run bench` builds first). `--quick` skips the
// 1000 + 2000 run.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { estimateEffectWithDraws } from '../dist/analysis/estimate-effect.js';
import { prepareAbsenceModel } from '../dist/analysis/model/prepare-absence-model.js';
import { readModelTable } from '../dist/analysis/read-model-table.js';
import { simulateModelTable } from '../dist/simulate/simulate-model-table.js';
import { createRng } from '../dist/random.js';
import { measure } from './measure.mjs';

const quick = process.argv.includes('--quick');

function districtsOf(total, count) {
  return Array.from({ length: count }, (_, i) => ({ students: Math.floor(total / count) + (i < total % count ? 1 : 0) }));
}

async function bench(label, table, extra = {}) {
  const groups = prepareAbsenceModel(table).data.groupCell.length;
  const { seconds, result } = await measure(label, () => estimateEffectWithDraws(table, { seed: 2026, refit: false, ...extra }));
  const d = result.result.diagnostics;
  const ess = d.ess_bulk_effect;
  console.log(
    `  ${result.result.model.n} students in the fit (${groups} likelihood groups), ${result.result.model.n_districts} districts: ${seconds.toFixed(1)} s wall, ` +
      `bulk-ESS(${result.result.effect_parameter.name}) ${Math.round(ess)} -> ${(ess / seconds).toFixed(1)} ESS/s; ` +
      `R-hat max ${d.rhat_max.toFixed(3)}, divergences ${d.divergences}, treedepth>=10 ${d.treedepth_saturated}, adapt_delta ${d.adapt_delta}${d.refits.length > 0 ? ` after ${d.refits.length} refit(s)` : ''}; load average ${loadavg()[0].toFixed(1)}`,
  );
  return { seconds, ess, result };
}

console.log(`cores: ${availableParallelism()}, load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

const referencePath = new URL('../test/reference/network-8/data.csv', import.meta.url).pathname;
const stanPath = new URL('../test/reference/network-8/stan.json', import.meta.url).pathname;
const network8 = (await readModelTable({ path: referencePath }, referencePath)).value;
const stan = existsSync(stanPath) ? JSON.parse(readFileSync(stanPath, 'utf8')) : undefined;
// The target: what `pilot analyze` does by default (adapt_delta 0.8, refits when a check fails).
await bench('network-8 (Stan reference data), 4 x (1000 warmup + 1000 draws), defaults', network8, { refit: true });
if (!quick) {
  // Beside Stan: its settings, at the target acceptance of its final fit (fit.R escalates
  // while there are divergences and times only the final fit), no refits.
  const adaptDelta = stan?.adapt_delta ?? 0.8;
  const ours = await bench(`network-8, 4 x (1000 warmup + 2000 draws) as Stan ran it, adapt_delta ${adaptDelta}`, network8, { draws: 2000, adaptDelta });
  if (stan?.wall_seconds && stan?.ess_bulk_effect_parameter) {
    const stanRate = stan.ess_bulk_effect_parameter / stan.wall_seconds;
    console.log(
      `  Stan (rstan ${stan.rstan_version}, adapt_delta ${stan.adapt_delta}): ${stan.wall_seconds.toFixed(1)} s sampling + ${stan.compile_seconds.toFixed(1)} s compile, ` +
        `bulk-ESS ${Math.round(stan.ess_bulk_effect_parameter)} -> ${stanRate.toFixed(1)} ESS/s; ours ${(ours.ess / ours.seconds).toFixed(1)} ESS/s (${(ours.ess / ours.seconds / stanRate).toFixed(1)}x)`,
    );
  }
}

const network47 = simulateModelTable(createRng('bench-network-47'), { districts: districtsOf(41500, 47), windowDays: [150, 170], baselineDays: [160, 180], partialEnrolment: 0.06, attrition: 0.02 });
await bench('47 districts, 41,500 students, full year, 4 x (1000 warmup + 1000 draws), defaults', network47.table, { refit: true });

// Same seed, different thread counts: identical draws.
const small = simulateModelTable(createRng('bench-threads'), { districts: 3, studentsPerDistrict: 300 });
const opts = { seed: 5, warmup: 200, draws: 200, refit: false };
const [one, two] = [await estimateEffectWithDraws(small.table, { ...opts, threads: 0 }), await estimateEffectWithDraws(small.table, { ...opts, threads: 2 })];
const same = one.draws.names.every((name) => one.draws.values[name].every((chain, c) => chain.every((v, i) => v === two.draws.values[name][c][i])));
console.log(`identical draws in-thread and on 2 worker threads: ${same}`);
if (!same) process.exitCode = 1;
