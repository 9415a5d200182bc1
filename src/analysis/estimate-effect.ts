import type { ModelTable } from '../data/model-table.js';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import type { AnalysisResult, DaysAvoided, Diagnostics, DistrictEffect, ModelDescription } from './analysis-result.js';
import { computeChronicAbsence } from './chronic-absence.js';
import { computeDaysAvoided } from './days-avoided.js';
import type { Effort } from './decide-effect.js';
import { decideEffect } from './decide-effect.js';
import type { FitDiagnosis } from './diagnose-fit.js';
import { diagnoseFit } from './diagnose-fit.js';
import { createAbsenceLogDensity } from './model/absence-log-density.js';
import type { AbsenceModelData } from './model/absence-model-data.js';
import { districtModelOutputs, districtShiftAt, withDistrictShift } from './model/district-coordinates.js';
import type { EffectPrior } from './model/effect-prior.js';
import { DEFAULT_EFFECT_PRIOR } from './model/effect-prior.js';
import { findMode } from './model/find-mode.js';
import { householdModelOutputs, householdShiftAt, withHouseholdShift } from './model/household-coordinates.js';
import type { HouseholdEffectOption } from './model/household-effect.js';
import { chooseHouseholdEffect, householdEffectSetting, SIGMA_HOUSEHOLD_SCALE } from './model/household-effect.js';
import { modeStart } from './model/mode-start.js';
import { parameterLayout } from './model/parameter-layout.js';
import type { AbsenceModel } from './model/prepare-absence-model.js';
import { prepareAbsenceModel } from './model/prepare-absence-model.js';
import { certaintyMcError, computeCertaintyMcError } from './monte-carlo-error.js';
import type { PosteriorDraws } from './posterior-draws.js';
import { constrainDraws } from './posterior-draws.js';
import { runChains } from './sampler/run-chains.js';
import type { ChainEnd, ChainOptions, ChainOutput } from './sampler/sample-chain.js';
import { chainEndOf, DEFAULT_CHAIN_OPTIONS } from './sampler/sample-chain.js';
import { computeCertainty, summarizeDraws } from './summarize-draws.js';

/** Where a fit is, for a progress bar. */
export interface FitProgress {
  /** 0 for the first fit, 1 and 2 for refits at a higher target acceptance. */
  readonly attempt: number;
  readonly adaptDelta: number;
  /** Iterations done and to do, summed over chains, warmup included. */
  readonly done: number;
  readonly total: number;
}

export interface EstimateEffectOptions {
  /** Makes the fit reproducible: same table, options and seed give the same draws. */
  readonly seed: number;
  readonly chains?: number;
  readonly warmup?: number;
  /** Draws per chain after warmup. */
  readonly draws?: number;
  /** Target acceptance of the first fit; refits use the larger of it and 0.95, 0.99. */
  readonly adaptDelta?: number;
  readonly maxTreeDepth?: number;
  readonly metric?: 'diag' | 'dense';
  /** Thresholds t for `P(effect > t)`; default 0 and 0.05. */
  readonly thresholds?: readonly number[];
  /** Normal prior on the effect parameter; default Normal(0, 0.5). */
  readonly effectPrior?: EffectPrior;
  readonly effort?: Effort;
  /**
   * The household random effect (docs/model.md, "Household effect"): `'auto'` (default)
   * fits it when the table has households and siblings are common, `true` always, `false` never.
   */
  readonly householdEffect?: HouseholdEffectOption;
  /** Refit at adapt_delta 0.95 then 0.99 when a check fails (default true). */
  readonly refit?: boolean;
  /** Worker threads (default: one per chain); 0 runs in this thread. */
  readonly threads?: number;
  readonly onProgress?: (progress: FitProgress) => void;
}

/** The analysis result with the draws it summarizes (for `draws.csv` and notebooks). */
export interface EffectEstimate {
  readonly result: AnalysisResult;
  readonly draws: PosteriorDraws;
  /** Where each chain ended: a fit of a model that extends this one (the subgroup model) starts there. */
  readonly chainEnds?: readonly ChainEnd[];
}

const REFIT_DELTAS = [0.95, 0.99];

