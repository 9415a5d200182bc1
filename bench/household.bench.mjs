// What the household effect costs (docs/performance.md, "The household effect"): CPU
// seconds of estimateEffect at its defaults (4 chains x (1000 + 1000), refits as pilot
// analyze, in this thread) with and without the household effect, on one-district studies
// from the realistic simulator (REALISTIC_ABSENCES, 400 and 2,000 students). CPU time, not
// wall time: on a shared machine the wall time measures the others' load too.
//
// --network instead times a network of 41,500 students in 47 districts (as
// bench/analyze.bench.mjs's), each district drawn by the realistic simulator over a full
// year (170 school days): ONE chain of 1000 + 1000 per model, in this thread, without
// refits (CPU is scarce; a 4-chain fit costs about 4 times one chain's CPU).
// Runs the compiled library (npm run build first).
import { estimateEffect } from '../dist/analysis/estimate-effect.js';
import { createRng } from '../dist/random.js';
import { REALISTIC_ABSENCES, simulateRealisticModelTable } from '../dist/simulate/realistic-absences.js';

if (process.argv.includes('--network')) {
  await benchNetwork();
  process.exit(0);
}

console.log('| students | households with a term | model | CPU seconds | refits | effect parameter sd | bulk-ESS of it |');
console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: |');
for (const students of [400, 2000]) {
  const { table } = simulateRealisticModelTable(createRng(`household-bench-${students}`), { students, effect: 0.1, ...REALISTIC_ABSENCES });
  for (const householdEffect of [false, true]) {
    const before = process.cpuUsage();
    const result = await estimateEffect(table, { seed: 1, threads: 0, householdEffect });
    const cpu = process.cpuUsage(before);
    const h = result.model.household_effect;
    console.log(
      `| ${students} | ${h.households} | ${householdEffect ? 'household' : 'plain'} | ${((cpu.user + cpu.system) / 1e6).toFixed(1)} | ${result.diagnostics.refits.length} | ${result.effect_parameter.sd.toFixed(4)} | ${Math.round(result.diagnostics.ess_bulk_effect)} |`,
    );
  }
}

/** 41,500 students in 47 districts, each district a realistic one-district table renamed into the network. */
function realisticNetwork(total = 41500, districts = 47) {
  const table = [];
  for (let d = 0; d < districts; d++) {
    const students = Math.floor(total / districts) + (d < total % districts ? 1 : 0);
    const district = `D${String(d + 1).padStart(2, '0')}`;
    const one = simulateRealisticModelTable(createRng(`household-bench-network-${district}`), {
      students,
      effect: 0.05,
      windowDays: 170,
      ...REALISTIC_ABSENCES,
    });
    for (const row of one.table)
      table.push({
        ...row,
        student_id: `${district}-${row.student_id}`,
        block: `${district}|${row.block}`,
        district,
        household: `${district}-${row.household}`,
      });
  }
  return table;
}

async function benchNetwork() {
  const table = realisticNetwork();
  console.log(
    '| model | households with a term | CPU seconds, one chain of 1000 + 1000 | times 4 (a 4-chain fit) | ratio to plain | effect parameter sd | bulk-ESS of it per CPU second | divergences |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  let plainCpu;
  for (const householdEffect of [false, true]) {
    const before = process.cpuUsage();
    const result = await estimateEffect(table, {
      seed: 2026,
      chains: 1,
      warmup: 1000,
      draws: 1000,
      threads: 0,
      refit: false,
      householdEffect,
    });
    const cpu = process.cpuUsage(before);
    const seconds = (cpu.user + cpu.system) / 1e6;
    plainCpu ??= seconds;
    const d = result.diagnostics;
    console.log(
      `| ${householdEffect ? 'household' : 'plain'} | ${result.model.household_effect.households} | ${seconds.toFixed(1)} | ${(4 * seconds).toFixed(0)} | ${(seconds / plainCpu).toFixed(1)} | ${result.effect_parameter.sd.toFixed(4)} | ${(d.ess_bulk_effect / seconds).toFixed(1)} | ${d.divergences} |`,
    );
  }
}
