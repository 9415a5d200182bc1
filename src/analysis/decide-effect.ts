import type { Decision, DecisionRule } from './analysis-result.js';

export type Effort = 'low' | 'high';

/**
 * The decision rules of the personalized-messaging how-to guide (docs/model.md,
 * "What is reported"): a low-effort intervention works when
 * `P(effect > 0) >= 0.80`; a demanding one when `P(effect >= 0.05) >= 0.90`.
 */
export const DECISION_RULES: Readonly<Record<Effort, { readonly threshold: number; readonly minCertainty: number }>> = {
  low: { threshold: 0, minCertainty: 0.8 },
  high: { threshold: 0.05, minCertainty: 0.9 },
};

/**
 * Applies both rules to the effect draws' certainty and reports the one for `effort`;
 * with `mcErrorAt`, each rule carries its certainty's Monte Carlo error.
 */
export function decideEffect(
  certaintyAt: (threshold: number) => number,
  effort: Effort,
  mcErrorAt?: (threshold: number) => number,
): Decision {
  const rule = (level: Effort): DecisionRule => {
    const { threshold, minCertainty } = DECISION_RULES[level];
    const certainty = certaintyAt(threshold);
    const mcError = mcErrorAt === undefined ? {} : { certainty_mc_error: mcErrorAt(threshold) };
    return { effort: level, threshold, min_certainty: minCertainty, certainty, ...mcError, met: certainty >= minCertainty };
  };
  const rules = { low: rule('low'), high: rule('high') };
  return { effort, working: rules[effort].met, applied: rules[effort], rules };
}
