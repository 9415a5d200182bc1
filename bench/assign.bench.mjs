// Benchmark: assign 1,000,000 simulated students in about 400,000 households, blocked by
// district x school x grade and clustered by household, reading and writing CSV, through
// the CLI exactly as a user runs it. Target (issue 5): < 5 s wall, < 2 GB peak memory.
//
// The machine is often shared, so besides wall time each run reports the CPU time the
// command used (user + sys, see measurePilot) and the load average before it: on a busy
// machine the CPU time is the figure to compare. BENCH_STUDENTS sets the size,
// BENCH_RUNS the number of timed runs (the roster is made once).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, formatCsvObjects, ROSTER_COLUMNS, simulateRoster } from '../dist/index.js';
import { measurePilot } from './measure.mjs';

const students = Number(process.env.BENCH_STUDENTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'bench-assign-'));
try {
  const roster = simulateRoster({ students, districts: 40, householdSizeWeights: [0.2, 0.3, 0.3, 0.2] }, createRng(1));
  const households = new Set(roster.map((s) => s.household_id)).size;
  const rosterPath = join(dir, 'roster.csv');
  writeFileSync(rosterPath, formatCsvObjects(ROSTER_COLUMNS, roster));
  roster.length = 0; // the simulated students are not needed any more; free them before timing
  console.log(
    `roster: ${students.toLocaleString('en-US')} students, ${households.toLocaleString('en-US')} households, ${(statSync(rosterPath).size / 1e6).toFixed(0)} MB of CSV`,
  );
  for (let run = 1; run <= runs; run++) {
    const out = join(dir, `study-${run}`);
    const load = loadavg()[0];
    const { seconds, user, sys, peakMb } = measurePilot(['assign', '--roster', rosterPath, '--out', out, '--seed', '1']);
    const written = JSON.parse(readFileSync(join(out, 'assignments.manifest.json'), 'utf8')).runs[0].students_added;
    if (written !== students) throw new Error(`expected ${students} students assigned, the manifest says ${written}`);
    console.log(
      `pilot assign: ${seconds.toFixed(2)} s wall, ${(user + sys).toFixed(2)} s CPU (user ${user.toFixed(2)} + sys ${sys.toFixed(2)}), ` +
        `peak RSS ${peakMb.toFixed(0)} MB, ${Math.round(students / seconds).toLocaleString('en-US')} students/s; load average ${load.toFixed(1)} on ${availableParallelism()} cores`,
    );
    rmSync(out, { recursive: true, force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