/** The spec's 4 chains; the other sampler defaults are DEFAULT_CHAIN_OPTIONS. */
export const DEFAULT_CHAINS = 4;

function priorsOf(model: AbsenceModel, prior: EffectPrior): Record<string, string> {
  const priors: Record<string, string> = { alpha: 'normal(-3, 2)' };
  if (model.info.baseline !== 'none') priors.gamma = 'normal(0, 1)';
  if (model.info.baseline === 'partial') priors.delta = 'normal(0, 1)';
  priors.phi = 'gamma(0.01, 0.01)';
  if (model.data.network) {
    priors.mu_theta = `normal(${prior.mean}, ${prior.sd})`;
    priors.tau = 'half-normal(0, 0.1)';
    priors.eta = 'normal(0, 1)';
  } else priors.theta = `normal(${prior.mean}, ${prior.sd})`;
  if (model.data.household) {
    priors.sigma_household = `half-normal(0, ${SIGMA_HOUSEHOLD_SCALE})`;
    priors.z_household = 'normal(0, 1)';
  }
  return priors;
}

/** Throws UsageError, naming `caller`, for options out of range. */
export function checkOptions(options: EstimateEffectOptions, caller: string): void {
  const positiveInt = (name: string, value: number | undefined, min: number) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min))
      throw new UsageError(caller, `${name} must be an integer >= ${min}, got ${value}`);
  };
  if (!Number.isFinite(options.seed)) throw new UsageError(caller, `seed must be a finite number, got ${options.seed}`);
  positiveInt('chains', options.chains, 1);
  positiveInt('warmup', options.warmup, 0);
  positiveInt('draws', options.draws, 4);
  positiveInt('maxTreeDepth', options.maxTreeDepth, 1);
  if (options.adaptDelta !== undefined && !(options.adaptDelta > 0 && options.adaptDelta < 1))
    throw new UsageError(caller, `adaptDelta must be in (0, 1), got ${options.adaptDelta}`);
  for (const t of options.thresholds ?? [])
    if (!Number.isFinite(t) || t >= 1) throw new UsageError(caller, `thresholds must be numbers below 1, got ${t}`);
}

/**
 * Estimates the effect of the intervention with the standard absence model
 * (docs/model.md): NUTS on 4 chains, diagnostics on every parameter, and
 * refits at adapt_delta 0.95 then 0.99 when R-hat > 1.01, bulk-ESS of the effect < 400
 * or any divergence. A fit that still fails is returned with `diagnostics.flagged` and
 * warnings, never as final. Nothing is printed; progress goes to `onProgress`.
 *
 * @example
 * const { result } = await estimateEffectWithDraws(table, { seed: 42 });
 * result.effect.median; // e.g. 0.08: absences 8% lower with the messages
 */
export async function estimateEffectWithDraws(table: ModelTable, options: EstimateEffectOptions): Promise<EffectEstimate> {
  checkOptions(options, 'estimateEffect');
  const prior = options.effectPrior ?? DEFAULT_EFFECT_PRIOR;
  const model = prepareAbsenceModel(table, prior, { householdEffect: chooseHouseholdEffect(table, options.householdEffect) });
  const sampled = samplerData(table, prior, model.data);
  const layout = parameterLayout(sampled);
  const { outputs, draws, diagnosis, adaptDelta, refits, chains, warmup, drawsPerChain } = await fitWithRefits(
    sampled,
    (outputs) => constrainDraws(model, districtModelOutputs(sampled, layout, householdModelOutputs(sampled, layout, outputs))),
    options,
  );
  const result = summarizeFit(model, outputs, draws, diagnosis, { ...options, adaptDelta, refits, prior, chains, warmup, drawsPerChain });
  return { result, draws, chainEnds: outputs.map(chainEndOf) };
}

/**
 * Newton steps toward the standard model's mode before the sampler's shifts are taken:
 * they need each student's rate roughly right, which the blocks' rates, `gamma`, `delta`
 * and `phi` are after a few steps; the full search, slow along the districts' spread, cost
 * a minute on a network of 611 blocks.
 */
const SHIFT_MODE_STEPS = 10;

