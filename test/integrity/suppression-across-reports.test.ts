/**
 * Suppression across the reports written together (issue 15, defect 3). With `--by
 * district`, a 7-student district's arm counts were recovered exactly by subtracting the
 * district reports from the network report, and a tier or absence-distribution cell that
 * one district hid on its own was the network's cell minus the other districts'. The
 * attacker here reads every report.json and chart spec one run wrote, writes each
 * published count as a linear equation over the students of each district, arm and finest
 * category (tier; days absent, cut at every bin edge any report uses; left out; enrolled
 * in a month), and solves them by exact elimination: no hidden count and no count under
 * ten of those finest cells may come out.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/analysis-result.js';
import type { ReportStudy, StudyStudent } from '../../src/report/report-study.js';
import { writeReport } from '../../src/report/write-report.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeAnalysis, makeStudy } from '../report/make-analysis.js';
import type { Json } from './report-attacker.js';
import { attack, readRun, TIERS } from './report-attacker.js';

/** A student of `district` and `arm` who missed `absent` of 100 days, enrolled in both months. */
const student = (district: string, arm: string, absent: number, lastYear?: number): StudyStudent => ({
  district,
  arm,
  outcome: { days_enrolled: 100, days_absent: absent },
  ...(lastYear === undefined ? {} : { baseline: { days_enrolled: 100, days_absent: lastYear } }),
  periods: [
    { days_enrolled: 20, days_absent: absent / 5 },
    { days_enrolled: 21, days_absent: absent / 5 },
  ],
});

/** Students missing 2, 7, 15, 30 and 60 days of 100 (one per tier), `counts` of each, most with last year's absences. */
const tiered = (district: string, arm: string, counts: readonly number[]) =>
  counts.flatMap((n, t) =>
    // Last year: the same tier for most, one tier lower for every third, none for every seventh.
    Array.from({ length: n }, (_, i) =>
      student(district, arm, DAYS[t], i % 7 === 6 ? undefined : DAYS[Math.max(0, t - (i % 3 === 2 ? 1 : 0))]),
    ),
  );
const DAYS = [2, 7, 15, 30, 60];

function analysisOf(study: ReportStudy): AnalysisResult {
  const districts = [...new Set(study.students.map((s) => s.district))].sort();
  const n = (d: string, arm: string) =>
    study.students.filter((s) => s.district === d && s.arm === arm && s.outcome.days_enrolled > 0).length;
  return makeAnalysis({
    districts: districts.map((id, i) => ({
      id,
      treatment: n(id, 'treatment'),
      control: n(id, 'control'),
      median: 0.02,
      certainty: 0.6 + i / 20,
    })),
  });
}

describe('reports written together', () => {
  it("keep a tier and a days-missed cell one district hides on its own, and a tier it merges, from the network's minus the others'", async () => {
    // D02's treatment arm: 5 students at risk (5 to 9.99% of days), hidden in its report on
    // its own (its arm of 60 is printed), and 5 at 50% or more, which D02 merges into "20% or
    // more" while the network and D01 and D03 print that tier apart.
    const big = [15, 12, 12, 11, 10];
    const base = makeStudy(['D01', 'D02', 'D03'], 1);
    const study: ReportStudy = {
      ...base,
      students: [
        ...tiered('D01', 'control', big),
        ...tiered('D01', 'treatment', big),
        ...tiered('D02', 'control', [15, 12, 12, 15, 6]),
        ...tiered('D02', 'treatment', [24, 5, 12, 14, 5]),
        ...tiered('D03', 'control', big),
        ...tiered('D03', 'treatment', big),
      ],
    };
    const dir = join(await tempDir(), 'report');
    await writeReport(dir, { analysis: analysisOf(study), study }, { byDistrict: true });
    const run = await readRun(dir, ['D01', 'D02', 'D03']);
    const [network, , d02] = run.map((r) => r.report);
    // The fixture is what it says: D02 hides its at-risk treatment cell with its arm printed,
    // merges its top tiers, and the network prints every tier of both arms.
    const atRisk = d02.charts.attendance_tiers.categories.find((c: Json) => c.category === 'at-risk');
    expect(atRisk.counts[1].students).toBeNull();
    expect(d02.charts.attendance_tiers.arm_totals[1].students).toBe(60);
    expect(d02.charts.attendance_tiers.categories.map((c: Json) => c.category)).toContain('severe-or-extreme');
    expect(network.charts.attendance_tiers.categories.map((c: Json) => c.category)).toEqual(TIERS);
    // Nothing may come back, and the attack had plenty to work with.
    const { recovered, equations, hidden } = attack(run, study);
    expect(recovered).toEqual([]);
    expect(equations).toBeGreaterThan(100);
    expect(hidden).toBeGreaterThan(10);
    expect(d02.tables.students_by_arm_and_district.rows[0].counts).toEqual([60, 60]);
  });

  it("keep a 7-student district's arm counts, left-out counts, tiers and monthly counts from being recovered", async () => {
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
    const full = { ...study, students: withLeftOut };
    const dir = join(await tempDir(), 'report');
    await writeReport(dir, { analysis: analysisOf(full), study: full }, { byDistrict: true });
    const run = await readRun(dir, ['D01', 'D02', 'D03', 'D07']);
    // The big districts' counts are printed, so the attack has something to subtract.
    const printed = run
      .slice(1, 4)
      .filter(({ report }) => report.tables.students_by_arm_and_district.rows[0].counts.every((n: number | null) => n !== null));
    expect(printed.length).toBeGreaterThanOrEqual(2);
    const { recovered } = attack(run, full);
    expect(recovered).toEqual([]);
  });
});
