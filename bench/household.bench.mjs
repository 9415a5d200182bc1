// What the household effect costs (docs/performance.md, "The household effect"): CPU
// seconds of estimateEffect at its defaults (4 chains x (1000 + 1000), refits as pilot
// analyze, in this thread) with and without the household effect, on one-district studies
// from the realistic simulator (REALISTIC_ABSENCES, 400 and 2,000 students). CPU time, not
// wall time: on a shared machine the wall time measures the others' load too.
// Runs the compiled library (npm run build first).
import { estimateEffect } from '../dist/analysis/estimate-effect.js';
import { createRng } from '../dist/random.js';
import { REALISTIC_ABSENCES, simulateRealisticModelTable } from '../dist/simulate/realistic-absences.js';

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
