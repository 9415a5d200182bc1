import type { StudyCosts } from '../data/read-costs.js';
import type { ChronicAbsence, CostEffectiveness, CostRatio, CostsGivenTo, DaysAvoided, PosteriorSummary } from './analysis-result.js';

/** A posterior summary multiplied by a positive constant (every field scales). */
function scaled(s: PosteriorSummary, factor: number): PosteriorSummary {
  return {
    mean: s.mean * factor,
    sd: s.sd * factor,
    median: s.median * factor,
    q025: s.q025 * factor,
    q05: s.q05 * factor,
    q95: s.q95 * factor,
    q975: s.q975 * factor,
  };
}

/**
 * `cost / X`'s quantiles from `X`'s (see `CostRatio`).
 *
 * @example
 * costRatio(1000, { median: 50, q05: 10, q95: 90, q025: -5, q975: 100, mean: 50, sd: 25 })
 * // { median: 20, q05: 11.1, q95: 100, q025: 10, q975: null }
 */
export function costRatio(cost: number, gain: PosteriorSummary): CostRatio {
  const over = (x: number) => (x > 0 ? cost / x : null);
  return { median: over(gain.median), q025: over(gain.q975), q05: over(gain.q95), q95: over(gain.q05), q975: over(gain.q025) };
}

/**
 * The costs of the messages and what they bought: the total (set-up hours and staff
 * minutes per send at the hourly wage, SMS segments at their price, letters at their
 * postage, other fixed costs), the cost per student sent the messages, the days of
 * school gained over those students and the cost per day gained, and, with the chronic
 * absence estimate, the cost per student no longer chronically absent, each with its
 * intervals. The figures are posterior summaries (an analysis's, as analysis.json keeps
 * them): each quantile of a cost per unit is the cost over a quantile of the gain, so
 * `pilot report --costs` computes from a finished analysis exactly what analyze would
 * have. `givenTo` says which command the costs file was given to (recorded with its hash).
 */
export function computeCosts(
  costs: StudyCosts,
  figures: { readonly students_sent: number; readonly days_avoided: DaysAvoided; readonly chronic_absence?: ChronicAbsence },
  givenTo: CostsGivenTo = 'analyze',
): CostEffectiveness {
  const { messages, currency, file, ...prices } = costs;
  const breakdown = {
    setup: prices.setup_hours * prices.hourly_wage,
    staff_time_per_send: ((messages.sends * prices.staff_minutes_per_send) / 60) * prices.hourly_wage,
    sms: messages.sms_segments * prices.price_per_sms_segment,
    postage: messages.letters * prices.postage_per_letter,
    other_fixed: prices.other_fixed_costs,
  };
  const total = breakdown.setup + breakdown.staff_time_per_send + breakdown.sms + breakdown.postage + breakdown.other_fixed;
  const n = figures.students_sent;
  const daysGained = scaled(figures.days_avoided.per_treated_student, n);
  const chronic = figures.chronic_absence ? scaled(figures.chronic_absence.fewer_per_1000, n / 1000) : undefined;
  return {
    currency,
    prices,
    messages,
    breakdown,
    total,
    students_sent: n,
    cost_per_student: n > 0 ? total / n : Number.NaN,
    days_gained: daysGained,
    cost_per_day_gained: costRatio(total, daysGained),
    ...(chronic ? { no_longer_chronic: chronic, cost_per_student_no_longer_chronic: costRatio(total, chronic) } : {}),
    ...(file ? { file: { ...file, given_to: givenTo } } : {}),
  };
}
