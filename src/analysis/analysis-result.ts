import type { MessageVolume, StudyCosts } from '../data/read-costs.js';

/**
 * The shape of `analysis.json`: every figure an effect report shows. Written by
 * `pilot analyze`, read by `pilot report` and the notebooks. Field names are snake_case
 * because this is a file format (docs/analysis-json.md).
 */

/** Posterior summary of one scalar quantity. Quantiles are equal-tailed. */
export interface PosteriorSummary {
  readonly mean: number;
  readonly sd: number;
  readonly median: number;
  readonly q025: number;
  readonly q05: number;
  readonly q95: number;
  readonly q975: number;
}

/** `P(effect > threshold)` keyed by the threshold as written (`"0"`, `"0.05"`). */
export type Certainty = Readonly<Record<string, number>>;

/**
 * The Monte Carlo standard error of each certainty, under the same keys
 * (`certaintyMcError`): how far the certainty could move with another seed.
 */
export type CertaintyMcError = Certainty;

export interface DistrictEffect {
  readonly district: string;
  readonly n_treatment: number;
  readonly n_control: number;
  /** `1 - exp(theta[d])`, partially pooled in a network fit. */
  readonly effect: PosteriorSummary;
  readonly certainty: Certainty;
  /** Monte Carlo error of each certainty (absent in analyses made before it was recorded). */
  readonly certainty_mc_error?: CertaintyMcError;
  /** Days avoided over this district's own treated students in the fit, from its `theta[d]`. */
  readonly days_avoided: DaysAvoided;
}

export interface DecisionRule {
  readonly effort: 'low' | 'high';
  /** The effect must exceed this (0 for low effort, 0.05 for high). */
  readonly threshold: number;
  /** ... with at least this posterior probability (0.80 low, 0.90 high). */
  readonly min_certainty: number;
  readonly certainty: number;
  /** Monte Carlo error of `certainty`. */
  readonly certainty_mc_error?: number;
  readonly met: boolean;
}

export interface Decision {
  /** The effort level the user chose; its rule is the one applied. */
  readonly effort: 'low' | 'high';
  readonly working: boolean;
  readonly applied: DecisionRule;
  readonly rules: { readonly low: DecisionRule; readonly high: DecisionRule };
}

export interface ParameterDiagnostics {
  readonly name: string;
  readonly mean: number;
  readonly sd: number;
  readonly rhat: number;
  readonly ess_bulk: number;
  readonly ess_tail: number;
}

export interface Diagnostics {
  readonly rhat_max: number;
  readonly ess_bulk_min: number;
  readonly ess_tail_min: number;
  /** Bulk-ESS of the effect parameter (the spec's threshold is 400). */
  readonly ess_bulk_effect: number;
  readonly divergences: number;
  readonly treedepth_saturated: number;
  readonly ebfmi_min: number;
  /** The target acceptance of the fit reported (0.8, or 0.95/0.99 after refits). */
  readonly adapt_delta: number;
  /** Each earlier attempt that failed the checks and why: the report says it refit. */
  readonly refits: readonly { readonly adapt_delta: number; readonly reason: string }[];
  /** True when the reported fit still fails a check: never present it as final. */
  readonly flagged: boolean;
  readonly warnings: readonly string[];
  readonly parameters: readonly ParameterDiagnostics[];
}

export interface ModelDescription {
  readonly name: 'standard-absence-model';
  readonly network: boolean;
  readonly priors: Readonly<Record<string, string>>;
  /** Students in the fit (after dropping e = 0). */
  readonly n: number;
  readonly n_treatment: number;
  readonly n_control: number;
  readonly n_blocks: number;
  readonly n_districts: number;
  /** Students left out because they were enrolled 0 days, by arm. */
  readonly attrition: { readonly treatment: number; readonly control: number };
  /** Students whose fractional absences were rounded to whole days. */
  readonly rounded_half_days: number;
  /** Which baseline terms the fit has: gamma only, gamma and delta, or neither. */
  readonly baseline: 'all' | 'partial' | 'none';
  readonly chains: number;
  readonly warmup: number;
  readonly draws: number;
  /**
   * Whether the fit had the household random effect (docs/model.md, "Household effect"),
   * what was asked (`auto`, `on`, `off`), households in it and the students in the fit who
   * share their household with another. Absent in analyses made before it existed.
   */
  readonly household_effect?: {
    readonly fitted: boolean;
    readonly option: 'auto' | 'on' | 'off';
    readonly households: number;
    readonly in_shared_households: number;
  };
}

