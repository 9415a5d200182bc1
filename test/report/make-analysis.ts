import type { AnalysisResult, Certainty, DistrictEffect, PosteriorSummary } from '../../src/analysis/analysis-result.js';
import { decideEffect } from '../../src/analysis/decide-effect.js';
import type { ReportStudy, StudyStudent } from '../../src/report/report-study.js';

/** A posterior summary around `median` with a symmetric spread (hand-made, not fitted). */
export function summary(median: number, sd = 0.03): PosteriorSummary {
  return {
    mean: median,
    sd,
    median,
    q025: median - 1.96 * sd,
    q05: median - 1.645 * sd,
    q95: median + 1.645 * sd,
    q975: median + 1.96 * sd,
  };
}

export interface AnalysisSpec {
  readonly median?: number;
  readonly certainty?: Certainty;
  readonly effort?: 'low' | 'high';
  /** `days`: the district's own days avoided per treated student (default 0.2 + 0.05 x its position). */
  readonly districts?: readonly { id: string; treatment: number; control: number; median: number; certainty: number; days?: number }[];
  readonly flagged?: boolean;
  readonly method?: 'nuts' | 'laplace';
  readonly window?: { from: string; to: string };
}

/**
 * A hand-made `analysis.json`: the figures a report prints are the ones given here, so a
 * test can say what the report must read.
 */
export function makeAnalysis(spec: AnalysisSpec = {}): AnalysisResult {
  const median = spec.median ?? 0.024;
  const certainty = spec.certainty ?? { '0': 0.83, '0.05': 0.21 };
  const districtSpecs = spec.districts ?? [{ id: 'D01', treatment: 300, control: 300, median, certainty: certainty['0'] }];
  const network = districtSpecs.length > 1;
  const districts: DistrictEffect[] = districtSpecs.map((d, i) => {
    const days = d.days ?? 0.2 + 0.05 * i;
    return {
      district: d.id,
      n_treatment: d.treatment,
      n_control: d.control,
      effect: summary(d.median),
      certainty: { '0': d.certainty, '0.05': d.certainty / 3 },
      days_avoided: { per_treated_student: summary(days, 0.2), per_100_treated: summary(100 * days, 20) },
    };
  });
  const n = districtSpecs.reduce((s, d) => s + d.treatment + d.control, 0);
  const flagged = spec.flagged ?? false;
  return {
    version: '0.1.0',
    seed: 42,
    method: spec.method ?? 'nuts',
    approximate: (spec.method ?? 'nuts') === 'laplace',
    effect: summary(median),
    effect_parameter: { name: network ? 'mu_theta' : 'theta', ...summary(Math.log(1 - median), 0.03) },
    certainty,
    districts,
    days_avoided: { per_treated_student: summary(0.31, 0.2), per_100_treated: summary(31, 20) },
    decision: decideEffect((t) => certainty[String(t)], spec.effort ?? 'low'),
    diagnostics: {
      rhat_max: flagged ? 1.03 : 1.004,
      ess_bulk_min: 812,
      ess_tail_min: 906,
      ess_bulk_effect: 1650,
      divergences: flagged ? 3 : 0,
      treedepth_saturated: 0,
      ebfmi_min: 0.87,
      adapt_delta: 0.8,
      refits: [],
      flagged,
      warnings: flagged ? ['R-hat 1.030 above 1.01 (tau)', '3 divergent transitions after warmup'] : [],
      parameters: [],
    },
    model: {
      name: 'standard-absence-model',
      network,
      priors: network
        ? {
            alpha: 'normal(-3, 2)',
            gamma: 'normal(0, 1)',
            phi: 'gamma(0.01, 0.01)',
            mu_theta: 'normal(0, 0.5)',
            tau: 'half-normal(0, 0.1)',
            eta: 'normal(0, 1)',
          }
        : { alpha: 'normal(-3, 2)', gamma: 'normal(0, 1)', phi: 'gamma(0.01, 0.01)', theta: 'normal(0, 0.5)' },
      n,
      n_treatment: districtSpecs.reduce((s, d) => s + d.treatment, 0),
      n_control: districtSpecs.reduce((s, d) => s + d.control, 0),
      n_blocks: 12,
      n_districts: districtSpecs.length,
      attrition: { treatment: 4, control: 3 },
      rounded_half_days: 0,
      baseline: 'all',
      chains: 4,
      warmup: 1000,
      draws: 1000,
    },
    ...(spec.window ? { window: spec.window } : {}),
  };
}

/**
 * A hand-made study: in each district, `perArm` students per arm, student i missing
 * i mod 25 of 170 days (so every tier but "extreme" is populated), over two months.
 */
export function makeStudy(districts: readonly string[], perArm = 60): ReportStudy {
  const periods = [
    { label: 'Sep 2025', from: '2025-09-01', to: '2025-09-30' },
    { label: 'Oct 2025', from: '2025-10-01', to: '2025-10-31' },
  ];
  const students: StudyStudent[] = [];
  for (const district of districts) {
    for (const arm of ['control', 'treatment']) {
      for (let i = 0; i < perArm; i++) {
        const absent = (i % 25) - (arm === 'treatment' && i % 5 === 0 ? 1 : 0);
        students.push({
          district,
          arm,
          outcome: { days_enrolled: 170, days_absent: Math.max(0, absent) },
          periods: [
            { days_enrolled: 20, days_absent: i % 3 },
            { days_enrolled: 21, days_absent: i % 4 },
          ],
        });
      }
    }
  }
  const balanceRow = (variable: string, level: string, mean: number) => ({
    variable,
    level,
    n: { control: perArm * districts.length, treatment: perArm * districts.length },
    mean: { control: mean, treatment: mean + 0.004 },
    smd: { treatment: 0.02 },
    flagged: false,
  });
  const balance = [
    balanceRow('baseline_absence_rate', '', 0.061),
    balanceRow('has_baseline', '', 0.8),
    balanceRow('household_size', '', 1.9),
  ];
  return {
    window: { from: '2025-09-01', to: '2025-10-31' },
    periods,
    arms: ['control', 'treatment'],
    controlArm: 'control',
    students,
    balance: { all: balance, byDistrict: Object.fromEntries(districts.map((d) => [d, balance])) },
    districtNames: Object.fromEntries(districts.map((d) => [d, `${d} Unified`])),
    inputs: { roster: 'a'.repeat(64), assignments: 'b'.repeat(64), attendance: 'c'.repeat(64) },
  };
}
