import type { AbsenceModelData } from './absence-model-data.js';

/**
 * Where each parameter sits in the unconstrained vector the sampler moves:
 * `alpha[0..K-1]`, then `gamma` and `delta` when present, `log phi`, then either `theta`
 * (one district) or `mu_theta`, `log tau`, `eta[0..D-1]` (network, non-centered); with a
 * household effect, `log sigma_household` and `z_household[0..H-1]` after them.
 * Index -1 means "not in this model".
 */
export interface ParameterLayout {
  readonly dimension: number;
  readonly alpha: number;
  readonly gamma: number;
  readonly delta: number;
  readonly logPhi: number;
  /** `theta` (one district) or `mu_theta` (network): the effect parameter. */
  readonly effect: number;
  readonly logTau: number;
  readonly eta: number;
  readonly logSigmaHousehold: number;
  readonly zHousehold: number;
}

export function parameterLayout(
  data: Pick<AbsenceModelData, 'nBlocks' | 'nDistricts' | 'network' | 'hasGamma' | 'hasDelta' | 'household'>,
): ParameterLayout {
  let next = data.nBlocks;
  const gamma = data.hasGamma ? next++ : -1;
  const delta = data.hasDelta ? next++ : -1;
  const logPhi = next++;
  const effect = next++;
  const logTau = data.network ? next++ : -1;
  const eta = data.network ? next : -1;
  if (data.network) next += data.nDistricts;
  const logSigmaHousehold = data.household ? next++ : -1;
  const zHousehold = data.household ? next : -1;
  if (data.household) next += data.household.nHouseholds;
  return { dimension: next, alpha: 0, gamma, delta, logPhi, effect, logTau, eta, logSigmaHousehold, zHousehold };
}
