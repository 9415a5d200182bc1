import { describe, expect, it } from 'vitest';
import { buildReportData, writeHeadline } from '../../src/report/build-report-data.js';
import { makeAnalysis, makeStudy, summary } from './make-analysis.js';

const THREE = [
  { id: 'D01', treatment: 200, control: 210, median: 0.035, certainty: 0.78 },
  { id: 'D02', treatment: 180, control: 175, median: 0.026, certainty: 0.72 },
  { id: 'D03', treatment: 6, control: 5, median: 0.02, certainty: 0.6 },
];

describe('writeHeadline', () => {
  it('states the size of the effect and the certainty in one plain sentence', () => {
    expect(writeHeadline({ estimate: summary(0.024), certainty: { '0': 0.83 } })).toBe(
      'Students whose caregivers got the messages missed about 2.4% fewer days than students whose caregivers did not; we are 83% certain absences went down.',
    );
  });

  it('says "more" for an increase, "about as many" near zero, and never claims 100%', () => {
    expect(writeHeadline({ estimate: summary(-0.012), certainty: { '0': 0.31 } })).toBe(
      'Students whose caregivers got the messages missed about 1.2% more days than students whose caregivers did not; we are 31% certain absences went down.',
    );
    expect(writeHeadline({ estimate: summary(0.0003), certainty: { '0': 0.52 } })).toMatch(/missed about as many days as students whose caregivers did not; we are 52% certain/);
    expect(writeHeadline({ estimate: summary(0.08), certainty: { '0': 0.9996 } })).toMatch(/we are over 99% certain absences went down\.$/);
  });

  it('names the district in a district report', () => {
    expect(writeHeadline({ estimate: summary(0.035), certainty: { '0': 0.78 } }, 'Pine Valley')).toBe(
      'In Pine Valley, students whose caregivers got the messages missed about 3.5% fewer days than students whose caregivers did not; we are 78% certain absences went down there.',
    );
  });
});

describe('buildReportData: the decision and what it means for next year', () => {
  it('low effort, 83% certain: working, with days avoided per 100 students', () => {
    const data = buildReportData({ analysis: makeAnalysis() });
    expect(data.decision.working).toBe(true);
    expect(data.decision.summary).toBe('Working: as a low-effort intervention, the messages count as working when we are at least 80% certain that absences went down; we are 83% certain.');
    expect(data.decision.next_year).toBe(
      'Keep sending the messages next year and extend them to students who did not get them this year. Expect about 31 fewer days missed for every 100 students who get the messages, over a period as long as this one.',
    );
    // The other rule is shown too: high effort needs 90% certainty of 5% or more; we are 21%.
    expect(data.decision.rules.high).toMatchObject({ threshold: 0.05, min_certainty: 0.9, certainty: 0.21, met: false });
  });

  it('high effort with the low rule met: not working, but suggests the low-effort form', () => {
    const data = buildReportData({ analysis: makeAnalysis({ effort: 'high' }) });
    expect(data.decision.working).toBe(false);
    expect(data.decision.summary).toBe(
      'Not shown to be working: as a demanding (high-effort) intervention, the messages count as working when we are at least 90% certain that absences went down by 5% or more; we are 21% certain.',
    );
    expect(data.decision.next_year).toMatch(/^The messages probably reduced absences, but not by enough.*consider keeping them in their low-effort form\.$/);
  });

  it('--effort overrides the analysis rule from the certainties the analysis already has', () => {
    const data = buildReportData({ analysis: makeAnalysis({ effort: 'low' }), effort: 'high' });
    expect(data.decision).toMatchObject({ effort: 'high', working: false, applied: { effort: 'high', certainty: 0.21 } });
  });

  it('leaning (62%) and no evidence (30%) read differently', () => {
    const leaning = buildReportData({ analysis: makeAnalysis({ median: 0.008, certainty: { '0': 0.62, '0.05': 0.05 } }) });
    expect(leaning.decision.next_year).toMatch(/^The evidence leans toward fewer absences but is not strong enough/);
    const none = buildReportData({ analysis: makeAnalysis({ median: -0.01, certainty: { '0': 0.3, '0.05': 0.01 } }) });
    expect(none.decision.next_year).toMatch(/^There is no good evidence the messages reduced absences\./);
  });

  it('a flagged fit is a caution at the top and makes next year provisional', () => {
    const data = buildReportData({ analysis: makeAnalysis({ flagged: true }) });
    expect(data.cautions[0]).toMatch(/^The model fit did not pass its checks \(R-hat 1\.030 above 1\.01 \(tau\); 3 divergent transitions after warmup\)\. These figures are provisional/);
    expect(data.decision.next_year).toMatch(/treat this as provisional until it is rerun\.$/);
  });

  it('a Laplace preview says it is approximate', () => {
    const data = buildReportData({ analysis: makeAnalysis({ method: 'laplace' }) });
    expect(data.cautions.some((c) => c.startsWith('These figures come from a fast approximation'))).toBe(true);
  });
});

