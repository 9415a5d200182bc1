import type { LogDensity } from '../sampler/log-density.js';
import type { ChainOutput } from '../sampler/sample-chain.js';
import type { AbsenceModelData, DistrictShift } from './absence-model-data.js';
import type { ParameterLayout } from './parameter-layout.js';

/**
 * The sampler's coordinates for a network's district effects (docs/model.md, "Inference").
 *
 * `theta[d] = mu_theta + tau eta[d]`, non-centered. Hundreds of treated students in a
 * district pin `theta[d]`, so given `tau` and `mu_theta`, `eta[d]` sits near
 * `tau S_d / (1 + tau^2 P_d)` with sd `1 / sqrt(1 + tau^2 P_d)`, where
 * `S_d = s_d - P_d (mu_theta - mu_0)` and `s_d`, `P_d` are the score and information of
 * `eta[d]` at 0 with `mu_theta` at `mu_0`: a funnel in `(tau, eta)` where the sampler
 * diverged now and then, and a ridge between `mu_theta` and every `eta[d]`. It moves
 * `w[d]` instead, with `eta[d] = tau S_d / (1 + tau^2 P_d) + w[d] / sqrt(1 + tau^2 P_d)`,
 * about Normal(0, 1) whatever `tau` and `mu_theta`; the map is triangular, so its log
 * Jacobian is `-1/2 sum log(1 + tau^2 P_d)`, which keeps the posterior the same; the draws
 * are mapped back (`districtModelOutputs`).
 */

/**
 * Each district's score and information of `eta[d]` at 0, with `tau` at 1 and the other
 * parameters at `point` (a point of `density`'s layout): the log density's gradient there
 * and its curvature by central differences, less the prior's 1.
 */
export function districtShiftAt(
  density: LogDensity & { readonly layout: ParameterLayout },
  nDistricts: number,
  point: Float64Array,
): DistrictShift {
  const { layout } = density;
  const q = Float64Array.from(point);
  q[layout.logTau] = 0;
  q.fill(0, layout.eta, layout.eta + nDistricts);
  const grad = new Float64Array(density.dimension);
  const up = new Float64Array(density.dimension);
  const down = new Float64Array(density.dimension);
  density.logDensityGradient(q, grad);
  const score = new Float64Array(nDistricts);
  const information = new Float64Array(nDistricts);
  const step = 1e-4;
  for (let d = 0; d < nDistricts; d++) {
    const i = layout.eta + d;
    score[d] = grad[i];
    q[i] = step;
    density.logDensityGradient(q, up);
    q[i] = -step;
    density.logDensityGradient(q, down);
    q[i] = 0;
    information[d] = Math.max(0, -(up[i] - down[i]) / (2 * step) - 1);
  }
  return { score, information, effect: q[layout.effect] };
}

/** The data with the sampler's district coordinates shifted by `shift` (a network only). */
export function withDistrictShift(data: AbsenceModelData, shift: DistrictShift): AbsenceModelData {
  return data.network ? { ...data, districtShift: shift } : data;
}

/**
 * The model's `eta` from the sampler's `w` (slots `layout.eta..` of `q` from `at`), into
 * `eta`; returns the map's log Jacobian; with `dv`, `dmu` and `dw`, each district's
 * `d eta / d log tau`, `d eta / d mu_theta` and `d eta / d w`.
 */
export function districtEta(
  shift: DistrictShift,
  layout: ParameterLayout,
  q: Float64Array,
  at: number,
  eta: Float64Array,
  dv?: Float64Array,
  dmu?: Float64Array,
  dw?: Float64Array,
): number {
  const tau = Math.exp(q[at + layout.logTau]);
  const muShift = q[at + layout.effect] - shift.effect;
  let logJacobian = 0;
  for (let d = 0; d < eta.length; d++) {
    const t2P = tau * tau * shift.information[d];
    const a = 1 + t2P;
    const m = (tau * (shift.score[d] - shift.information[d] * muShift)) / a;
    const c = 1 / Math.sqrt(a);
    const w = q[at + layout.eta + d];
    eta[d] = m + c * w;
    logJacobian -= 0.5 * Math.log(a);
    // d m / d log tau = m (1 - tau^2 P) / a; d c / d log tau = -c tau^2 P / a.
    if (dv) dv[d] = (m * (2 - a)) / a - (c * t2P * w) / a;
    if (dmu) dmu[d] = (-tau * shift.information[d]) / a;
    if (dw) dw[d] = c;
  }
  return logJacobian;
}

/**
 * `density` (on the model's coordinates) on the sampler's: `eta` from `w` (`districtEta`),
 * the map's log Jacobian added, the gradient by the chain rule.
 */
export function withDistrictCoordinates<D extends LogDensity & { readonly layout: ParameterLayout }>(density: D, shift: DistrictShift): D {
  const { layout } = density;
  const n = shift.score.length;
  const model = new Float64Array(density.dimension);
  const modelGradient = new Float64Array(density.dimension);
  const eta = new Float64Array(n);
  const dv = new Float64Array(n);
  const dmu = new Float64Array(n);
  const dw = new Float64Array(n);
  return {
    ...density,
    logDensityGradient(q: Float64Array, grad: Float64Array): number {
      const logJacobian = districtEta(shift, layout, q, 0, eta, dv, dmu, dw);
      model.set(q);
      model.set(eta, layout.eta);
      const lp = density.logDensityGradient(model, modelGradient);
      grad.set(modelGradient);
      const tau = Math.exp(q[layout.logTau]);
      for (let d = 0; d < n; d++) {
        const g = modelGradient[layout.eta + d];
        const t2P = tau * tau * shift.information[d];
        grad[layout.eta + d] = g * dw[d];
        grad[layout.logTau] += g * dv[d] - t2P / (1 + t2P);
        grad[layout.effect] += g * dmu[d];
      }
      return lp + logJacobian;
    },
  };
}

/** The chains' draws with the model's `eta` for the sampler's `w`, in place (as `householdModelOutputs`). */
export function districtModelOutputs(data: AbsenceModelData, layout: ParameterLayout, outputs: ChainOutput[]): ChainOutput[] {
  const shift = data.districtShift;
  if (!shift) return outputs;
  const eta = new Float64Array(shift.score.length);
  for (const output of outputs)
    for (let at = 0; at < output.draws.length; at += layout.dimension) {
      districtEta(shift, layout, output.draws, at, eta);
      output.draws.set(eta, at + layout.eta);
    }
  return outputs;
}
