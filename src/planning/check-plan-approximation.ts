import { DECISION_RULES } from '../analysis/decide-effect.js';
import { estimateEffect } from '../analysis/estimate-effect.js';
import type { EffectPrior } from '../analysis/model/effect-prior.js';
import { deriveRng } from '../random.js';
import { plannedStudyTable } from './planned-study-table.js';
import type { PlanModel } from './prepare-plan-model.js';
import type { PlannedStudy } from './simulate-planned-study.js';

/** A simulated study kept for the check, with its approximate certainties. */
export interface CheckedStudy {
  readonly effect: number;
  readonly study: PlannedStudy;
  readonly approximate: { readonly low: number; readonly high: number };
  /** The label of its stream, from which the NUTS fit's seed is derived. */
  readonly seed: string;
}

/** How far the approximation was from the full fit on the studies refitted. */
export interface PlanCheck {
  readonly studies: number;
  /** Largest and mean absolute difference in P(effect > 0) and in P(effect > 0.05). */
  readonly max_difference_low: number;
  readonly max_difference_high: number;
  readonly mean_difference_low: number;
  readonly mean_difference_high: number;
  /** Studies where both fits reach the same decision, under each rule. */
  readonly decisions_agree_low: number;
  readonly decisions_agree_high: number;
  /** NUTS fits that failed their checks (R-hat, ESS, divergences) after refits: their certainty is less sure. */
  readonly flagged: number;
  readonly rows: readonly {
    readonly effect: number;
    readonly approximate_low: number;
    readonly nuts_low: number;
    readonly approximate_high: number;
    readonly nuts_high: number;
  }[];
}

/**
 * Refits the kept studies with `estimateEffect` as `pilot analyze` runs it (4 chains,
 * 1000 + 1000, refits when a check fails) and compares the certainties. The NUTS
 * certainty itself carries Monte Carlo error (about 0.01 at 4,000 draws).
 */
export async function checkPlanApproximation(model: PlanModel, studies: readonly CheckedStudy[], prior: EffectPrior): Promise<PlanCheck> {
  const rows: PlanCheck['rows'][number][] = [];
  let flagged = 0;
  for (const checked of studies) {
    const seed = Math.floor(deriveRng(checked.seed, 'check')() * 2 ** 31);
    const result = await estimateEffect(plannedStudyTable(model.design, checked.study), {
      seed,
      effectPrior: prior,
      thresholds: [DECISION_RULES.low.threshold, DECISION_RULES.high.threshold],
    });
    if (result.diagnostics.flagged) flagged++;
    rows.push({
      effect: checked.effect,
      approximate_low: checked.approximate.low,
      nuts_low: result.certainty[String(DECISION_RULES.low.threshold)],
      approximate_high: checked.approximate.high,
      nuts_high: result.certainty[String(DECISION_RULES.high.threshold)],
    });
  }
  const differences = (key: 'low' | 'high') => rows.map((r) => Math.abs(r[`approximate_${key}`] - r[`nuts_${key}`]));
  const agree = (key: 'low' | 'high') =>
    rows.filter((r) => r[`approximate_${key}`] >= DECISION_RULES[key].minCertainty === r[`nuts_${key}`] >= DECISION_RULES[key].minCertainty)
      .length;
  const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  return {
    studies: rows.length,
    max_difference_low: max(differences('low')),
    max_difference_high: max(differences('high')),
    mean_difference_low: mean(differences('low')),
    mean_difference_high: mean(differences('high')),
    decisions_agree_low: agree('low'),
    decisions_agree_high: agree('high'),
    flagged,
    rows,
  };
}
