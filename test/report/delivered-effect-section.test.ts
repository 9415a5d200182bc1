import { describe, expect, it } from 'vitest';
import type { CostEffectiveness, DeliveredEffect, PosteriorSummary } from '../../src/analysis/analysis-result.js';
import { buildReportData } from '../../src/report/build-report-data.js';
import { describeCosts, describeDeliveredEffect, publishDeliveredCounts } from '../../src/report/delivered-effect-section.js';
import { renderReportHtml } from '../../src/report/render-report-html.js';
import { makeAnalysis } from './make-analysis.js';

const at = (median: number, q05: number, q95: number): PosteriorSummary => ({
  mean: median,
  sd: 1,
  median,
  q025: q05,
  q05,
  q95,
  q975: q95,
});

const delivered: DeliveredEffect = {
  received_at_least: 1,
  treatment: { students: 700, received: 497, share_received: 0.71 },
  control: { students: 700, received: 0, share_received: 0 },
  one_sided: true,
  estimable: true,
  assumptions:
    'This assumes the messages changed attendance only for students whose caregivers received them, and that the lottery, not who could be reached, decided who was sent them.',
  days_avoided_per_complier: at(0.62, 0.05, 1.2),
  effect: at(0.045, 0.004, 0.087),
  certainty: { '0': 0.96, '0.05': 0.42 },
  certainty_mc_error: { '0': 0.004, '0.05': 0.011 },
  draws: 1000,
  dose: [
    { delivered_from: 0, delivered_to: 0, students: 203, absence_rate: 0.081 },
    { delivered_from: 1, delivered_to: null, students: 497, absence_rate: 0.058 },
  ],
  control_absence_rate: 0.066,
};

const costs = {
  currency: '$',
  total: 2849,
  cost_per_student: 4.07,
  days_gained: at(434, 35, 840),
  cost_per_day_gained: { median: 6.56, q025: 3, q05: 3.39, q95: 81.4, q975: null },
  cost_per_student_no_longer_chronic: { median: 407, q025: 150, q05: 180, q95: null, q975: null },
} as unknown as CostEffectiveness;

describe("the report's effect when delivered and costs", () => {
  it('says how many were reached, the effect for them with its certainty, and the assumptions', () => {
    expect(describeDeliveredEffect(delivered)).toBe(
      'The messages reached the caregivers of 71% of the students sent them (at least 1 delivered). For those students, absences fell by about 4.5% (likely range 0.4% to 8.7% fewer), about 0.62 days of school per student reached; we are 96% ± 0.4% certain absences went down for them. ' +
        delivered.assumptions,
    );
    expect(describeDeliveredEffect({ ...delivered, estimable: false, effect: undefined })).toMatch(/cannot be told apart\.$/);
  });

  it('gives the costs in money, with no upper bound where the gain may be nothing', () => {
    expect(describeCosts(costs)).toBe(
      'The messages cost $2,849.00 in all, $4.07 per student sent them. Each day of school gained cost about $6.56 (likely range $3.39 to $81.40), and each student no longer chronically absent about $407 (likely range $180 to no upper bound).',
    );
  });

  it('shows both beside the assignment effect, which stays the headline, and labels the dose view descriptive', () => {
    const analysis = { ...makeAnalysis(), delivered_effect: delivered, costs };
    const data = buildReportData({ analysis });
    expect(data.headline).toMatch(/^Students whose caregivers were sent the messages missed about 2\.4% fewer days/);
    expect(data.delivered_effect?.scope).toBe('study');
    const html = renderReportHtml(data, {});
    expect(html).toContain('<h3>When the messages arrived</h3>');
    expect(html).toContain('Descriptive only');
    expect(html).toContain('<td>1 or more</td>');
    expect(html).toContain('<h3>What it cost</h3>');
    expect(html.indexOf('When the messages arrived')).toBeGreaterThan(html.indexOf('Days of school not missed'));
    expect(buildReportData({ analysis: makeAnalysis() }).delivered_effect).toBeNull();
  });

  it('suppresses a count under 10 in the report (3 control students messaged by mistake), with its share', () => {
    const contaminated = { ...delivered, one_sided: false, control: { students: 700, received: 3, share_received: 3 / 700 } };
    const published = publishDeliveredCounts(contaminated);
    expect(published.control).toEqual({ students: 700, received: null, share_received: null });
    expect(published.treatment).toEqual({ students: 700, received: 497, share_received: 0.71 });
    const small = publishDeliveredCounts({
      ...delivered,
      dose: [{ delivered_from: 0, delivered_to: null, students: 700, absence_rate: 0.07 }],
    });
    expect(small.dose[0].students).toBe(700);
    const data = buildReportData({ analysis: { ...makeAnalysis(), delivered_effect: contaminated } });
    expect(JSON.stringify(data.delivered_effect)).not.toContain('"received":3');
  });
});
