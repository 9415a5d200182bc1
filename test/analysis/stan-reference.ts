import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { estimateEffectWithDraws } from '../../src/analysis/estimate-effect.js';
import { readModelTable } from '../../src/data/read-model-table.js';
import { unwrap } from '../../src/errors.js';

/** Stan's summary of one quantity (test/reference/<case>/stan.json). */
interface StanSummary {
  mean: number;
  sd: number;
  q05: number;
  q50: number;
  q95: number;
}

export interface StanReference {
  case: string;
  chains: number;
  warmup: number;
  draws_per_chain: number;
  adapt_delta: number;
  seed: number;
  effect_parameter: 'theta' | 'mu_theta';
  effect_parameter_summary: StanSummary;
  effect_summary: StanSummary;
  p_effect_gt_0: number;
  'p_effect_gt_0.05': number;
  parameters: Record<string, StanSummary>;
  prior?: { effect_parameter?: { mean: number; sd: number } };
  n_students_in_fit?: number;
  data_preparation?: { attrition_e0?: { treatment: number; control: number }; n_rounded_half_days?: number };
  days_avoided?: { per_treated_student?: StanSummary };
  wall_seconds?: number;
  ess_bulk_effect_parameter?: number;
}

export const REFERENCE_DIR = new URL('../reference/', import.meta.url).pathname;

/**
 * The network cases take 1-2 minutes each on one core (chains run in this thread under
 * vitest), more with refits: they run in stan-reference.slow.test.ts, the others in
 * stan-reference.test.ts.
 */
const SLOW_REFERENCE_CASES = new Set(['network-8', 'network-small-district']);

/** The reference cases that have a Stan fit (stan.json) so far: the slow ones, or the others. */
export function referenceCases(slow: boolean): string[] {
  if (!existsSync(REFERENCE_DIR)) return [];
  return readdirSync(REFERENCE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(REFERENCE_DIR, entry.name, 'stan.json')))
    .map((entry) => entry.name)
    .filter((name) => SLOW_REFERENCE_CASES.has(name) === slow)
    .sort();
}

/**
 * Fits a reference case with our engine, with Stan's settings (4 chains, 1000 warmup,
 * 2000 draws), and asserts the spec's accuracy tolerances (docs/validation.md,
 * "Agreement with Stan") against Stan's posterior.
 */
export async function checkAgainstStan(name: string): Promise<void> {
  const dir = join(REFERENCE_DIR, name);
  const stan = JSON.parse(readFileSync(join(dir, 'stan.json'), 'utf8')) as StanReference;
  const file = join(dir, 'data.csv');
  const table = unwrap(await readModelTable({ path: file }, file));
  const started = Date.now();
  const { result, draws } = await estimateEffectWithDraws(table, {
    seed: 20261123,
    chains: stan.chains,
    warmup: stan.warmup,
    draws: stan.draws_per_chain,
    adaptDelta: stan.adapt_delta,
    effectPrior: stan.prior?.effect_parameter ?? { mean: 0, sd: 0.5 },
  });
  const seconds = (Date.now() - started) / 1000;

  // The same data preparation as the reference script.
  if (stan.n_students_in_fit !== undefined) expect(result.model.n).toBe(stan.n_students_in_fit);
  if (stan.data_preparation?.attrition_e0) expect(result.model.attrition).toEqual(stan.data_preparation.attrition_e0);
  if (stan.data_preparation?.n_rounded_half_days !== undefined)
    expect(result.model.rounded_half_days).toBe(stan.data_preparation.n_rounded_half_days);

  const ours = result.effect_parameter;
  const ref = stan.effect_parameter_summary;
  const report = {
    case: name,
    seconds,
    ours: { mean: ours.mean, sd: ours.sd, q05: result.effect.q05, q95: result.effect.q95, p0: result.certainty['0'] },
    stan: { mean: ref.mean, sd: ref.sd, q05: stan.effect_summary.q05, q95: stan.effect_summary.q95, p0: stan.p_effect_gt_0 },
    diagnostics: {
      rhat: result.diagnostics.rhat_max,
      ess: result.diagnostics.ess_bulk_effect,
      divergences: result.diagnostics.divergences,
      adapt_delta: result.diagnostics.adapt_delta,
      refits: result.diagnostics.refits,
    },
  };
  console.log(JSON.stringify(report));
  expect(result.effect_parameter.name).toBe(stan.effect_parameter);
  expect(Math.abs(ours.mean - ref.mean)).toBeLessThan(0.1 * ref.sd);
  expect(Math.abs(ours.sd / ref.sd - 1)).toBeLessThan(0.1);
  expect(Math.abs(result.certainty['0'] - stan.p_effect_gt_0)).toBeLessThan(0.02);
  expect(Math.abs(result.effect.q05 - stan.effect_summary.q05)).toBeLessThan(0.15 * stan.effect_summary.sd);
  expect(Math.abs(result.effect.q95 - stan.effect_summary.q95)).toBeLessThan(0.15 * stan.effect_summary.sd);
  expect(result.diagnostics.flagged).toBe(false);

  // Every other parameter Stan reports that we also name: means within 0.2 sd (looser:
  // many parameters, each with its own Monte Carlo error), sds within 15%.
  for (const [parameter, summary] of Object.entries(stan.parameters)) {
    const chains = draws.values[parameter];
    if (!chains) continue;
    const all = chains.flatMap((c) => [...c]);
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    const sd = Math.sqrt(all.reduce((s, v) => s + (v - mean) ** 2, 0) / (all.length - 1));
    expect(Math.abs(mean - summary.mean), `${name}: ${parameter} mean ${mean} vs Stan ${summary.mean}`).toBeLessThan(
      0.2 * summary.sd + 1e-9,
    );
    expect(Math.abs(sd / summary.sd - 1), `${name}: ${parameter} sd ${sd} vs Stan ${summary.sd}`).toBeLessThan(0.15);
  }
  const days = stan.days_avoided?.per_treated_student;
  if (days) expect(Math.abs(result.days_avoided.per_treated_student.mean - days.mean)).toBeLessThan(0.1 * days.sd);
}
