import type { Effort } from '../analysis/decide-effect.js';
import { DECISION_RULES } from '../analysis/decide-effect.js';
import type { EffectPrior } from '../analysis/model/effect-prior.js';
import { DEFAULT_EFFECT_PRIOR } from '../analysis/model/effect-prior.js';
import { UsageError } from '../errors.js';
import type { CheckedStudy, PlanCheck } from './check-plan-approximation.js';
import { checkPlanApproximation } from './check-plan-approximation.js';
import type { PlanAssumptions } from './plan-assumptions.js';
import { normalizePlanAssumptions } from './plan-assumptions.js';
import type { PlanDesign } from './plan-design.js';
import { preparePlanModel } from './prepare-plan-model.js';
import type { PlanRun, StudyTask } from './run-planned-studies.js';
import { runPlannedStudies, runPlannedStudy } from './run-planned-studies.js';

export interface PlanStudyOptions {
  /** The seed of every simulated study's stream: the same seed gives the same plan. */
  readonly seed: number | string;
  /** True effects (share of absences avoided) to simulate; 0 is always added. Default 0 to 0.09 by 0.01. */
  readonly effects?: readonly number[];
  /** Simulated studies per effect; default 200. */
  readonly simulations?: number;
  /** A prior over the true effect (share avoided, normal): also report assurance, the rules' probability averaged over it. */
  readonly effectPrior?: { readonly mean: number; readonly sd: number };
  /** What the plan assumes beyond the design (defaults in `DEFAULT_PLAN_ASSUMPTIONS`). */
  readonly assumptions?: Partial<PlanAssumptions>;
  /** The analysis' prior on the effect parameter, as `pilot analyze --prior-mean/--prior-sd`; default Normal(0, 0.5). */
  readonly analysisPrior?: EffectPrior;
  /** The probability the smallest effect must reach; default 0.8. */
  readonly targetProbability?: number;
  /** Refit this many of the simulated studies with the full NUTS fit and compare (slow); default 0. */
  readonly check?: number;
  /** Called after each effect with the studies done so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads for the simulated studies (default 2); the plan does not depend on them. */
  readonly threads?: number;
}

/** The probability that a study meets each decision rule, for one true effect. */
export interface PlanRow {
  readonly effect: number;
  readonly studies: number;
  /** Share of simulated studies that end "working" under the low-effort rule (P(effect > 0) >= 0.80). */
  readonly p_working_low: number;
  /** The same under the demanding rule (P(effect > 0.05) >= 0.90). */
  readonly p_working_high: number;
  /** Monte Carlo standard errors of the two shares, sqrt(p (1 - p) / studies). */
  readonly mc_se_low: number;
  readonly mc_se_high: number;
}

export interface PlanResult {
  readonly design: {
    readonly students: number;
    readonly districts: number;
    readonly blocks: number;
    readonly households: number;
    readonly window_days: number;
    readonly baseline: 'all' | 'partial' | 'none';
    /** Expected daily absence rate over the network (students' average). */
    readonly absence_rate: number;
  };
  /** What the simulation assumed (`PlanAssumptions`, named as in the JSON files). */
  readonly assumptions: { readonly phi: number; readonly baseline_slope: number; readonly missing_shift: number; readonly tau: number };
  readonly analysis_prior: EffectPrior;
  readonly rules: Readonly<Record<Effort, { readonly threshold: number; readonly min_certainty: number }>>;
  readonly seed: number | string;
  readonly simulations: number;
  /** Rows by effect, ascending; the one at effect 0 is the chance of a false "working". */
  readonly rows: readonly PlanRow[];
  readonly false_working: { readonly low: number; readonly high: number };
  readonly target_probability: number;
  /** The smallest effect whose probability reaches the target, interpolated linearly between simulated effects; null when none in the range does. */
  readonly smallest_effect: { readonly low: number | null; readonly high: number | null };
  readonly assurance?: {
    readonly prior: { readonly mean: number; readonly sd: number };
    readonly studies: number;
    readonly p_working_low: number;
    readonly p_working_high: number;
    readonly mc_se_low: number;
    readonly mc_se_high: number;
  };
  /** The method's name: each study's certainty is approximate (docs/planning.md). */
  readonly method: 'normal-approximation';
  readonly check?: PlanCheck;
  readonly warnings: readonly string[];
}

