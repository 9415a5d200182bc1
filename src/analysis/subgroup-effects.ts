import type { ModelTable } from '../data/model-table.js';
import { UsageError } from '../errors.js';
import type { SubgroupFactorEffects, SubgroupsResult } from './analysis-result.js';
import type { EstimateEffectOptions } from './estimate-effect.js';
import { checkOptions, DEFAULT_CHAINS, fitWithRefits } from './estimate-effect.js';
import { createAbsenceLogDensity } from './model/absence-log-density.js';
import { DEFAULT_EFFECT_PRIOR } from './model/effect-prior.js';
import { findMode } from './model/find-mode.js';
import { modeStart } from './model/mode-start.js';
import { subgroupModelPoint, subgroupParameterLayout, subgroupShiftAt, withSubgroupShift } from './model/subgroup-log-density.js';
import type { SubgroupModel } from './model/subgroup-model-data.js';
import { prepareSubgroupModel, SUBGROUP_TAU_SCALE } from './model/subgroup-model-data.js';
import { computeCertaintyMcError } from './monte-carlo-error.js';
import type { PosteriorDraws } from './posterior-draws.js';
import { constrainDraws } from './posterior-draws.js';
import type { ChainEnd, ChainOptions, ChainOutput } from './sampler/sample-chain.js';
import type { SubgroupFactor } from './subgroup-levels.js';
import { computeCertainty, summarizeDraws } from './summarize-draws.js';

export interface SubgroupEffectOptions extends Omit<EstimateEffectOptions, 'effort'> {
  /** Factors the study's analysis plan declared before the outcome window: these are confirmatory, the rest exploratory. */
  readonly declared?: readonly string[];
  /** A level with fewer students than this in either arm is suppressed (default 10, the reports' threshold). */
  readonly smallCellThreshold?: number;
  /**
   * Where the standard model's chains ended on the same table (`estimateEffectWithDraws`'s
   * `chainEnds`): each chain starts from its counterpart's last draw, metric and step size,
   * with every level at the average, so a short warmup suffices.
   */
  readonly start?: readonly ChainEnd[];
}

/** The subgroup estimates with the draws they summarize. */
export interface SubgroupEstimate {
  readonly result: SubgroupsResult;
  readonly draws: PosteriorDraws;
}

/** The reports' small-cell threshold (src/report/suppress-small-cells.ts, a layer above). */
const SMALL_CELL_THRESHOLD = 10;

/** The name of a level's effect among the draws: `effect[<factor>=<level>]`. */
export function subgroupEffectName(factor: string, level: string): string {
  return `effect[${factor}=${level}]`;
}

/**
 * Estimates the treatment effect in each level of each subgroup factor with the
 * subgroup model (docs/model.md, "Subgroups"): the standard model's terms, and for a
 * treated student `sum_g tau_g z[l_g]` added to the effect, partially pooled within each
 * factor. NUTS with the standard model's checks and refits. Levels with fewer than
 * `smallCellThreshold` students in either arm are fitted but suppressed in the result;
 * every factor is exploratory unless `declared`.
 *
 * @example
 * const factors = subgroupFactorsOf(table, ['prior_tier']);
 * const { result } = await estimateSubgroupEffects(table, factors, { seed: 42 });
 * result.factors[0].levels[0].effect?.median; // e.g. 0.05
 */