describe('buildReportData: scopes', () => {
  it('a district report shows the district beside the pooled effect and decides on its own certainty', () => {
    const analysis = makeAnalysis({ districts: THREE });
    const data = buildReportData({ analysis, study: makeStudy(['D01', 'D02', 'D03']) }, { district: 'D01' });
    expect(data.scope).toEqual({ kind: 'district', district: 'D01', name: 'D01 Unified', districts: 3 });
    expect(data.headline).toMatch(/^In D01 Unified, students .* about 3\.5% fewer days .* 78% certain absences went down there\.$/);
    expect(data.network_effect?.estimate.median).toBe(0.024);
    expect(data.decision.basis).toBe('district');
    // Without draws, the district's own certainty at 0 (0.78) decides: under the low rule's 0.80.
    expect(data.decision.applied.certainty).toBe(0.78);
    expect(data.decision.working).toBe(false);
    expect(data.tables.students_by_arm_and_district?.rows.map((r) => r.district)).toEqual(['D01']);
  });

  it('a district with fewer than 10 students in an arm has no estimate of its own anywhere', () => {
    const analysis = makeAnalysis({ districts: THREE });
    const network = buildReportData({ analysis });
    expect(network.district_effects?.rows.find((r) => r.district === 'D03')).toMatchObject({ estimate: null, certainty: null });
    const small = buildReportData({ analysis }, { district: 'D03' });
    expect(small.effect.estimate.median).toBe(0.024);
    expect(small.decision.basis).toBe('network');
    expect(small.cautions.some((c) => c.startsWith('Fewer than 10 students of this district'))).toBe(true);
    // Counts from the analysis alone: 6 and 5 are suppressed, and so are the cells protecting them.
    const counts = network.tables.students_by_arm_and_district!;
    // The row total 11 stays: with both its parts hidden it reveals neither.
    expect(counts.rows[2].counts).toEqual([null, null]);
    expect(counts.rows[2].total).toBe(11);
    // Each arm's column would then reveal D03's count, so D02's (the smaller) go too.
    expect(counts.rows[1].counts).toEqual([null, null]);
    expect(counts.rows[0].counts).toEqual([210, 200]);
    expect(counts.totals).toEqual([390, 386]);
  });

  it('a too-small district\'s posterior chart is the pooled one, with draws as without', () => {
    const analysis = makeAnalysis({ districts: THREE });
    // D03's own draws sit far from the pooled ones: a chart drawn from them would show its estimate.
    const draws = { effect: Array.from({ length: 400 }, (_, i) => 0.024 + 0.03 * Math.sin(i)), 'effect[D03]': Array.from({ length: 400 }, (_, i) => 0.2 + 0.03 * Math.cos(i)) };
    const network = buildReportData({ analysis, draws });
    const small = buildReportData({ analysis, draws }, { district: 'D03' });
    expect(small.charts.posterior).toEqual(network.charts.posterior);
  });

  it('without the study files the descriptive sections are empty and a sentence says why', () => {
    const data = buildReportData({ analysis: makeAnalysis() });
    expect(data.charts.absence_distribution).toBeNull();
    expect(data.charts.attendance_tiers).toBeNull();
    expect(data.charts.absence_rate_over_time).toBeNull();
    expect(data.tables.balance).toBeNull();
    expect(data.cautions).toContain('The study\'s attendance data were not given, so the charts and tables of absences by arm are left out.');
  });

  it('counts tiers by arm from the study (hand-counted)', () => {
    // 60 students per arm, absences i mod 25 of 170 days (control): 0-8 days satisfactory
    // (< 8.5), 9-16 at risk (< 17), 17-24 moderate. i = 0..59: residues 0..24 twice, 0..9
    // once more: 27, 17, 16, 0, 0. The two zeros are hidden; beside the printed total 60,
    // 16 would tell they are both 0, so it is hidden too.
    const data = buildReportData({ analysis: makeAnalysis(), study: makeStudy(['D01']) });
    const tiers = data.charts.attendance_tiers!;
    const control = tiers.categories.map((c) => c.counts[0].students);
    expect(control).toEqual([27, 17, null, null, null]);
    expect(tiers.categories[0].counts[0].share).toBeCloseTo(27 / 60, 12);
    expect(tiers.arm_totals[0].students).toBe(60);
  });
});
