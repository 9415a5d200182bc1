import { describe, expect, it } from 'vitest';
import type { ChronicAbsence, PosteriorSummary } from '../../src/analysis/analysis-result.js';
import { computeCosts, costRatio } from '../../src/analysis/costs.js';
import type { StudyCosts } from '../../src/data/read-costs.js';

const summary = (median: number, q05: number, q95: number, q025 = q05, q975 = q95, mean = median, sd = 1): PosteriorSummary => ({
  mean,
  sd,
  median,
  q025,
  q05,
  q95,
  q975,
});

const costs: StudyCosts = {
  setup_hours: 40,
  staff_minutes_per_send: 90,
  hourly_wage: 30,
  price_per_sms_segment: 0.01,
  postage_per_letter: 0.6,
  other_fixed_costs: 250,
  currency: '$',
  messages: { sends: 4, sms_segments: 5000, letters: 100, source: 'stated' },
};

describe('computeCosts', () => {
  it('adds up the parts by hand: 1200 + 180 + 50 + 60 + 250 = 1740', () => {
    const result = computeCosts(costs, {
      students_sent: 500,
      days_avoided: { per_treated_student: summary(0.4, 0.1, 0.7), per_100_treated: summary(40, 10, 70) },
    });
    // Set-up 40 h x $30; staff 4 sends x 90 min = 6 h x $30; 5000 segments x $0.01; 100 letters x $0.60; $250.
    expect(result.breakdown).toEqual({ setup: 1200, staff_time_per_send: 180, sms: 50, postage: 60, other_fixed: 250 });
    expect(result.total).toBe(1740);
    expect(result.cost_per_student).toBeCloseTo(3.48, 12);
    // 0.4 days per student x 500 students = 200 days (90%: 50 to 350).
    expect(result.days_gained.median).toBeCloseTo(200, 10);
    expect(result.days_gained.q05).toBeCloseTo(50, 10);
    // $1740 / 200 = $8.70 a day; the interval from the other end of the days': 1740 / 350 to 1740 / 50.
    expect(result.cost_per_day_gained.median).toBeCloseTo(8.7, 10);
    expect(result.cost_per_day_gained.q05).toBeCloseTo(1740 / 350, 10);
    expect(result.cost_per_day_gained.q95).toBeCloseTo(1740 / 50, 10);
    expect(result.no_longer_chronic).toBeUndefined();
  });

  it('cost per student no longer chronically absent: 12 per 1,000 of 500 students is 6 students, $290 each', () => {
    const chronic = { fewer_per_1000: summary(12, 2, 22, -1, 25) } as ChronicAbsence;
    const result = computeCosts(costs, {
      students_sent: 500,
      days_avoided: { per_treated_student: summary(0.4, 0.1, 0.7), per_100_treated: summary(40, 10, 70) },
      chronic_absence: chronic,
    });
    expect(result.no_longer_chronic!.median).toBeCloseTo(6, 10);
    expect(result.cost_per_student_no_longer_chronic!.median).toBeCloseTo(290, 10);
    expect(result.cost_per_student_no_longer_chronic!.q95).toBeCloseTo(1740, 10);
    // The gain's 2.5% quantile is below 0: at 97.5% the cost per student has no finite bound.
    expect(result.cost_per_student_no_longer_chronic!.q975).toBeNull();
  });

  it('costRatio maps the gain quantiles through cost / x in reverse, null where the gain is not positive', () => {
    expect(costRatio(1000, summary(50, 10, 90, -5, 100))).toEqual({ median: 20, q025: 10, q05: 1000 / 90, q95: 100, q975: null });
    expect(costRatio(1000, summary(-1, -3, 0))).toEqual({ median: null, q025: null, q05: null, q95: null, q975: null });
  });
});