export async function estimateSubgroupEffects(
  table: ModelTable,
  factors: readonly SubgroupFactor[],
  options: SubgroupEffectOptions,
): Promise<SubgroupEstimate> {
  checkOptions(options, 'estimateSubgroupEffects');
  const threshold = options.smallCellThreshold ?? SMALL_CELL_THRESHOLD;
  if (!(Number.isInteger(threshold) && threshold >= 1))
    throw new UsageError('estimateSubgroupEffects', `smallCellThreshold must be an integer >= 1, got ${threshold}`);
  const chainCount = options.chains ?? DEFAULT_CHAINS;
  if (options.start && options.start.length !== chainCount)
    throw new UsageError('estimateSubgroupEffects', `start has ${options.start.length} chains' ends for ${chainCount} chains`);
  const prior = options.effectPrior ?? DEFAULT_EFFECT_PRIOR;
  const prepared = prepareSubgroupModel(table, factors, prior);
  const model = {
    ...prepared,
    data: withSubgroupShift(prepared.data, subgroupShiftAt(prepared.data, shiftPoint(prepared, options.start))),
  };
  const { draws, diagnosis, adaptDelta, refits, chains, warmup, drawsPerChain } = await fitWithRefits(
    model.data,
    (outputs) => constrainSubgroupDraws(model, outputs),
    options,
    options.start && warmStarts(model, options.start),
  );
  const thresholds = options.thresholds ?? [0, 0.05];
  const declared = new Set(options.declared ?? []);
  const flagged = diagnosis.failures.length > 0;
  const warnings = [...diagnosis.failures, ...diagnosis.notes];
  if (flagged) warnings.unshift(`the subgroup fit fails the checks even at adapt_delta ${adaptDelta}: do not present its estimates`);

  const factorEffects: SubgroupFactorEffects[] = model.subgroups.factors.map(({ factor, levels }) => ({
    factor,
    status: declared.has(factor) ? 'confirmatory' : 'exploratory',
    tau: summarizeDraws(draws.values[`subgroup_tau[${factor}]`]),
    levels: levels.map(({ level, n_treatment, n_control }) => {
      if (n_treatment < threshold || n_control < threshold) return { level, suppressed: true };
      const chainsOf = draws.values[subgroupEffectName(factor, level)];
      return {
        level,
        suppressed: false,
        n_treatment,
        n_control,
        effect: summarizeDraws(chainsOf),
        certainty: computeCertainty(chainsOf, thresholds),
        certainty_mc_error: computeCertaintyMcError(chainsOf, thresholds),
      };
    }),
  }));
  const priors: Record<string, string> = {
    [draws.effectParameter]: `normal(${prior.mean}, ${prior.sd})`,
    subgroup_tau: `half-normal(0, ${model.data.subgroupTauScale})`,
    subgroup_z: 'normal(0, 1)',
  };
  const result: SubgroupsResult = {
    model: 'subgroup-absence-model',
    pooling: 'additive',
    priors,
    small_cell_threshold: threshold,
    factors: factorEffects,
    diagnostics: {
      rhat_max: diagnosis.rhatMax,
      ess_bulk_min: diagnosis.essBulkMin,
      divergences: diagnosis.divergences,
      adapt_delta: adaptDelta,
      refits,
      flagged,
      warnings,
    },
    chains,
    warmup,
    draws: drawsPerChain,
  };
  return { result, draws };
}

/**
 * Where the sampler's shift (subgroup-log-density.ts, `toAnchoredCoordinates`) is taken: the
 * standard model's parameters where the standard fit's chains ended, averaged, or else at
 * that model's mode.
 */
function shiftPoint(model: SubgroupModel, ends: readonly ChainEnd[] | undefined): Float64Array {
  if (ends && ends.length > 0) {
    const point = new Float64Array(subgroupParameterLayout(model.data).logSubgroupTau);
    for (const end of ends) for (let i = 0; i < point.length; i++) point[i] += end.position[i] / ends.length;
    return point;
  }
  const density = createAbsenceLogDensity(model.base.data);
  return findMode(density, modeStart(density.layout, model.base.data.nBlocks)).mode;
}

/** A subgroup level's spread to start from: a quarter of its prior scale. */
const START_SUBGROUP_TAU = SUBGROUP_TAU_SCALE / 4;

/**
 * Each chain's start from the standard fit's chain: the standard model's coordinates come
 * first in the subgroup model's layout (without the household terms, which come after
 * them), so they start where that chain ended, with its metric and step size; the levels
 * start at no difference (mean and differences 0) with unit metric, as their coordinates
 * are scaled by their prior.
 */
