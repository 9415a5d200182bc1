import type { ModelTable } from '../data/model-table.js';
import type { RosterStudent } from '../types.js';
import { DEFAULT_CHAIN_OPTIONS } from './sampler/sample-chain.js';
import type { SubgroupEffectOptions, SubgroupEstimate } from './subgroup-effects.js';
import { estimateSubgroupEffects } from './subgroup-effects.js';
import { subgroupFactorsOf } from './subgroup-levels.js';

export interface AnalyzeSubgroupsOptions extends Omit<SubgroupEffectOptions, 'declared'> {
  /** The study's roster, for every factor but `prior_tier` (which the table's baseline gives). */
  readonly roster?: readonly RosterStudent[];
  /**
   * How the analysis followed the study's locked plan, when it has one (`analysis_plan` of
   * analysis.json): the plan's `subgroups` are the factors asked for, or, when they depart
   * from it, the `subgroups` deviation's planned list.
   */
  readonly plan?: {
    readonly locked_before_window: boolean;
    readonly deviations: readonly { readonly field: string; readonly planned: unknown }[];
  };
}

/**
 * The subgroup fit's first adapt_delta in an analysis: a little above the standard 0.8, as
 * a refit for a divergence would cost twice the fit (docs/performance.md, "Subgroups").
 */
export const SUBGROUP_ADAPT_DELTA = 0.9;

/**
 * The subgroup analysis `pilot analyze --subgroups` runs beside the standard fit: each
 * named factor's levels (`subgroupFactorsOf`), then the subgroup model
 * (`estimateSubgroupEffects`). A factor is confirmatory only when the study's analysis
 * plan lists it and was locked before the outcome window began; every other factor is
 * exploratory (a pattern found after looking at outcomes is a hypothesis, not a finding).
 * The subgroup fit draws as many draws as the main fit, at adapt_delta 0.9 unless one is
 * given (SUBGROUP_ADAPT_DELTA), and, when it starts from the main fit's chains (`start`), it
 * adapts for a fifth of the main fit's warmup (200 + 1000 by default; from scratch, half
 * the warmup). Its certainties carry their Monte Carlo error (docs/performance.md,
 * "Subgroups").
 *
 * @example
 * const { result } = await analyzeSubgroups(table, ['prior_tier'], { seed: 42 });
 * result.factors[0].status; // 'exploratory'
 */
export async function analyzeSubgroups(
  table: ModelTable,
  names: readonly string[],
  options: AnalyzeSubgroupsOptions,
): Promise<SubgroupEstimate> {
  const { roster, plan, ...fitOptions } = options;
  const factors = subgroupFactorsOf(table, names, roster);
  const departed = plan?.deviations.find((d) => d.field === 'subgroups');
  const planned = departed ? (departed.planned as readonly string[]) : names;
  const declared = plan?.locked_before_window === true ? planned : [];
  const warmup = Math.ceil((fitOptions.warmup ?? DEFAULT_CHAIN_OPTIONS.warmup) / (fitOptions.start ? 5 : 2));
  const adaptDelta = fitOptions.adaptDelta ?? SUBGROUP_ADAPT_DELTA;
  return estimateSubgroupEffects(table, factors, { ...fitOptions, warmup, adaptDelta, declared });
}
