import type { HouseholdTermDraws } from './model/household-effect.js';
import { householdTermDraws } from './model/household-effect.js';
import { parameterLayout } from './model/parameter-layout.js';
import type { AbsenceModel } from './model/prepare-absence-model.js';
import type { ChainOutput } from './sampler/sample-chain.js';

/**
 * Posterior draws on the constrained scale, by quantity and chain: `values[name][chain][i]`.
 * Quantities are the model's parameters as Stan would name them (`alpha[<block>]`,
 * `gamma`, `delta`, `phi`, `theta` or `mu_theta`, `tau`, `eta[<district>]`,
 * `theta[<district>]`, `sigma_household`), then derived ones (`effect`, `effect[<district>]`).
 */
export interface PosteriorDraws {
  readonly names: readonly string[];
  readonly chains: number;
  readonly drawsPerChain: number;
  readonly values: Readonly<Record<string, readonly Float64Array[]>>;
  /** The model parameters (diagnostics are computed on these). */
  readonly parameters: readonly string[];
  readonly effectParameter: 'theta' | 'mu_theta';
  /** With the household effect: each household's term, draw by draw (not among `names`: never checked or written one by one). */
  readonly household?: HouseholdTermDraws;
}

/** Maps unconstrained chain outputs to named, constrained draws. */
export function constrainDraws(model: AbsenceModel, outputs: readonly ChainOutput[]): PosteriorDraws {
  const { data, info } = model;
  const layout = parameterLayout(data);
  const dim = layout.dimension;
  const drawsPerChain = outputs[0]?.draws.length / dim;
  const values: Record<string, Float64Array[]> = {};
  const names: string[] = [];
  const add = (name: string, map: (row: Float64Array, at: number) => number) => {
    names.push(name);
    values[name] = outputs.map((output) => {
      const out = new Float64Array(drawsPerChain);
      for (let i = 0; i < drawsPerChain; i++) out[i] = map(output.draws, i * dim);
      return out;
    });
  };
  info.blocks.forEach((block, k) => add(`alpha[${block}]`, (d, at) => d[at + layout.alpha + k]));
  if (layout.gamma >= 0) add('gamma', (d, at) => d[at + layout.gamma]);
  if (layout.delta >= 0) add('delta', (d, at) => d[at + layout.delta]);
  add('phi', (d, at) => Math.exp(d[at + layout.logPhi]));
  const effectParameter = data.network ? 'mu_theta' : 'theta';
  add(effectParameter, (d, at) => d[at + layout.effect]);
  if (data.network) {
    add('tau', (d, at) => Math.exp(d[at + layout.logTau]));
    info.districts.forEach((district, j) => add(`eta[${district}]`, (d, at) => d[at + layout.eta + j]));
    info.districts.forEach((district, j) =>
      add(`theta[${district}]`, (d, at) => d[at + layout.effect] + Math.exp(d[at + layout.logTau]) * d[at + layout.eta + j]),
    );
  }
  // The household spread is checked like every parameter; the households' own z (one per
  // household, thousands in a network) are neither checked one by one nor written out.
  if (layout.logSigmaHousehold >= 0) add('sigma_household', (d, at) => Math.exp(d[at + layout.logSigmaHousehold]));
  const parameters = [...names];
  add('effect', (d, at) => 1 - Math.exp(d[at + layout.effect]));
  if (data.network) {
    info.districts.forEach((district, j) =>
      add(`effect[${district}]`, (d, at) => 1 - Math.exp(d[at + layout.effect] + Math.exp(d[at + layout.logTau]) * d[at + layout.eta + j])),
    );
  }
  const household = layout.zHousehold >= 0 ? householdTermDraws(info.householdIds, layout, outputs) : undefined;
  return { names, chains: outputs.length, drawsPerChain, values, parameters, effectParameter, ...(household ? { household } : {}) };
}