/** Chronic absence from the posterior predictive distribution (`computeChronicAbsence`; docs/model.md). */
export interface ChronicAbsence {
  /** Missing this share of enrolled days or more counts as chronic (0.1). */
  readonly threshold: number;
  /** Expected share chronically absent of the students in the fit, were none sent the messages. */
  readonly share_control: PosteriorSummary;
  /** The same, were every one of them sent the messages. */
  readonly share_treatment: PosteriorSummary;
  /** `share_treatment - share_control`, in percentage points (negative: fewer chronically absent). */
  readonly difference_points: PosteriorSummary;
  /** Students per 1,000 sent the messages who are no longer chronically absent: `-10 x difference_points`. */
  readonly fewer_per_1000: PosteriorSummary;
  /** `P(difference < 0)`: the certainty that chronic absence fell. */
  readonly certainty_fell: number;
  readonly certainty_fell_mc_error: number;
  /** Posterior draws used (thinned evenly to at most `CHRONIC_ABSENCE_MAX_DRAWS`). */
  readonly draws: number;
}

/**
 * Quantiles of a cost per unit gained, `cost / X`, from those of the gain `X`. The cost
 * is fixed, so the ratio's quantiles are the gain's, mapped through `cost / x` and
 * reversed: `q_p(cost / X) = cost / q_(1-p)(X)`. A draw that gained nothing (`X <= 0`)
 * has no finite cost per unit; where a quantile of the gain is at or below 0, the
 * ratio's is unbounded: `null`. No mean: one draw near 0 would make it anything.
 */
export interface CostRatio {
  readonly median: number | null;
  readonly q025: number | null;
  readonly q05: number | null;
  readonly q95: number | null;
  readonly q975: number | null;
}

/** What the messages cost and what that bought (analysis.json's `costs`; docs/model.md, "Costs"). */
export interface CostEffectiveness {
  readonly currency: string;
  /** The prices as costs.json gave them. */
  readonly prices: Omit<StudyCosts, 'messages' | 'currency'>;
  readonly messages: MessageVolume;
  /** Each part of the total cost. */
  readonly breakdown: {
    readonly setup: number;
    readonly staff_time_per_send: number;
    readonly sms: number;
    readonly postage: number;
    readonly other_fixed: number;
  };
  readonly total: number;
  /** Students in the fit whose caregivers were sent the messages (the cost is spread over them). */
  readonly students_sent: number;
  readonly cost_per_student: number;
  /** Days of school gained over all of them: days avoided per treated student times their number. */
  readonly days_gained: PosteriorSummary;
  readonly cost_per_day_gained: CostRatio;
  /** Students of theirs no longer chronically absent (absent without the chronic-absence estimate). */
  readonly no_longer_chronic?: PosteriorSummary;
  readonly cost_per_student_no_longer_chronic?: CostRatio;
  /**
   * The costs file (`readCosts`): its `name` (no folder) and `sha256`, and the command it
   * was `given_to`: `analyze`, or `report` when `pilot report --costs` added the costs
   * after the analysis (or replaced the analysis's with `--replace-costs`).
   */
  readonly file?: { readonly name: string; readonly sha256: string; readonly given_to: CostsGivenTo };
}

/** Which command a costs file was given to: `pilot analyze --costs` or, later, `pilot report --costs`. */
export type CostsGivenTo = 'analyze' | 'report';

/** One bin of the dose view: treated students by messages delivered (descriptive only). */
export interface DoseBin {
  readonly delivered_from: number;
  /** The bin's last count; null for the open top bin ("N or more"). */
  readonly delivered_to: number | null;
  readonly students: number;
  /** Their days absent over their days enrolled in the outcome window (raw, unadjusted). */
  readonly absence_rate: number;
}

/** The effect when the messages were delivered (`computeDeliveredEffect`; docs/model.md, "Effect when delivered"). */
export interface DeliveredEffect {
  /** A student received the messages with at least this many delivered (`--received-at-least`). */
  readonly received_at_least: number;
  readonly treatment: { readonly students: number; readonly received: number; readonly share_received: number };
  /** Control students who received messages (contamination): 0 under one-sided non-compliance. */
  readonly control: { readonly students: number; readonly received: number; readonly share_received: number };
  readonly one_sided: boolean;
  /** False when no more treated than control students received (no compliers to speak of): no figures. */
  readonly estimable: boolean;
  readonly assumptions: string;
  /** Days avoided per student whose caregivers received the messages (per complier). */
  readonly days_avoided_per_complier?: PosteriorSummary;
  /** The percent reduction in absences among compliers. */
  readonly effect?: PosteriorSummary;
  readonly certainty?: Certainty;
  readonly certainty_mc_error?: CertaintyMcError;
  /** Posterior draws used (thinned evenly to at most 1,000). */
  readonly draws?: number;
  /** Descriptive: treated students by messages delivered, with their raw absence rate. */
  readonly dose: readonly DoseBin[];
  readonly control_absence_rate: number;
}

export interface DaysAvoided {
  /** Posterior summary of days avoided per treated student in the outcome window (negative: more days missed). */
  readonly per_treated_student: PosteriorSummary;
  readonly per_100_treated: PosteriorSummary;
}