/**
 * The model's data with the sampler's coordinates for the households
 * (household-coordinates.ts) and a network's districts (district-coordinates.ts), their
 * shifts taken near the mode of the standard model without household terms (whose
 * parameters come first in both layouts), with every district at the network's effect
 * and every household term 0.
 */
function samplerData(table: ModelTable, prior: EffectPrior, data: AbsenceModelData): AbsenceModelData {
  if (!data.household && !data.network) return data;
  const standard = prepareAbsenceModel(table, prior);
  const standardDensity = createAbsenceLogDensity(standard.data);
  const { mode } = findMode(standardDensity, modeStart(standardDensity.layout, standard.data.nBlocks), SHIFT_MODE_STEPS);
  const layout = parameterLayout(data);
  const point = new Float64Array(layout.dimension);
  point.set(mode);
  if (layout.eta >= 0) point.fill(0, layout.eta, layout.eta + data.nDistricts);
  let sampled = data;
  if (data.household) sampled = withHouseholdShift(sampled, householdShiftAt(data, layout, point));
  if (data.network) sampled = withDistrictShift(sampled, districtShiftAt(createAbsenceLogDensity(data), data.nDistricts, point));
  return sampled;
}

/** A fit that passed the checks (or the last refit, which did not), with why each earlier one was refit. */
export interface CheckedFit {
  readonly outputs: ChainOutput[];
  readonly draws: PosteriorDraws;
  readonly diagnosis: FitDiagnosis;
  readonly adaptDelta: number;
  readonly refits: readonly { adapt_delta: number; reason: string }[];
  readonly chains: number;
  readonly warmup: number;
  readonly drawsPerChain: number;
}

/**
 * Runs the chains and, while a check fails, refits at adapt_delta 0.95 then 0.99 (unless
 * `refit: false`). One rule for every model we fit (the standard and the subgroup model),
 * so their fits are judged and refit alike.
 */
export async function fitWithRefits(
  data: AbsenceModelData,
  constrain: (outputs: ChainOutput[]) => PosteriorDraws,
  options: EstimateEffectOptions,
  perChain?: readonly Partial<ChainOptions>[],
): Promise<CheckedFit> {
  const chains = options.chains ?? DEFAULT_CHAINS;
  const warmup = options.warmup ?? DEFAULT_CHAIN_OPTIONS.warmup;
  const drawsPerChain = options.draws ?? DEFAULT_CHAIN_OPTIONS.draws;
  const maxTreeDepth = options.maxTreeDepth ?? DEFAULT_CHAIN_OPTIONS.maxTreeDepth;
  const firstDelta = options.adaptDelta ?? DEFAULT_CHAIN_OPTIONS.adaptDelta;
  const deltas = [firstDelta, ...(options.refit === false ? [] : REFIT_DELTAS.filter((d) => d > firstDelta))];

  const refits: { adapt_delta: number; reason: string }[] = [];
  let fit: { outputs: ChainOutput[]; draws: PosteriorDraws; diagnosis: FitDiagnosis; adaptDelta: number } | undefined;
  for (let attempt = 0; attempt < deltas.length; attempt++) {
    const adaptDelta = deltas[attempt];
    const outputs = await runChains(
      data,
      { warmup, draws: drawsPerChain, adaptDelta, maxTreeDepth, metric: options.metric ?? DEFAULT_CHAIN_OPTIONS.metric },
      {
        chains,
        seed: options.seed,
        threads: options.threads,
        perChain,
        onProgress: (done, total) => options.onProgress?.({ attempt, adaptDelta, done, total }),
      },
    );
    const draws = constrain(outputs);
    const diagnosis = diagnoseFit(draws, outputs, maxTreeDepth);
    fit = { outputs, draws, diagnosis, adaptDelta };
    if (diagnosis.failures.length === 0) break;
    if (attempt < deltas.length - 1) refits.push({ adapt_delta: adaptDelta, reason: diagnosis.failures.join('; ') });
  }
  return { ...fit!, refits, chains, warmup, drawsPerChain };
}

/** As `estimateEffectWithDraws`, returning only the `analysis.json` contents. */
export async function estimateEffect(table: ModelTable, options: EstimateEffectOptions): Promise<AnalysisResult> {
  return (await estimateEffectWithDraws(table, options)).result;
}

