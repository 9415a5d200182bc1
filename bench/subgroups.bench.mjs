// Benchmark of the whole analysis with subgroups (issue 16, part 4): 41,500 students in 47
// districts over a full school year (as analyze.bench.mjs), the plain fit alone against
// the plain fit, the subgroup fit (prior_tier, grade_band, language, mode) and, when the
// library has it, the effect when delivered (computeDeliveredEffect, from the plain fit's
// draws). Target: the whole analysis within 1.5x the plain fit's time. 4 chains on worker
// threads, seed 2026, adapt_delta 0.8, no refits; wall and CPU time (CPU time is the
// figure to compare on a shared machine). Runs the compiled library from dist/.
import { availableParallelism, loadavg } from 'node:os';
import { estimateEffectWithDraws } from '../dist/analysis/estimate-effect.js';
import { analyzeSubgroups } from '../dist/analysis/subgroup-analysis.js';
import { createRng } from '../dist/random.js';
import { simulateModelTable } from '../dist/simulate/simulate-model-table.js';
import { measure } from './measure.mjs';

function districtsOf(total, count) {
  return Array.from({ length: count }, (_, i) => ({ students: Math.floor(total / count) + (i < total % count ? 1 : 0) }));
}

async function timed(label, work) {
  const cpuBefore = process.cpuUsage();
  const { seconds, result } = await measure(label, work);
  const cpu = process.cpuUsage(cpuBefore);
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, result };
}

console.log(
  `cores: ${availableParallelism()}, load average at start: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);

const { table } = simulateModelTable(createRng('bench-network-47'), {
  districts: districtsOf(41500, 47),
  windowDays: [150, 170],
  baselineDays: [160, 180],
  partialEnrolment: 0.06,
  attrition: 0.02,
});
// A roster for the other three factors: grade, language and mode spread over the students
// by a fixed rule (the simulated table has none).
const GRADES = ['KG', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];
const LANGUAGES = ['en', 'en', 'en', 'es', 'es', 'vi', 'zh'];
const MODES = ['text', 'text', 'text', 'email', 'letter'];
const roster = table.map((row, i) => ({
  student_id: row.student_id,
  district_id: row.district,
  school_id: row.block,
  grade: GRADES[i % GRADES.length],
  household_id: row.student_id,
  preferred_language: LANGUAGES[i % LANGUAGES.length],
  preferred_mode: MODES[(i * 3) % MODES.length],
}));
const options = { seed: 2026, refit: false };

const plain = await timed('plain fit, 4 x (1000 + 1000)', () => estimateEffectWithDraws(table, options));
let delivered;
try {
  const { computeDeliveredEffect } = await import('../dist/analysis/complier-effect.js');
  const deliveries = new Map(
    table.map((row, i) => [
      row.student_id,
      { arm: row.treat === 1 ? 'treatment' : 'control', sent: row.treat, delivered: row.treat === 1 && i % 5 !== 0 ? 3 : 0 },
    ]),
  );
  delivered = await timed('effect when delivered, from the plain fit', async () =>
    computeDeliveredEffect(table, plain.result.draws, deliveries),
  );
} catch (error) {
  console.log(`  (no effect when delivered: ${error.message.split('\n')[0]})`);
}
const subgroups = await timed('subgroup fit: prior_tier, grade_band, language, mode', () =>
  analyzeSubgroups(table, ['prior_tier', 'grade_band', 'language', 'mode'], { ...options, roster, start: plain.result.chainEnds }),
);
const d = subgroups.result.result.diagnostics;
console.log(
  `  subgroup fit: R-hat max ${d.rhat_max.toFixed(3)}, divergences ${d.divergences}, ${subgroups.result.result.chains} x (${subgroups.result.result.warmup} + ${subgroups.result.result.draws}); load average ${loadavg()[0].toFixed(1)}`,
);
const wholeWall = plain.seconds + subgroups.seconds + (delivered?.seconds ?? 0);
const wholeCpu = plain.cpuSeconds + subgroups.cpuSeconds + (delivered?.cpuSeconds ?? 0);
console.log(
  `whole analysis / plain fit: ${(wholeWall / plain.seconds).toFixed(2)}x wall (${wholeWall.toFixed(1)} s / ${plain.seconds.toFixed(1)} s), ${(wholeCpu / plain.cpuSeconds).toFixed(2)}x CPU (${wholeCpu.toFixed(1)} s / ${plain.cpuSeconds.toFixed(1)} s); target 1.5x`,
);