export const DEFAULT_PLAN_EFFECTS: readonly number[] = [0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09];

/**
 * Power and assurance of a planned study (issue 17): for each true effect, simulates
 * `simulations` studies from the standard absence model on the design and counts how
 * often each decision rule would call the messages "working". Each study's certainty comes
 * from a fast approximation of the NUTS fit (`fitDistrictEffects`, then
 * `poolDistrictEffects`), checked against full fits by `check` (docs/planning.md says by
 * how much they differ). Study s of every effect draws from the same stream,
 * `deriveRng(seed, 'plan/study-s')` (common random numbers: the studies differ between
 * effects only by the effect, so the curve is smooth and the smallest effect's
 * interpolation steady); the prior's studies have streams of their own.
 */
export async function planStudy(design: PlanDesign, options: PlanStudyOptions): Promise<PlanResult> {
  const simulations = options.simulations ?? 200;
  if (!(Number.isInteger(simulations) && simulations >= 1))
    throw new UsageError('planStudy', `simulations must be a whole number >= 1, got ${simulations}`);
  const given = options.effects ?? DEFAULT_PLAN_EFFECTS;
  if (given.some((e) => !(Number.isFinite(e) && e < 1)))
    throw new UsageError('planStudy', `effects must be numbers below 1 (a share of absences avoided), got ${given.join(', ')}`);
  const effects = [...new Set([0, ...given])].sort((a, b) => a - b);
  const target = options.targetProbability ?? 0.8;
  if (!(target > 0 && target < 1)) throw new UsageError('planStudy', `targetProbability must be between 0 and 1, got ${target}`);
  const prior = options.analysisPrior ?? DEFAULT_EFFECT_PRIOR;
  if (!(prior.sd > 0 && Number.isFinite(prior.mean)))
    throw new UsageError('planStudy', `the analysis prior needs a finite mean and a positive sd, got Normal(${prior.mean}, ${prior.sd})`);
  const effectPrior = options.effectPrior;
  if (effectPrior && !(Number.isFinite(effectPrior.mean) && effectPrior.mean < 1 && effectPrior.sd > 0)) {
    throw new UsageError(
      'planStudy',
      `the effect prior needs a mean below 1 and a positive sd, got Normal(${effectPrior.mean}, ${effectPrior.sd})`,
    );
  }
  const check = options.check ?? 0;
  if (!(Number.isInteger(check) && check >= 0)) throw new UsageError('planStudy', `check must be a whole number >= 0, got ${check}`);
  const assumptions = normalizePlanAssumptions(options.assumptions);
  const model = preparePlanModel(design, assumptions);

  const run: PlanRun = { design, assumptions, prior, seed: options.seed };
  const tasks: StudyTask[] = [];
  for (let i = 0; i < effects.length; i++)
    for (let s = 0; s < simulations; s++) tasks.push({ label: `plan/study-${s}`, effect: effects[i] });
  if (effectPrior) for (let s = 0; s < simulations; s++) tasks.push({ label: `plan/prior/${s}`, effectPrior });
  const outcomes = await runPlannedStudies(run, tasks, { threads: options.threads, onProgress: options.onProgress, model });
  const countMet = (from: number, to: number) => {
    let low = 0;
    let high = 0;
    for (let t = from; t < to; t++) {
      if (outcomes.low[t] >= DECISION_RULES.low.minCertainty) low++;
      if (outcomes.high[t] >= DECISION_RULES.high.minCertainty) high++;
    }
    return { low, high };
  };
  const rows = effects.map((effect, i) => {
    const met = countMet(i * simulations, (i + 1) * simulations);
    return shareRow(effect, simulations, met.low, met.high);
  });
  let assurance: PlanResult['assurance'];
  if (effectPrior) {
    const met = countMet(effects.length * simulations, tasks.length);
    const row = shareRow(NaN, simulations, met.low, met.high);
    assurance = {
      prior: { mean: effectPrior.mean, sd: effectPrior.sd },
      studies: simulations,
      p_working_low: row.p_working_low,
      p_working_high: row.p_working_high,
      mc_se_low: row.mc_se_low,
      mc_se_high: row.mc_se_high,
    };
  }
  const unconverged = outcomes.converged.reduce((count, c) => count + (c === 0 ? 1 : 0), 0);

  // The studies refitted with NUTS: taken in turn from each effect, the first studies of each.
  const checkedStudies: CheckedStudy[] = [];
  for (let j = 0; j < Math.min(check, effects.length * simulations); j++) {
    const task = tasks[(j % effects.length) * simulations + Math.floor(j / effects.length)];
    const { study, low, high } = runPlannedStudy(model, run, task);
    checkedStudies.push({ effect: task.effect!, study, approximate: { low, high }, seed: `${options.seed}/${task.label}` });
  }

  const zero = rows.find((r) => r.effect === 0)!;
  const warnings =
    unconverged > 0 ? [`${unconverged} simulated studies' approximate fits did not converge; their certainties may be off`] : [];
  const meanRate = model.controlMean.reduce((a, b) => a + b, 0) / (design.students * design.windowDays);
  return {
    design: {
      students: design.students,
      districts: design.districts.length,
      blocks: design.blocks.length,
      households: design.households,
      window_days: design.windowDays,
      baseline: !model.hasGamma ? 'none' : model.hasDelta ? 'partial' : 'all',
      absence_rate: meanRate,
    },
    assumptions: {
      phi: assumptions.phi,
      baseline_slope: assumptions.baselineSlope,
      missing_shift: assumptions.missingShift,
      tau: assumptions.tau,
    },
    analysis_prior: { mean: prior.mean, sd: prior.sd },
    rules: {
      low: { threshold: DECISION_RULES.low.threshold, min_certainty: DECISION_RULES.low.minCertainty },
      high: { threshold: DECISION_RULES.high.threshold, min_certainty: DECISION_RULES.high.minCertainty },
    },
    seed: options.seed,
    simulations,
    rows,
    false_working: { low: zero.p_working_low, high: zero.p_working_high },
    target_probability: target,
    smallest_effect: { low: smallestEffect(rows, 'p_working_low', target), high: smallestEffect(rows, 'p_working_high', target) },
    ...(assurance ? { assurance } : {}),
    method: 'normal-approximation',
    ...(check > 0 ? { check: await checkPlanApproximation(model, checkedStudies, prior) } : {}),
    warnings,
  };
}

function shareRow(effect: number, studies: number, low: number, high: number): PlanRow {
  const se = (count: number) => Math.sqrt(((count / studies) * (1 - count / studies)) / studies);
  return { effect, studies, p_working_low: low / studies, p_working_high: high / studies, mc_se_low: se(low), mc_se_high: se(high) };
}

/**
 * The first effect (from 0 up) whose probability reaches `target`, by linear
 * interpolation from the effect before it; null when no simulated effect reaches it.
 */
export function smallestEffect(rows: readonly PlanRow[], key: 'p_working_low' | 'p_working_high', target: number): number | null {
  const ordered = rows.filter((r) => r.effect >= 0);
  for (let i = 0; i < ordered.length; i++) {
    const p = ordered[i][key];
    if (p < target) continue;
    if (i === 0) return ordered[0].effect;
    const before = ordered[i - 1];
    return before.effect + ((target - before[key]) * (ordered[i].effect - before.effect)) / (p - before[key]);
  }
  return null;
}