function warmStarts(model: SubgroupModel, ends: readonly ChainEnd[]): Partial<ChainOptions>[] {
  const layout = subgroupParameterLayout(model.data);
  const shared = layout.logSubgroupTau;
  return ends.map((end) => {
    const init = new Float64Array(layout.dimension);
    init.set(end.position.subarray(0, shared));
    init.fill(Math.log(START_SUBGROUP_TAU), shared, layout.subgroupZ);
    const initInverseMetric = new Float64Array(layout.dimension).fill(1);
    initInverseMetric.set(end.inverseMetric.subarray(0, shared));
    return { init, initInverseMetric, initStepSize: end.stepSize };
  });
}

/**
 * The subgroup model's draws, named as the Stan program in test/reference/ names them:
 * the standard model's parameters (`alpha[...]`, `phi`, `theta` or `mu_theta`, ...), then
 * `subgroup_tau[<factor>]` and `subgroup_z[<factor>=<level>]`; derived: `effect`,
 * `effect[<district>]` in a network, and `effect[<factor>=<level>]`.
 */
export function constrainSubgroupDraws(model: SubgroupModel, outputs: readonly ChainOutput[]): PosteriorDraws {
  const layout = subgroupParameterLayout(model.data);
  const dim = layout.dimension;
  const plainDim = layout.logSubgroupTau;
  const drawsPerChain = outputs[0].draws.length / dim;
  // The sampler's coordinates (anchored factors: subgroup-log-density.ts) in the model's own.
  const modelOutputs = outputs.map((o) => {
    const draws = new Float64Array(o.draws.length);
    for (let i = 0; i < drawsPerChain; i++) draws.set(subgroupModelPoint(model.data, o.draws.subarray(i * dim, (i + 1) * dim)), i * dim);
    return { ...o, draws };
  });
  // The standard model's coordinates come first: named by its own constrainDraws.
  const plainOutputs = modelOutputs.map((o) => {
    const draws = new Float64Array(drawsPerChain * plainDim);
    for (let i = 0; i < drawsPerChain; i++) draws.set(o.draws.subarray(i * dim, i * dim + plainDim), i * plainDim);
    return { ...o, dimension: plainDim, draws };
  });
  const plain = constrainDraws({ data: model.data, info: model.base.info }, plainOutputs);
  const values: Record<string, readonly Float64Array[]> = { ...plain.values };
  const parameters = [...plain.parameters];
  const derived: string[] = [];
  const column = (index: number, map: (v: number) => number) =>
    modelOutputs.map((o) => {
      const out = new Float64Array(drawsPerChain);
      for (let i = 0; i < drawsPerChain; i++) out[i] = map(o.draws[i * dim + index]);
      return out;
    });
  const effectParameter = plain.values[plain.effectParameter];
  model.subgroups.factors.forEach(({ factor, levels }, g) => {
    const tauName = `subgroup_tau[${factor}]`;
    values[tauName] = column(layout.logSubgroupTau + g, Math.exp);
    parameters.push(tauName);
    levels.forEach(({ level }, l) => {
      const index = layout.subgroupZ + model.data.levelOffset[g] + l;
      const zName = `subgroup_z[${factor}=${level}]`;
      values[zName] = column(index, (v) => v);
      parameters.push(zName);
      const name = subgroupEffectName(factor, level);
      values[name] = effectParameter.map((theta, chain) =>
        theta.map((t, i) => 1 - Math.exp(t + values[tauName][chain][i] * values[zName][chain][i])),
      );
      derived.push(name);
    });
  });
  const plainDerived = plain.names.filter((name) => !plain.parameters.includes(name));
  return {
    names: [...parameters, ...plainDerived, ...derived],
    chains: outputs.length,
    drawsPerChain,
    values,
    parameters,
    effectParameter: plain.effectParameter,
  };
}
