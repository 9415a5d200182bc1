/**
 * Suppression across the reports written together (issue 15, defect 3): with `--by
 * district`, a 7-student district's arm counts were recovered exactly by subtracting the
 * district reports from the network report. An attacker here reads every report.json
 * written by one run, writes down each published equation (a row's cells add up to its
 * total, the network's count of an arm is the districts' counts added up, ...) and solves
 * any with one unknown, again and again: the small district's counts stay unknown.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeAnalysis, makeStudy } from '../report/make-analysis.js';

type Value = number | null;
const DISTRICTS = ['D01', 'D02', 'D03', 'D07'];
/** `parts` add up to `total`; every member is a named quantity. */
type Equation = { parts: string[]; total: string };

/** Solves equations with one unknown until none is left; returns what became known. */
function attack(known: Map<string, number>, equations: readonly Equation[]): Map<string, number> {
  const values = new Map(known);
  for (let progress = true; progress; ) {
    progress = false;
    for (const { parts, total } of equations) {
      const members = [...parts, total];
      const unknown = members.filter((m) => !values.has(m));
      if (unknown.length !== 1) continue;
      const [u] = unknown;
      const sumOf = (names: string[]) => names.reduce((s, n) => s + values.get(n)!, 0);
      values.set(u, u === total ? sumOf(parts) : values.get(total)! - sumOf(parts.filter((p) => p !== u)));
      progress = true;
    }
  }
  return values;
}

describe('reports written together', () => {
  it("keep a 7-student district's arm counts, left-out counts and monthly counts from being recovered by subtraction", async () => {
    const study = makeStudy(['D01', 'D02', 'D03', 'D07'], 60);
    // D07: 3 control and 4 treatment students, one of each enrolled no day (left out).
    const small = study.students.filter((s) => s.district === 'D07');
    const kept = [...small.filter((s) => s.arm === 'control').slice(0, 3), ...small.filter((s) => s.arm === 'treatment').slice(0, 4)];
    const students = [
      ...study.students.filter((s) => s.district !== 'D07'),
      ...kept.map((s, i) => (i === 0 || i === 3 ? { ...s, outcome: { days_enrolled: 0, days_absent: 0 } } : s)),
    ];
    // A few students left out in the big districts too, so their left-out counts are published.
    const withLeftOut = students.map((s, i) =>
      s.district !== 'D07' && i % 5 === 0 ? { ...s, outcome: { days_enrolled: 0, days_absent: 0 } } : s,
    );
    const analysis = makeAnalysis({
      districts: [
        { id: 'D01', treatment: 48, control: 48, median: 0.03, certainty: 0.7 },
        { id: 'D02', treatment: 48, control: 48, median: 0.02, certainty: 0.6 },
        { id: 'D03', treatment: 48, control: 48, median: 0.02, certainty: 0.6 },
        { id: 'D07', treatment: 3, control: 2, median: 0.01, certainty: 0.5 },
      ],
    });
    const dir = join(await tempDir(), 'report');
    await writeReport(dir, { analysis, study: { ...study, students: withLeftOut } }, { byDistrict: true });
    // biome-ignore lint/suspicious/noExplicitAny: report.json as an attacker reads it, untyped
    const read = async (path: string): Promise<any> => JSON.parse(await readFile(path, 'utf8'));
    const network = await read(join(dir, 'report.json'));
    // biome-ignore lint/suspicious/noExplicitAny: the same, one per district
    const byDistrict: Record<string, any> = Object.fromEntries(
      await Promise.all(['D01', 'D02', 'D03', 'D07'].map(async (d) => [d, await read(join(dir, 'districts', d, 'report.json'))])),
    );

    const known = new Map<string, number>();
    const note = (name: string, value: Value) => value !== null && known.set(name, value);
    const arms = ['control', 'treatment'];
    const equations: Equation[] = [];
    // The network's table of analyzed students by district and arm, and each district's row of its own.
    const table = network.tables.students_by_arm_and_district;
    for (const row of table.rows) {
      row.counts.forEach((n: Value, c: number) => note(`analyzed ${row.district} ${arms[c]}`, n));
      note(`analyzed ${row.district}`, row.total);
    }
    table.totals.forEach((n: Value, c: number) => note(`analyzed ${arms[c]}`, n));
    note('analyzed', table.total);
    for (const [d, report] of Object.entries(byDistrict)) {
      const own = report.tables.students_by_arm_and_district.rows[0];
      own.counts.forEach((n: Value, c: number) => note(`analyzed ${d} ${arms[c]}`, n));
      note(`analyzed ${d}`, own.total);
      report.tables.attrition.rows.forEach((r: { arm: string; left_out: Value }) => note(`left out ${d} ${r.arm}`, r.left_out));
      // The charts' tables print the students analyzed per arm again, as their arm totals.
      for (const chart of [report.charts.attendance_tiers, report.charts.absence_distribution])
        chart.arm_totals.forEach((t: { students: Value }, c: number) => note(`analyzed ${d} ${arms[c]}`, t.students));
      note(`left out ${d}`, report.tables.attrition.total);
    }
    network.tables.attrition.rows.forEach((r: { arm: string; left_out: Value }) => note(`left out ${r.arm}`, r.left_out));
    note('left out', network.tables.attrition.total);
    for (const what of ['analyzed', 'left out']) {
      for (const d of DISTRICTS) equations.push({ parts: arms.map((a) => `${what} ${d} ${a}`), total: `${what} ${d}` });
      for (const a of arms) equations.push({ parts: DISTRICTS.map((d) => `${what} ${d} ${a}`), total: `${what} ${a}` });
      equations.push({ parts: arms.map((a) => `${what} ${a}`), total: what });
      equations.push({ parts: DISTRICTS.map((d) => `${what} ${d}`), total: what });
    }
    // The monthly chart's students per period and arm: the network's are the districts' added up.
    type RateRow = { period: string; arm: string; students: Value };
    const periods = [...new Set((network.charts.absence_rate_over_time as RateRow[]).map((r) => r.period))];
    expect(periods.length).toBe(2);
    for (const r of network.charts.absence_rate_over_time as RateRow[]) note(`month ${r.period} ${r.arm}`, r.students);
    for (const [d, report] of Object.entries(byDistrict))
      for (const r of report.charts.absence_rate_over_time as RateRow[]) note(`month ${r.period} ${d} ${r.arm}`, r.students);
    for (const p of periods)
      for (const a of arms) equations.push({ parts: DISTRICTS.map((d) => `month ${p} ${d} ${a}`), total: `month ${p} ${a}` });
    expect(['D01', 'D02', 'D03'].filter((d) => known.has(`month ${periods[0]} ${d} control`)).length).toBeGreaterThanOrEqual(2);
    // The attack works on what is published: most big districts' counts are printed.
    const printed = (what: string) => ['D01', 'D02', 'D03'].filter((d) => arms.every((a) => known.has(`${what} ${d} ${a}`)));
    expect(printed('analyzed').length).toBeGreaterThanOrEqual(2);
    expect(printed('left out').length).toBeGreaterThanOrEqual(2);
    const solved = attack(known, equations);
    for (const secret of [
      'analyzed D07 control',
      'analyzed D07 treatment',
      'analyzed D07',
      'left out D07 control',
      'left out D07 treatment',
      'left out D07',
      ...periods.flatMap((p) => arms.map((a) => `month ${p} D07 ${a}`)),
    ]) {
      expect(solved.has(secret), `${secret} recovered as ${solved.get(secret)}`).toBe(false);
    }
  });
});