export interface SummaryContext extends EstimateEffectOptions {
  readonly adaptDelta: number;
  readonly refits: readonly { adapt_delta: number; reason: string }[];
  readonly prior: EffectPrior;
  readonly chains: number;
  readonly warmup: number;
  readonly drawsPerChain: number;
}

function summarizeDaysAvoided(chains: readonly Float64Array[]): DaysAvoided {
  return { per_treated_student: summarizeDraws(chains), per_100_treated: summarizeDraws(chains.map((c) => c.map((v) => 100 * v))) };
}

export function summarizeFit(
  model: AbsenceModel,
  outputs: readonly ChainOutput[],
  draws: PosteriorDraws,
  diagnosis: FitDiagnosis,
  context: SummaryContext,
): AnalysisResult {
  const { info, data } = model;
  const thresholds = context.thresholds ?? [0, 0.05];
  const effectDraws = draws.values.effect;
  const warnings = [...diagnosis.failures, ...diagnosis.notes];
  const flagged = diagnosis.failures.length > 0;
  if (flagged) warnings.unshift(`the fit fails the checks even at adapt_delta ${context.adaptDelta}: do not present it as final`);
  if (context.refits.length > 0)
    warnings.push(
      `refit at a higher target acceptance (${[...context.refits.map((r) => r.adapt_delta), context.adaptDelta].join(' -> ')})`,
    );
  const diagnostics: Diagnostics = {
    rhat_max: diagnosis.rhatMax,
    ess_bulk_min: diagnosis.essBulkMin,
    ess_tail_min: diagnosis.essTailMin,
    ess_bulk_effect: diagnosis.essBulkEffect,
    divergences: diagnosis.divergences,
    treedepth_saturated: diagnosis.treedepthSaturated,
    ebfmi_min: diagnosis.ebfmiMin,
    adapt_delta: context.adaptDelta,
    refits: context.refits,
    flagged,
    warnings,
    parameters: diagnosis.parameters,
  };
  const daysAvoided = computeDaysAvoided(model, outputs);
  const districts: DistrictEffect[] = info.districts.map((district, d) => {
    const chains = data.network ? draws.values[`effect[${district}]`] : effectDraws;
    return {
      district,
      n_treatment: info.districtCounts[d].treatment,
      n_control: info.districtCounts[d].control,
      effect: summarizeDraws(chains),
      certainty: computeCertainty(chains, thresholds),
      certainty_mc_error: computeCertaintyMcError(chains, thresholds),
      days_avoided: summarizeDaysAvoided(daysAvoided.byDistrict[d]),
    };
  });
  const modelDescription: ModelDescription = {
    name: 'standard-absence-model',
    network: data.network,
    priors: priorsOf(model, context.prior),
    n: info.n,
    n_treatment: info.nTreatment,
    n_control: info.nControl,
    n_blocks: info.blocks.length,
    n_districts: info.districts.length,
    attrition: info.attrition,
    rounded_half_days: info.roundedHalfDays,
    baseline: info.baseline,
    chains: context.chains,
    warmup: context.warmup,
    draws: context.drawsPerChain,
    household_effect: {
      fitted: data.household !== undefined,
      option: householdEffectSetting(context.householdEffect),
      households: info.households,
      in_shared_households: info.inSharedHouseholds,
    },
  };
  return {
    version: VERSION,
    seed: context.seed,
    method: 'nuts',
    approximate: false,
    effect: summarizeDraws(effectDraws),
    effect_parameter: { name: draws.effectParameter, ...summarizeDraws(draws.values[draws.effectParameter]) },
    certainty: computeCertainty(effectDraws, thresholds),
    certainty_mc_error: computeCertaintyMcError(effectDraws, thresholds),
    districts,
    days_avoided: summarizeDaysAvoided(daysAvoided.overall),
    chronic_absence: computeChronicAbsence(model, outputs),
    decision: decideEffect(
      (t) => computeCertainty(effectDraws, [t])[String(t)],
      context.effort ?? 'low',
      (t) => certaintyMcError(effectDraws, t),
    ),
    diagnostics,
    model: modelDescription,
  };
}
