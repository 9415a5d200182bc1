// Coverage of the model's intervals on realistic data (docs/validation.md, "Realistic data:
// households and weekly shocks"): simulates --sets one-district studies with
// simulateRealisticModelTable (REALISTIC_ABSENCES unless overridden), fits each, and prints
// how often the 90% and 95% intervals of the effect cover truth.effect, with the spread of
// the estimates against the mean posterior sd. Data set i is drawn from
// deriveRng('realistic-coverage', `data-<i>`), so every method sees the same data.
//
//   node bench/realistic-coverage.mjs [--sets 300] [--from 0] [--students 400] [--effect 0]
//     [--method laplace|nuts] [--model plain|household|auto] [--compare 40]
//     [--warmup 500] [--draws 500] [--no-refit]
//     [--household-sd 0.5] [--weekly-shock-sd 0.8] [--daily-cap 0.9]
//
// --compare K also fits the first K data sets with NUTS (4 chains x (500 + 500)) and prints
// how far the Laplace fit is from it. --from K fits only data sets K to --sets - 1 (to finish a
// run that was stopped: each set's data and seed depend only on its index, so the per-set lines
// of two partial runs join into one). Runs the compiled library (npm run build first).
import { parseArgs } from 'node:util';
import { estimateEffect } from '../dist/analysis/estimate-effect.js';
import { estimateEffectLaplace } from '../dist/analysis/estimate-effect-laplace.js';
import { deriveRng } from '../dist/random.js';
import { REALISTIC_ABSENCES, simulateRealisticModelTable } from '../dist/simulate/realistic-absences.js';

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: '300' },
    from: { type: 'string', default: '0' },
    students: { type: 'string', default: '400' },
    effect: { type: 'string', default: '0' },
    method: { type: 'string', default: 'laplace' },
    model: { type: 'string', default: 'plain' },
    compare: { type: 'string', default: '0' },
    warmup: { type: 'string', default: '500' },
    draws: { type: 'string', default: '500' },
    'no-refit': { type: 'boolean', default: false },
    'household-sd': { type: 'string', default: String(REALISTIC_ABSENCES.householdSd) },
    'weekly-shock-sd': { type: 'string', default: String(REALISTIC_ABSENCES.weeklyShockSd) },
    'daily-cap': { type: 'string', default: String(REALISTIC_ABSENCES.dailyCap) },
  },
});
const sets = Number(values.sets);
const from = Number(values.from);
const simulation = {
  students: Number(values.students),
  effect: Number(values.effect),
  householdSd: Number(values['household-sd']),
  weeklyShockSd: Number(values['weekly-shock-sd']),
  dailyCap: Number(values['daily-cap']),
};
const nutsOptions = { chains: 4, warmup: Number(values.warmup), draws: Number(values.draws), threads: 0, refit: !values['no-refit'] };
const laplaceOptions = { chains: 2, draws: 1000 };
const modelOption = { householdEffect: values.model === 'plain' ? false : values.model === 'household' ? true : 'auto' };

async function fitOne(method, table, seed) {
  const options = { seed, ...modelOption, ...(method === 'nuts' ? nutsOptions : laplaceOptions) };
  return method === 'nuts' ? estimateEffect(table, options) : (await estimateEffectLaplace(table, options)).result;
}

