// Benchmark: assign 1,000,000 simulated students in about 400,000 households, blocked by
// district x school x grade and clustered by household, reading and writing CSV, through
// the CLI exactly as a user runs it. Target (issue 5): < 5 s wall, < 2 GB peak memory.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulateRoster, createRng, formatCsvObjects, ROSTER_COLUMNS } from '../dist/index.js';

const students = Number(process.env.BENCH_STUDENTS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'bench-assign-'));
try {
  const roster = simulateRoster({ students, districts: 40, householdSizeWeights: [0.2, 0.3, 0.3, 0.2] }, createRng(1));
  const households = new Set(roster.map((s) => s.household_id)).size;
  const rosterPath = join(dir, 'roster.csv');
  writeFileSync(rosterPath, formatCsvObjects(ROSTER_COLUMNS, roster));
  console.log(`roster: ${students.toLocaleString('en-US')} students, ${households.toLocaleString('en-US')} households, ${(statSync(rosterPath).size / 1e6).toFixed(0)} MB of CSV`);
  const started = process.hrtime.bigint();
  // /usr/bin/time reports the child's peak resident memory (kB) on stderr.
  const result = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'dist/cli/main.js', 'assign', '--roster', rosterPath, '--out', join(dir, 'study'), '--seed', '1'], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(result.stderr);
  const peakMb = Number(result.stderr.trim().split('\n').at(-1)) / 1024;
  console.log(`pilot assign: ${seconds.toFixed(2)} s wall, peak RSS ${peakMb.toFixed(0)} MB, ${Math.round(students / seconds).toLocaleString('en-US')} students/s`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
