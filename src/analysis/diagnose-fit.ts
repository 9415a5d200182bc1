import type { ParameterDiagnostics } from './analysis-result.js';
import { computeConvergence } from './diagnostics/convergence.js';
import { computeEbfmi } from './diagnostics/ebfmi.js';
import type { PosteriorDraws } from './posterior-draws.js';
import type { ChainOutput } from './sampler/sample-chain.js';
import { summarizeDraws } from './summarize-draws.js';

/** The spec's checks (docs/model.md, "Checks and refits"). */
export const FIT_CHECKS = { maxRhat: 1.01, minEssBulkEffect: 400, maxDivergences: 0 } as const;

/** E-BFMI below this suggests poor exploration (Betancourt 2016; Stan warns at 0.3): a note, not a failed check. */
export const MIN_EBFMI = 0.3;

export interface FitDiagnosis {
  readonly rhatMax: number;
  readonly essBulkMin: number;
  readonly essTailMin: number;
  readonly essBulkEffect: number;
  readonly divergences: number;
  readonly treedepthSaturated: number;
  readonly ebfmiMin: number;
  readonly parameters: readonly ParameterDiagnostics[];
  /** Why the fit fails the spec's checks; empty when it passes. */
  readonly failures: readonly string[];
  /** Softer signs (tree depth, E-BFMI, tail-ESS) reported but not refit for. */
  readonly notes: readonly string[];
}

/** R-hat, bulk- and tail-ESS for every parameter, and the sampler's own warnings. */
export function diagnoseFit(draws: PosteriorDraws, outputs: readonly ChainOutput[], maxTreeDepth: number): FitDiagnosis {
  const parameters: ParameterDiagnostics[] = draws.parameters.map((name) => {
    const chains = draws.values[name];
    const summary = summarizeDraws(chains);
    const { rhat, essBulk, essTail } = computeConvergence(chains);
    return { name, mean: summary.mean, sd: summary.sd, rhat, ess_bulk: essBulk, ess_tail: essTail };
  });
  const worst = (values: number[], pick: (a: number, b: number) => number) =>
    values.reduce((a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : pick(a, b)));
  const rhatMax = worst(
    parameters.map((p) => p.rhat),
    Math.max,
  );
  const essBulkMin = worst(
    parameters.map((p) => p.ess_bulk),
    Math.min,
  );
  const essTailMin = worst(
    parameters.map((p) => p.ess_tail),
    Math.min,
  );
  const essBulkEffect = parameters.find((p) => p.name === draws.effectParameter)!.ess_bulk;
  const divergences = outputs.reduce((s, o) => s + o.divergent.reduce((a, b) => a + b, 0), 0);
  const treedepthSaturated = outputs.reduce((s, o) => s + o.treeDepth.filter((d) => d >= maxTreeDepth).length, 0);
  const ebfmiMin = Math.min(...outputs.map((o) => computeEbfmi(o.energy)));

  const failures: string[] = [];
  if (!(rhatMax <= FIT_CHECKS.maxRhat)) {
    const bad = parameters.filter((p) => !(p.rhat <= FIT_CHECKS.maxRhat)).map((p) => p.name);
    failures.push(
      `R-hat ${rhatMax.toFixed(3)} above ${FIT_CHECKS.maxRhat} (${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', ...' : ''})`,
    );
  }
  if (!(essBulkEffect >= FIT_CHECKS.minEssBulkEffect))
    failures.push(`bulk-ESS of ${draws.effectParameter} ${Math.round(essBulkEffect)} below ${FIT_CHECKS.minEssBulkEffect}`);
  if (divergences > FIT_CHECKS.maxDivergences)
    failures.push(`${divergences} divergent transition${divergences === 1 ? '' : 's'} after warmup`);
  const notes: string[] = [];
  if (treedepthSaturated > 0) notes.push(`${treedepthSaturated} transitions hit the maximum tree depth ${maxTreeDepth}`);
  if (ebfmiMin < MIN_EBFMI) notes.push(`E-BFMI ${ebfmiMin.toFixed(2)} below ${MIN_EBFMI} in some chain`);
  const nTotal = draws.chains * draws.drawsPerChain;
  if (essTailMin < Math.min(400, nTotal / 4)) notes.push(`smallest tail-ESS ${Math.round(essTailMin)}: interval ends are less precise`);
  return { rhatMax, essBulkMin, essTailMin, essBulkEffect, divergences, treedepthSaturated, ebfmiMin, parameters, failures, notes };
}
