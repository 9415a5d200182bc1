import type { HouseholdEffectSetting } from '../../data/analysis-plan.js';
import type { ModelTable } from '../../data/model-table.js';
import type { ChainOutput } from '../sampler/sample-chain.js';
import type { AbsenceModelData } from './absence-model-data.js';
import type { ParameterLayout } from './parameter-layout.js';

/**
 * Prior scale of `sigma_household ~ HalfNormal(0, 0.5)`: on the log-rate scale, a spread of
 * 0.5 means siblings' shared circumstances multiply absences by about 0.6 to 1.6 either
 * side of the block's rate; the prior allows that and rules out several-fold spreads.
 */
export const SIGMA_HOUSEHOLD_SCALE = 0.5;

/**
 * Each cell's household term `sigma_household z_household[h]` at one draw of the
 * unconstrained vector (`q` from `at`), in `out`; all zeros without a household effect.
 * Whatever adds up a cell's linear predictor from draws (days avoided, predictions) adds this.
 */
export function cellHouseholdTerms(
  data: AbsenceModelData,
  layout: ParameterLayout,
  q: Float64Array,
  at: number,
  out: Float64Array,
): Float64Array {
  const household = data.household;
  if (!household || layout.zHousehold < 0) return out.fill(0);
  const sigma = Math.exp(q[at + layout.logSigmaHousehold]);
  const { cellHousehold } = household;
  for (let c = 0; c < cellHousehold.length; c++) out[c] = cellHousehold[c] >= 0 ? sigma * q[at + layout.zHousehold + cellHousehold[c]] : 0;
  return out;
}

/**
 * The draws of every household's term `sigma_household z_household[h]`, for what adds up a
 * student's linear predictor from the named draws (the effect when delivered). The terms
 * are read from the chains' output when asked for, not copied: a network has thousands
 * of households.
 */
export interface HouseholdTermDraws {
  /** Each household with a term (two or more students in the fit), by id, to its index in `termsAt`'s output. */
  readonly index: ReadonlyMap<string, number>;
  /** The terms of every household at draw `draw` of chain `chain`, in `out` (length `index.size`). */
  termsAt(chain: number, draw: number, out: Float64Array): Float64Array;
}

/** The household terms of a fit with the household effect (`householdIds` in the layout's order), from its chains' output. */
export function householdTermDraws(
  householdIds: readonly string[],
  layout: ParameterLayout,
  outputs: readonly ChainOutput[],
): HouseholdTermDraws {
  const index = new Map(householdIds.map((id, h) => [id, h]));
  return {
    index,
    termsAt(chain, draw, out) {
      const q = outputs[chain].draws;
      const at = draw * layout.dimension;
      const sigma = Math.exp(q[at + layout.logSigmaHousehold]);
      for (let h = 0; h < index.size; h++) out[h] = sigma * q[at + layout.zHousehold + h];
      return out;
    },
  };
}

/**
 * Adds the household block's prior to a log density and finishes its gradient:
 * `z_household[h] ~ Normal(0, 1)` and `sigma_household = exp(v) ~ HalfNormal(0, scale)` with
 * the Jacobian `v`, as Stan does for a `<lower=0>` parameter. `z` holds the model's
 * `z_household` (household-coordinates.ts); `householdGradient[h]` holds d lp / d(household
 * term of h) summed over its cells; the term is `sigma z[h]` (non-centered: Betancourt and
 * Girolami 2015). Leaves d lp / d z[h] in the gradient's `zHousehold` slots. Returns the
 * prior's log density.
 */
export function addHouseholdPrior(
  v: number,
  z: Float64Array,
  grad: Float64Array,
  layout: ParameterLayout,
  scale: number,
  householdGradient: Float64Array,
): number {
  const sigma = Math.exp(v);
  let lp = 0;
  let dSigma = 0;
  for (let h = 0; h < householdGradient.length; h++) {
    const g = householdGradient[h];
    dSigma += g * z[h];
    lp -= 0.5 * z[h] * z[h];
    grad[layout.zHousehold + h] = sigma * g - z[h];
  }
  const s = sigma / scale;
  lp += -0.5 * s * s + v;
  grad[layout.logSigmaHousehold] = sigma * dSigma - s * s + 1;
  return lp;
}

/**
 * `'auto'` fits the household effect when at least this share of the students in the fit
 * share their household with another student in the fit: there the plain model's
 * intervals are too narrow (docs/validation.md, "Realistic data: households and weekly
 * shocks"); with hardly any siblings the effect changes nothing but the time.
 */
export const AUTO_SHARED_HOUSEHOLDS = 0.1;

/** `true` fits the household effect, `false` never, `'auto'` (the default) where siblings are common. */
export type HouseholdEffectOption = boolean | 'auto';

/** The option as a plan, the commands and `analysis.json` name it: `auto`, `on` (true) or `off` (false). */
export function householdEffectSetting(option: HouseholdEffectOption | undefined): HouseholdEffectSetting {
  return option === true ? 'on' : option === false ? 'off' : 'auto';
}

/** The option for a setting named `auto`, `on` or `off` (none given: none, the default). */
export function householdEffectOption(setting: HouseholdEffectSetting): HouseholdEffectOption;
export function householdEffectOption(setting: HouseholdEffectSetting | undefined): HouseholdEffectOption | undefined;
export function householdEffectOption(setting: HouseholdEffectSetting | undefined): HouseholdEffectOption | undefined {
  return setting === undefined ? undefined : setting === 'auto' ? 'auto' : setting === 'on';
}

/**
 * Whether a fit of `table` gets the household effect: always with `true`; never with
 * `false` or when no row names a household; with `'auto'`, when at least
 * AUTO_SHARED_HOUSEHOLDS of the students enrolled in the window share a household with another.
 */
export function chooseHouseholdEffect(table: ModelTable, option: HouseholdEffectOption = 'auto'): boolean {
  if (option === false || !table.some((row) => row.household !== undefined)) return false;
  if (option === true) return true;
  const sizes = new Map<string, number>();
  let n = 0;
  for (const row of table) {
    if (!(row.e > 0)) continue;
    n++;
    if (row.household !== undefined) sizes.set(row.household, (sizes.get(row.household) ?? 0) + 1);
  }
  const shared = [...sizes.values()].filter((k) => k >= 2).reduce((s, k) => s + k, 0);
  return n > 0 && shared / n >= AUTO_SHARED_HOUSEHOLDS;
}
