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
      'Students whose caregivers were sent the messages missed about 2.4% fewer days than students whose caregivers were not; we are 83% certain absences went down.',
    );
  });

  it('says "more" for an increase, "about as many" near zero, and never claims 100%', () => {
    expect(writeHeadline({ estimate: summary(-0.012), certainty: { '0': 0.31 } })).toBe(
      'Students whose caregivers were sent the messages missed about 1.2% more days than students whose caregivers were not; we are 31% certain absences went down.',
    );
    expect(writeHeadline({ estimate: summary(0.0003), certainty: { '0': 0.52 } })).toMatch(
      /missed about as many days as students whose caregivers were not; we are 52% certain/,
    );
    expect(writeHeadline({ estimate: summary(0.08), certainty: { '0': 0.9996 } })).toMatch(/we are over 99% certain absences went down\.$/);
  });

  it('names the district in a district report', () => {
    expect(writeHeadline({ estimate: summary(0.035), certainty: { '0': 0.78 } }, 'Pine Valley')).toBe(
      'In Pine Valley, students whose caregivers were sent the messages missed about 3.5% fewer days than students whose caregivers were not; we are 78% certain absences went down there.',
    );
  });

  it('says "across" the network', () => {
    expect(writeHeadline({ estimate: summary(0.013), certainty: { '0': 0.68 } }, 'the network of 4 districts', 'network')).toBe(
      'Across the network of 4 districts, students whose caregivers were sent the messages missed about 1.3% fewer days than students whose caregivers were not; we are 68% certain absences went down there.',
    );
  });
});