/**
 * When the arms took effect, and where that date comes from: an outcome window must
 * start on it or later, since outcomes from before the assignment cannot show an effect
 * of the messages (`checkArmsInEffect`).
 */
export interface ArmsInEffect {
  /** The first day the arms were in effect, YYYY-MM-DD. */
  readonly date: string;
  /**
   * `assignment`: the day the manifest's initial run was made; `simulation`: the day a
   * `pilot simulate attendance` run recorded in the manifest, for this very attendance
   * file, started applying the arms; `stated`: given by the user (`--assignment-date`),
   * for a study assigned elsewhere or re-created.
   */
  readonly source: 'assignment' | 'simulation' | 'stated';
  /** For `simulation`: the true effect the outcomes were simulated with, and the seed. */
  readonly simulation?: { readonly true_effect: number; readonly seed: number };
  /**
   * Set when the assignment was made by another tool and imported (`pilot assign --import`):
   * the file, its SHA-256, what made it, and how the probability of treatment was given
   * (`per student`, `per block` or `one for all`). With source `assignment`, the date is the day of the import.
   */
  readonly imported?: { readonly file: string; readonly sha256: string; readonly source: string; readonly probabilities: string };
}

export interface AnalysisResult {
  readonly version: string;
  readonly seed: number;
  /** `nuts` is the standard; `laplace` is an approximate preview and says so. */
  readonly method: 'nuts' | 'laplace';
  readonly approximate: boolean;
  /** Percent reduction in absences: `1 - exp(theta)` or `1 - exp(mu_theta)`. */
  readonly effect: PosteriorSummary;
  readonly effect_parameter: PosteriorSummary & { readonly name: 'theta' | 'mu_theta' };
  readonly certainty: Certainty;
  /** Monte Carlo error of each certainty (absent in analyses made before it was recorded). */
  readonly certainty_mc_error?: CertaintyMcError;
  readonly districts: readonly DistrictEffect[];
  readonly days_avoided: DaysAvoided;
  /** Chronic absence (missing 10% or more of enrolled days) with and without the messages, from the posterior predictive distribution. */
  readonly chronic_absence?: ChronicAbsence;
  /** With `--costs`: what the messages cost and what that bought, with intervals. */
  readonly costs?: CostEffectiveness;
  /** With `--deliveries`: the effect for students whose caregivers received the messages, beside the assignment effect. */
  readonly delivered_effect?: DeliveredEffect;
  readonly decision: Decision;
  readonly diagnostics: Diagnostics;
  readonly model: ModelDescription;
  /** The outcome window when the table was built from attendance data. */
  readonly window?: { readonly from: string; readonly to: string };
  /** SHA-256 of each input file, by role. */
  readonly inputs?: Readonly<Record<string, string>>;
  /** When the table was built from study files: the date the outcome window was checked against. */
  readonly arms_in_effect?: ArmsInEffect;
  /**
   * The draws written with this analysis (`--draws-csv`), by SHA-256: a report uses a draws
   * file only when it is this one, so a chart never shows one fit beside another's headline.
   */
  readonly draws_csv?: { readonly file: string; readonly sha256: string };
  /** Treatment effects by subgroup (`--subgroups`), from the subgroup model fitted beside this one. */
  readonly subgroups?: SubgroupsResult;
  /** The study's locked analysis plan, when it has one: its hash, when it was locked, and each departure from it. */
  readonly analysis_plan?: AnalysisPlanFollowed;
}

/** One choice of an analysis that departs from the locked plan, with the reason given (`--deviate`). */
export interface PlanDeviation {
  /** The plan's field (`outcome_window`, `decision_rule.effort`, `prior.sd`, ...). */
  readonly field: string;
  /** The option that departed from it (`--from/--to`, `--effort`, ...). */
  readonly option: string;
  readonly planned: unknown;
  readonly used: unknown;
  readonly reason: string;
}

/** How an analysis followed the study's locked plan (`analysis-plan.json`). */
export interface AnalysisPlanFollowed {
  readonly file: string;
  /** SHA-256 of the plan, as the assignment's manifest recorded it. */
  readonly sha256: string;
  /** When the plan was locked (ISO 8601), from the manifest. */
  readonly locked_at: string;
  /** True when it was locked with the assignment itself (`pilot assign --plan`). */
  readonly with_assignment: boolean;
  /** The first day of the outcome window analyzed. */
  readonly window_from: string;
  /** True when the plan was locked on a day before `window_from` (a lock on that day itself is not before). */
  readonly locked_before_window: boolean;
  /** Each departure from the plan, in the plan's field order; empty when the analysis followed it. */
  readonly deviations: readonly PlanDeviation[];
}

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
  /** Monte Carlo error of each certainty, under the same keys. */
  readonly certainty_mc_error?: Certainty;
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
