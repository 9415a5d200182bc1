import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assignStudy } from '../../src/assignment/assign-study.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sha256 } from '../../src/io/hash.js';
import { readModelTableFromStudy } from '../../src/study/read-study-data.js';
import { simulateStudyOutcomes } from '../../src/study/simulate-study-outcomes.js';
import { GRADES } from '../../src/types.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

const created = '2026-08-01T00:00:00.000Z';

/** Absences and school days of each student in a daily attendance CSV (absent, excused and unexcused are a day absent; a fraction_absent wins), counted by hand. */
function countDays(csv: string, from = '0000', to = '9999'): Map<string, { absent: number; days: number }> {
  const [header, ...lines] = csv.trim().split('\n');
  const at = Object.fromEntries(header.split(',').map((name, i) => [name, i]));
  const days = new Map<string, { absent: number; days: number }>();
  for (const line of lines) {
    const cells = line.split(',');
    const date = cells[at.date];
    if (date < from || date > to) continue;
    const count = days.get(cells[at.student_id]) ?? { absent: 0, days: 0 };
    count.days++;
    const fraction = cells[at.fraction_absent];
    count.absent += fraction ? Number(fraction) : ['absent', 'excused', 'unexcused'].includes(cells[at.status]) ? 1 : 0;
    days.set(cells[at.student_id], count);
  }
  return days;
}

/** Two school years: year one assigned and simulated, year two continued from it and simulated. */
async function twoSimulatedYears() {
  const dir = await tempDir();
  const yearOne = smallRoster(240, 2, 51);
  await writeFile(join(dir, 'roster-1.csv'), rosterCsv(yearOne));
  await assignStudy(join(dir, 'roster-1.csv'), { out: join(dir, 'year-1'), seed: 1, created });
  await simulateStudyOutcomes({
    roster: join(dir, 'roster-1.csv'),
    assignments: join(dir, 'year-1', 'assignments.csv'),
    out: join(dir, 'year-1'),
    seed: 1,
    year: 2025,
    created,
  });
  const returning = yearOne.filter((s) => s.grade !== '12').map((s) => ({ ...s, grade: GRADES[GRADES.indexOf(s.grade) + 1] }));
  const newcomers = smallRoster(40, 2, 52).map((s) => ({ ...s, student_id: `N${s.student_id}`, household_id: `N${s.household_id}` }));
  await writeFile(join(dir, 'roster-2.csv'), rosterCsv([...returning, ...newcomers]));
  const year2 = join(dir, 'year-2');
  await assignStudy(join(dir, 'roster-2.csv'), { out: year2, seed: 2, continueFrom: join(dir, 'year-1', 'assignments.csv'), created });
  await simulateStudyOutcomes({
    roster: join(dir, 'roster-2.csv'),
    assignments: join(year2, 'assignments.csv'),
    out: year2,
    seed: 2,
    year: 2026,
    created,
  });
  const files = {
    roster: join(dir, 'roster-2.csv'),
    assignments: join(year2, 'assignments.csv'),
    attendance: join(year2, 'attendance.csv'),
    calendar: join(year2, 'calendar.csv'),
    baselineAttendance: join(dir, 'year-1', 'attendance.csv'),
  };
  return { dir, files, returning, newcomers };
}

async function attendanceText(path: string): Promise<string> {
  const bytes = await readFile(path);
  return bytes[0] === 0x1f ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
}

describe("a continuing study's baseline from last year's attendance", () => {
  it("gives each returning student last year's days as baseline, and newcomers none", async () => {
    const { files, returning, newcomers } = await twoSimulatedYears();
    const { table, data } = await readModelTableFromStudy(files, { from: '2026-09-01', to: '2027-06-30' });
    const lastYear = countDays(await attendanceText(files.baselineAttendance));
    const row = new Map(table.map((r) => [r.student_id, r]));
    expect(table).toHaveLength(returning.length + newcomers.length);
    for (const s of returning) {
      const counted = lastYear.get(s.student_id)!;
      expect([row.get(s.student_id)!.baseline_absences, row.get(s.student_id)!.baseline_days]).toEqual([counted.absent, counted.days]);
    }
    // Newcomers were not there last year: no baseline, though the roster has baseline columns for some.
    expect(newcomers.some((s) => s.baseline_days !== undefined)).toBe(true);
    for (const s of newcomers) expect(row.get(s.student_id)!.baseline_days).toBeUndefined();
    expect(data.inputs.baseline_attendance).toBe(sha256(await readFile(files.baselineAttendance)));
  });

  it("reads only the baseline window given, from last year's file", async () => {
    const { files, returning } = await twoSimulatedYears();
    const window = { from: '2026-01-05', to: '2026-03-27' };
    const { table } = await readModelTableFromStudy(files, { from: '2026-09-01', to: '2027-06-30' }, window);
    const counted = countDays(await attendanceText(files.baselineAttendance), window.from, window.to);
    const student = returning[0].student_id;
    const row = table.find((r) => r.student_id === student)!;
    expect(counted.get(student)!.days).toBeGreaterThan(40);
    expect([row.baseline_absences, row.baseline_days]).toEqual([counted.get(student)!.absent, counted.get(student)!.days]);
  });

  it('is refused with a model table (exit 2): the baseline is in the table', async () => {
    const io = memoryIo();
    expect(await run(['analyze', '--table', 'model_input.csv', '--baseline-attendance', 'a.csv', '--out', 'x'], io)).toBe(2);
    expect(io.err.join('\n')).toMatch(/--table cannot be combined with --baseline-attendance/);
  });
});