describe('buildReportData: the decision and what it means for next year', () => {
  it('low effort, 83% certain: working, with days avoided per 100 students', () => {
    const data = buildReportData({ analysis: makeAnalysis() });
    expect(data.decision.working).toBe(true);
    expect(data.decision.summary).toBe(
      'Working: as a low-effort intervention, the messages count as working when we are at least 80% certain that absences went down; we are 83% certain.',
    );
    expect(data.decision.next_year).toBe(
      'Keep sending the messages next year and extend them to students whose caregivers were not sent them this year. Expect about 31 fewer days missed for every 100 students whose caregivers are sent the messages, over a period as long as this one.',
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
    expect(data.decision.next_year).toMatch(
      /^The messages probably reduced absences, but not by enough.*consider keeping them in their low-effort form\.$/,
    );
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
    // In plain words at the top; the checks that failed are named under "For researchers".
    expect(data.cautions[0]).toBe(
      'The statistical checks on this analysis did not pass, so these figures are provisional and must not be presented as final; the analysis should be rerun (details under "For researchers").',
    );
    expect(data.methods.diagnostics.warnings).toEqual(['R-hat 1.030 above 1.01 (tau)', '3 divergent transitions after warmup']);
    expect(data.decision.next_year).toMatch(/treat this as provisional until it is rerun\.$/);
  });

  it('a Laplace preview says it is approximate', () => {
    const data = buildReportData({ analysis: makeAnalysis({ method: 'laplace' }) });
    expect(data.cautions.some((c) => c.startsWith('These figures come from a quick approximation, not the full analysis'))).toBe(true);
  });
});

describe('buildReportData: cautions a reader must see first', () => {
  it('a study of fewer than 1,000 students says its certainty may be a few points optimistic', () => {
    // makeAnalysis: 300 + 300 students (docs/model.md, "Known limitation").
    expect(buildReportData({ analysis: makeAnalysis() }).cautions).toContain(
      'This is a small study (600 students in the analysis). In studies this small the certainty figures may be a few points too high, so read a result near the 80% line as weaker than it looks.',
    );
    const large = makeAnalysis({ districts: [{ id: 'D01', treatment: 500, control: 500, median: 0.024, certainty: 0.83 }] });
    expect(buildReportData({ analysis: large }).cautions.some((c) => c.includes('small study'))).toBe(false);
  });

  it('simulated outcomes say so at the top and in the methods; a stated date is in the methods', () => {
    const simulated = {
      ...makeAnalysis({ window: { from: '2025-09-08', to: '2026-05-29' } }),
      arms_in_effect: { date: '2025-08-18', source: 'simulation' as const, simulation: { true_effect: 0.024, seed: 7 } },
    };
    const data = buildReportData({ analysis: simulated });
    expect(data.cautions).toContain(
      'These students and their absences are simulated (made up by the toolkit with a true effect of 2.4% fewer absences) to show how a report reads: this is not a real study.',
    );
    expect(data.methods.arms_in_effect_statement).toBe(
      "The outcomes are simulated: `pilot simulate attendance` made them over this assignment with a true effect of 2.4% (seed 7), with the arms in effect from 2025-08-18, as the assignment's manifest records; the outcome window starts 2025-09-08, on or after that day.",
    );
    const stated = buildReportData({ analysis: { ...simulated, arms_in_effect: { date: '2025-09-01', source: 'stated' } } });
    expect(stated.methods.arms_in_effect).toEqual({ date: '2025-09-01', source: 'stated' });
    expect(stated.methods.arms_in_effect_statement).toBe(
      "The outcome window starts 2025-09-08, on or after 2025-09-01, the day the arms took effect as stated by whoever ran the analysis (--assignment-date), not a date the tool took from the assignment's manifest.",
    );
    expect(stated.cautions.some((c) => c.includes('simulated'))).toBe(false);
  });
});

describe('buildReportData: districts judged one by one', () => {
  it('the network report counts the leanings chance alone would give (4 districts x 0.20 = 0.8)', () => {
    const four = [0.93, 0.81, 0.55, 0.12].map((certainty, i) => ({
      id: `D0${i + 1}`,
      treatment: 150,
      control: 150,
      median: certainty - 0.5,
      certainty,
    }));
    const data = buildReportData({ analysis: makeAnalysis({ districts: four }) });
    expect(data.district_effects?.rows.map((r) => r.leaning)).toEqual(['fewer', 'fewer', 'neither', 'more']);
    expect(data.chance).toMatchObject({ districts: 4, leaning_fewer: 2, min_certainty: 0.8 });
    expect(data.chance?.expected_by_chance).toBeCloseTo(0.8, 12);
    expect(data.chance?.statement).toBe(
      "A district's own result is evidence that leans one way or the other, not a decision of its own: even if the messages did nothing at all, each district would have about a 1 in 5 chance of reaching 80% certainty that absences went down, so across 4 districts about 0.8 would by chance alone. Here 2 of 4 lean toward fewer absences. The study's decision is the network's, the one it was designed for.",
    );
    // A one-district study has no districts to judge apart.
    expect(buildReportData({ analysis: makeAnalysis() }).chance).toBeNull();
  });
});

describe('buildReportData: scopes', () => {
  it("a district report shows the district beside the network; the decision stays the network's, the district's own result is a leaning", () => {
    const analysis = makeAnalysis({ districts: THREE });
    const data = buildReportData({ analysis, study: makeStudy(['D01', 'D02', 'D03']) }, { district: 'D01' });
    expect(data.scope).toEqual({ kind: 'district', district: 'D01', name: 'D01 Unified', districts: 3 });
    expect(data.headline).toMatch(/^In D01 Unified, students .* about 3\.5% fewer days .* 78% certain absences went down there\.$/);
    expect(data.network_effect?.estimate.median).toBe(0.024);
    // The study was designed to decide across the network (83%: working), not district by district.
    expect(data.decision.basis).toBe('network');
    expect(data.decision.applied.certainty).toBe(0.83);
    expect(data.decision.working).toBe(true);
    expect(data.decision.summary).toMatch(/; across the network of 3 districts we are 83% certain\.$/);
    expect(data.decision.next_year).toMatch(/ Across the network of 3 districts, expect about 31 fewer days missed for every 100 students/);
    const leaning = buildReportData(
      { analysis: makeAnalysis({ districts: THREE, certainty: { '0': 0.7, '0.05': 0.2 } }) },
      { district: 'D01' },
    );
    expect(leaning.decision.next_year).toMatch(
      /^Across the network of 3 districts, the evidence leans toward fewer absences but is not strong enough to call the messages working\. /,
    );
    // D01 alone: 78%, short of the 80% line, so its evidence does not lean clearly either way.
    expect(data.district_evidence).toEqual({
      district: 'D01',
      leaning: 'neither',
      certainty: 0.78,
      statement:
        "On its own, the evidence in D01 Unified does not lean clearly either way: we are 78% certain absences went down there (a district's evidence leans one way at 80% or more).",
    });
    // Days not missed are D01's own (makeAnalysis: 0.2 per student), the network's beside them.
    expect(data.days_avoided).toMatchObject({ scope: 'district', district: 'D01', per_treated_student: { mean: 0.2 } });
    expect(data.network_days_avoided).toMatchObject({ scope: 'network', per_treated_student: { mean: 0.31 } });
    expect(data.tables.students_by_arm_and_district?.rows.map((r) => r.district)).toEqual(['D01']);
  });

  it('a district with fewer than 10 students in an arm has no estimate of its own anywhere', () => {
    const analysis = makeAnalysis({ districts: THREE });
    const network = buildReportData({ analysis });
    expect(network.district_effects?.rows.find((r) => r.district === 'D03')).toMatchObject({ estimate: null, certainty: null });
    const small = buildReportData({ analysis }, { district: 'D03' });
    expect(small.effect.estimate.median).toBe(0.024);
    expect(small.decision.basis).toBe('network');
    expect(small.cautions).toContain(
      "Fewer than 10 students of this district are in one of the arms, so its own estimate is not shown; the figures below are the network's, for all 3 districts together.",
    );
    // Its days not missed are the network's too, and say so; no district leaning is given.
    expect(small.days_avoided.scope).toBe('network');
    expect(small.network_days_avoided).toBeUndefined();
    expect(small.district_evidence).toBeUndefined();
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

  it("a too-small district's posterior chart is the pooled one, with draws as without", () => {
    const analysis = makeAnalysis({ districts: THREE });
    // D03's own draws sit far from the pooled ones: a chart drawn from them would show its estimate.
    const draws = {
      effect: Array.from({ length: 400 }, (_, i) => 0.024 + 0.03 * Math.sin(i)),
      'effect[D03]': Array.from({ length: 400 }, (_, i) => 0.2 + 0.03 * Math.cos(i)),
    };
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
    expect(data.cautions).toContain(
      "The study's attendance data were not given, so the charts and tables of absences by arm are left out.",
    );
  });

  it('counts tiers by arm from the study, merging the small top tiers before suppressing (hand-counted)', () => {
    // 60 students per arm, absences i mod 25 of 170 days (control): 0-8 days satisfactory
    // (< 8.5), 9-16 at risk (< 17), 17-24 moderate. i = 0..59: residues 0..24 twice, 0..9
    // once more: 27, 17, 16, 0, 0. Severe and extreme (0 and 0) merge into "20% or more",
    // still 0, so it merges with moderate into "10% or more": 16, printed. Treatment has
    // 16 there too (its one-day-fewer students at residue 20 stay at or above 17 days).
    const data = buildReportData({ analysis: makeAnalysis(), study: makeStudy(['D01']) });
    const tiers = data.charts.attendance_tiers!;
    expect(tiers.categories.map((c) => c.category)).toEqual(['satisfactory', 'at-risk', 'chronic']);
    expect(tiers.categories[2].label).toBe('Chronic (10% or more)');
    expect(tiers.categories.map((c) => c.counts[0].students)).toEqual([27, 17, 16]);
    expect(tiers.categories[2].counts[1].students).toBe(16);
    expect(tiers.suppressed).toBe(0);
    expect(tiers.categories[0].counts[0].share).toBeCloseTo(27 / 60, 12);
    expect(tiers.arm_totals[0].students).toBe(60);
  });
});
