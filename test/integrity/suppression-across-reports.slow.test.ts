/**
 * Suppression across reports at the size of a real network (issue 15, defect 3): 47
 * districts, five of them with fewer than ten students in an arm, skewed absences, most
 * students with last year's tier. The reports are built as `pilot report --by district`
 * builds them (figures rounded as written, chart specs from them), and the attacker of
 * report-attacker.ts solves every count they print: nothing hidden and no finest cell
 * under ten comes out, and every printed count is the true one.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/random.js';
import { buildReportCharts } from '../../src/report/build-report-charts.js';
import { buildReportData } from '../../src/report/build-report-data.js';
import { roundFigures } from '../../src/report/format-figures.js';
import { protectAcrossReports } from '../../src/report/protect-across-reports.js';
import type { ReportStudy, StudyStudent } from '../../src/report/report-study.js';
import { makeAnalysis, makeStudy } from '../report/make-analysis.js';
import { attack, type RunReport } from './report-attacker.js';

describe('reports written together, 47 districts', () => {
  it('give away no hidden count and no finest cell under ten', () => {
    const rng = createRng('suppression-across-reports-47');
    const ids = Array.from({ length: 47 }, (_, i) => `D${String(i + 1).padStart(2, '0')}`);
    const days = (mean: number) => Math.floor(-Math.log(1 - rng()) * mean);
    const students: StudyStudent[] = ids.flatMap((district, i) => {
      const perArm = i % 9 === 0 ? 4 + (i % 5) : 20 + Math.floor(rng() * 200);
      return ['control', 'treatment'].flatMap((arm) =>
        Array.from({ length: perArm }, () => {
          const enrolled = rng() < 0.03 ? 0 : 150 + Math.floor(rng() * 30);
          const baseline = rng() < 0.85 ? { baseline: { days_enrolled: 170, days_absent: days(6 + (i % 7)) } } : {};
          return {
            district,
            arm,
            outcome: { days_enrolled: enrolled, days_absent: Math.min(enrolled, days(6 + (i % 7))) },
            ...baseline,
            periods: [
              rng() < 0.9 ? { days_enrolled: 20, days_absent: 1 } : undefined,
              rng() < 0.9 ? { days_enrolled: 21, days_absent: 2 } : undefined,
            ],
          };
        }),
      );
    });
    const study: ReportStudy = { ...makeStudy(ids, 1), students };
    const n = (d: string, arm: string) => students.filter((s) => s.district === d && s.arm === arm && s.outcome.days_enrolled > 0).length;
    const analysis = makeAnalysis({
      districts: ids.map((id) => ({ id, treatment: n(id, 'treatment'), control: n(id, 'control'), median: 0.02, certainty: 0.6 })),
    });
    const scopes = [undefined, ...ids];
    const started = performance.now();
    const reports = protectAcrossReports(
      scopes.map((district) => buildReportData({ analysis, study }, { district })),
      study,
    );
    // About 3 s on an idle machine: one rebuild of the span per round of hiding.
    expect(performance.now() - started).toBeLessThan(60_000);
    const run: RunReport[] = reports.map((data, i) => {
      const rounded = roundFigures(data);
      const specs = Object.fromEntries(
        Object.entries(buildReportCharts(rounded, 'wide')).map(([name, spec]) => [`${name.replace(/_/g, '-')}.vl.json`, spec]),
      );
      return { scope: i === 0 ? ids : [ids[i - 1]], report: JSON.parse(JSON.stringify(rounded)), specs };
    });
    const { recovered, equations, hidden } = attack(run, study);
    expect(recovered).toEqual([]);
    expect(equations).toBeGreaterThan(2000);
    expect(hidden).toBeGreaterThan(1000);
  }, 300_000);
});