function sd(xs) {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

const cpuStarted = process.cpuUsage();
const runs = [];
const comparisons = [];
for (let i = from; i < sets; i++) {
  const { table, truth } = simulateRealisticModelTable(deriveRng('realistic-coverage', `data-${i}`), simulation);
  const result = await fitOne(values.method, table, i + 1);
  runs.push({ truth: truth.effect, effect: result.effect, parameter: result.effect_parameter, flagged: result.diagnostics.flagged });
  // A line per data set, so a long run can be read (and stopped) part way.
  const e = result.effect;
  console.error(
    `set ${i} truth ${truth.effect.toFixed(4)} q05 ${e.q05.toFixed(4)} q95 ${e.q95.toFixed(4)} q025 ${e.q025.toFixed(4)} q975 ${e.q975.toFixed(4)} mean ${result.effect_parameter.mean.toFixed(4)} sd ${result.effect_parameter.sd.toFixed(4)} refits ${result.diagnostics.refits.length} flagged ${result.diagnostics.flagged}`,
  );
  if (i < Number(values.compare)) {
    const nuts = await fitOne('nuts', table, i + 1);
    const s = nuts.effect_parameter.sd;
    comparisons.push({
      meanInSd: (result.effect_parameter.mean - nuts.effect_parameter.mean) / s,
      sdRatio: result.effect_parameter.sd / s,
      q05InSd: (result.effect.q05 - nuts.effect.q05) / s,
      q95InSd: (result.effect.q95 - nuts.effect.q95) / s,
      pDiff: result.certainty['0'] - nuts.certainty['0'],
      sameCover:
        (nuts.effect.q05 <= truth.effect && truth.effect <= nuts.effect.q95) ===
        (result.effect.q05 <= truth.effect && truth.effect <= result.effect.q95),
    });
  }
}
// CPU time (the fits run in this thread): on a shared machine wall time measures the others' load too.
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const count = (test) => runs.filter(test).length;
const covered90 = count((r) => r.effect.q05 <= r.truth && r.truth <= r.effect.q95);
const covered95 = count((r) => r.effect.q025 <= r.truth && r.truth <= r.effect.q975);
const below = count((r) => r.truth < r.effect.q05);
const above = count((r) => r.truth > r.effect.q95);
const spread = sd(runs.map((r) => r.parameter.mean)) / (runs.reduce((a, r) => a + r.parameter.sd, 0) / runs.length);
const pct = (k) => `${((100 * k) / runs.length).toFixed(1)}%`;
console.log(
  `realistic coverage: ${JSON.stringify(simulation)}, ${values.method}${values.method === 'nuts' ? ` 4 x (${values.warmup} + ${values.draws})${values['no-refit'] ? ', no refits' : ''}` : ''}, model ${values.model}`,
);
console.log(
  '| data sets | covered at 90% | at 95% | truth below / above the 90% interval | sd of estimates / mean posterior sd | flagged | CPU seconds per fit |',
);
console.log('| ---: | ---: | ---: | --- | ---: | ---: | ---: |');
console.log(
  `| ${from > 0 ? `${from} to ${sets - 1}` : sets} | ${covered90} (${pct(covered90)}) | ${covered95} (${pct(covered95)}) | ${below} / ${above} | ${spread.toFixed(3)} | ${count((r) => r.flagged)} | ${(cpuSeconds / runs.length).toFixed(2)} |`,
);
if (comparisons.length > 0) {
  const mean = (f) => comparisons.reduce((a, c) => a + f(c), 0) / comparisons.length;
  const maxAbs = (f) => Math.max(...comparisons.map((c) => Math.abs(f(c))));
  console.log(`\n${values.method} against NUTS (4 x (500 + 500)) on the first ${comparisons.length} data sets:`);
  console.log('| quantity | mean | largest |');
  console.log('| --- | ---: | ---: |');
  console.log(
    `| effect parameter's mean, difference in NUTS sds | ${mean((c) => c.meanInSd).toFixed(3)} | ${maxAbs((c) => c.meanInSd).toFixed(3)} |`,
  );
  console.log(
    `| effect parameter's sd, ratio | ${mean((c) => c.sdRatio).toFixed(3)} | ${maxAbs((c) => c.sdRatio - 1).toFixed(3)} (from 1) |`,
  );
  console.log(`| q05 of the effect, difference in sds | ${mean((c) => c.q05InSd).toFixed(3)} | ${maxAbs((c) => c.q05InSd).toFixed(3)} |`);
  console.log(`| q95 of the effect, difference in sds | ${mean((c) => c.q95InSd).toFixed(3)} | ${maxAbs((c) => c.q95InSd).toFixed(3)} |`);
  console.log(`| P(effect > 0), difference | ${mean((c) => c.pDiff).toFixed(4)} | ${maxAbs((c) => c.pDiff).toFixed(4)} |`);
  console.log(`| same verdict on covering the truth | ${comparisons.filter((c) => c.sameCover).length} of ${comparisons.length} | |`);
}
