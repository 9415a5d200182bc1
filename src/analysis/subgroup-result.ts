import type { Certainty, PosteriorSummary } from './analysis-result.js';

/**
 * The `subgroups` block of `analysis.json` (docs/analysis-json.md): the treatment effect
 * in each level of each subgroup factor, from the subgroup model (docs/model.md,
 * "Subgroups"), fitted beside the standard model, whose effect stays the headline.
 */
export interface SubgroupsResult {
  readonly model: 'subgroup-absence-model';
  /** Factors enter additively: each level's effect is adjusted for the other factors. */
  readonly pooling: 'additive';
  readonly priors: Readonly<Record<string, string>>;
  /** A level with fewer students than this in either arm is suppressed. */
  readonly small_cell_threshold: number;
  readonly factors: readonly SubgroupFactorEffects[];
  readonly diagnostics: SubgroupDiagnostics;
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
}

export interface SubgroupFactorEffects {
  readonly factor: string;
  /** `confirmatory` when the study's analysis plan, locked before the outcome window, names the factor; otherwise `exploratory`. */
  readonly status: 'confirmatory' | 'exploratory';
  /** `tau_g`: how far the factor's levels' log rate ratios spread around the average. */
  readonly tau: PosteriorSummary;
  readonly levels: readonly SubgroupLevelEffect[];
}

export interface SubgroupLevelEffect {
  readonly level: string;
  /** True when either arm has fewer than `small_cell_threshold` students in the level: no count or estimate is given. */
  readonly suppressed: boolean;
  readonly n_treatment?: number;
  readonly n_control?: number;
  /** `1 - exp(theta + tau_g z[l])` (`mu_theta` in a network): the share of absences avoided in the level. */
  readonly effect?: PosteriorSummary;
  readonly certainty?: Certainty;
}

export interface SubgroupDiagnostics {
  readonly rhat_max: number;
  readonly ess_bulk_min: number;
  readonly divergences: number;
  readonly adapt_delta: number;
  readonly refits: readonly { readonly adapt_delta: number; readonly reason: string }[];
  /** True when the subgroup fit still fails a check: its estimates must not be presented. */
  readonly flagged: boolean;
  readonly warnings: readonly string[];
}
