import { describe, expect, it } from 'vitest';
import type { ChronicAbsence, PosteriorSummary } from '../../src/analysis/analysis-result.js';
import { buildReportData } from '../../src/report/build-report-data.js';
import { countTierTransitions, describeChronicAbsence } from '../../src/report/chronic-absence-section.js';
import { renderReportHtml } from '../../src/report/render-report-html.js';
import type { StudyStudent } from '../../src/report/report-study.js';
import { makeAnalysis, makeStudy } from './make-analysis.js';

const at = (median: number, q05: number, q95: number): PosteriorSummary => ({
  mean: median,
  sd: 1,
  median,
  q025: q05,
  q05,
  q95,
  q975: q95,
});

const estimate: ChronicAbsence = {
  threshold: 0.1,
  share_control: at(0.2, 0.19, 0.21),
  share_treatment: at(0.182, 0.171, 0.193),
  difference_points: at(-1.8, -3.1, -0.4),
  fewer_per_1000: at(18, 4, 31),
  certainty_fell: 0.97,
  certainty_fell_mc_error: 0.004,
  draws: 1000,
};

function student(arm: string, before: [number, number] | undefined, now: [number, number]): StudyStudent {
  return {
    district: 'D01',
    arm,
    outcome: { days_absent: now[0], days_enrolled: now[1] },
    periods: [],
    ...(before ? { baseline: { days_absent: before[0], days_enrolled: before[1] } } : {}),
  };
}

describe("the report's chronic-absence section", () => {
  it('describes the estimate in plain words, with the certainty and its Monte Carlo error', () => {
    expect(describeChronicAbsence(estimate)).toBe(
      'Were every student sent the messages, an estimated 18.2% would be chronically absent (missing 10% or more of their school days), against 20.0% were none: ' +
        '1.8 percentage points fewer (likely range 3.1 percentage points fewer to 0.4 percentage points fewer), about 18 fewer students per 1,000 chronically absent. ' +
        'We are 97% ± 0.4% certain chronic absence went down.',
    );
    expect(describeChronicAbsence(estimate, 'across the network')).toMatch(/^Across the network, were every student/);
  });

  it("counts last year's tier by this year's for each arm, suppressing small cells", () => {
    // Days missed of 100 that put a student in each tier: under 5%, 5-9.99%, 10-19.99%, 20-49.99%, 50% or more.
    const inTier = [1, 6, 15, 30, 60];
    // Treatment: 20 students in every (last year, this year) pair but 3 from extreme to extreme;
    // 2 without a baseline and 1 not enrolled in the window are not counted.
    const students: StudyStudent[] = [];
    inTier.forEach((before, r) =>
      inTier.forEach((now, c) => {
        const n = r === 4 && c === 4 ? 3 : 20;
        for (let i = 0; i < n; i++) students.push(student('treatment', [before, 100], [now, 100]));
      }),
    );
    students.push(
      student('treatment', undefined, [3, 100]),
      student('treatment', undefined, [3, 100]),
      student('treatment', [3, 100], [0, 0]),
    );
    for (let i = 0; i < 30; i++) students.push(student('control', [15, 100], [15, 100]));
    const [control, treatment] = countTierTransitions(students, ['control', 'treatment'])!;
    expect(treatment.tiers).toEqual(['satisfactory', 'at-risk', 'moderate', 'severe', 'extreme']);
    expect(treatment.total).toBe(24 * 20 + 3);
    expect(treatment.cells[4][4]).toBeNull();
    expect(treatment.cells[2][2]).toBe(20);
    // The 3 and enough others that it cannot be recovered from its row or column (at least a rectangle of four).
    const hidden = treatment.cells.flat().filter((n) => n === null).length;
    expect(hidden).toBeGreaterThanOrEqual(4);
    expect(treatment.suppressed).toBeGreaterThanOrEqual(hidden);
    expect(treatment.last_year_totals[0]).toBe(100);
    // Control: all 30 moderate both years; the zero cells are hidden (a zero describes fewer than ten students too).
    expect(control.cells[2][2]).toBeNull();
    expect(control.total).toBe(30);
    expect(countTierTransitions([student('control', undefined, [1, 10])], ['control'])).toBeNull();
  });

  it('buildReportData carries the section and the HTML shows it; without an estimate there is none', () => {
    const analysis = { ...makeAnalysis(), chronic_absence: estimate };
    const data = buildReportData({ analysis, study: makeStudy(['D01']) });
    expect(data.chronic_absence.scope).toBe('study');
    expect(data.chronic_absence.estimate).toEqual(estimate);
    const html = renderReportHtml(data, {});
    expect(html).toContain('<h3>Chronic absence</h3>');
    expect(html).toContain('1.8 percentage points fewer');
    expect(buildReportData({ analysis: makeAnalysis() }).chronic_absence).toEqual({
      scope: 'study',
      estimate: null,
      statement: null,
      transitions: null,
    });
  });
});
