// The public API of the effect engine (issue 7): explicit named re-exports by capability.
// src/index.ts re-exports from here.

// Estimating the effect
export { estimateEffect, estimateEffectWithDraws } from './estimate-effect.js';
export type { EstimateEffectOptions, EffectEstimate, FitProgress } from './estimate-effect.js';
export { estimateEffectLaplace } from './estimate-effect-laplace.js';
export { decideEffect, DECISION_RULES } from './decide-effect.js';
export type { Effort } from './decide-effect.js';
export { FIT_CHECKS } from './diagnose-fit.js';
export type {
  AnalysisResult,
  Certainty,
  DaysAvoided,
  Decision,
  DecisionRule,
  Diagnostics,
  DistrictEffect,
  ModelDescription,
  ParameterDiagnostics,
  PosteriorSummary,
} from './analysis-result.js';

// Draws
export type { PosteriorDraws } from './posterior-draws.js';
export { formatDrawsCsv } from './format-draws-csv.js';
export { summarizeDraws, computeCertainty } from './summarize-draws.js';

// The model
export { prepareAbsenceModel } from './model/prepare-absence-model.js';
export type { AbsenceModel, AbsenceModelInfo } from './model/prepare-absence-model.js';
export { createAbsenceLogDensity } from './model/absence-log-density.js';
export type { AbsenceLogDensity } from './model/absence-log-density.js';
export { DEFAULT_EFFECT_PRIOR } from './model/effect-prior.js';
export type { EffectPrior } from './model/effect-prior.js';

// The sampler (usable on any log density)
export { sampleChain, DEFAULT_CHAIN_OPTIONS } from './sampler/sample-chain.js';
export type { ChainOptions, ChainOutput } from './sampler/sample-chain.js';
export type { LogDensity } from './sampler/log-density.js';

// Diagnostics (as R's posterior package; Vehtari et al. 2021)
export { computeRhat, computeRhatBasic } from './diagnostics/rhat.js';
export { computeEssBasic, computeEssBulk, computeEssTail, computeEssQuantile } from './diagnostics/ess.js';
export { computeConvergence } from './diagnostics/convergence.js';
export type { Convergence } from './diagnostics/convergence.js';
export { computeEbfmi } from './diagnostics/ebfmi.js';
export type { ChainDraws } from './diagnostics/chain-draws.js';
