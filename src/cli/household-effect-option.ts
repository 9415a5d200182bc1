import type { HouseholdEffectOption } from '../analysis/model/household-effect.js';

/** `--household-effect` as typed: `auto`, `on` or `off`. */
export type HouseholdEffectChoice = 'auto' | 'on' | 'off';

/** The `--household-effect` option of `analyze` and `report` (docs/model.md, "Household effect"). */
export const HOUSEHOLD_EFFECT_OPTION = {
  choices: ['auto', 'on', 'off'] as const,
  describe: 'the household random effect: auto fits it where siblings are common (docs/model.md), on always, off never (default auto)',
};

/** The library's `householdEffect` for the typed choice (undefined stays undefined: the default). */
export function householdEffectOf(choice: HouseholdEffectChoice | undefined): HouseholdEffectOption | undefined {
  return choice === undefined ? undefined : choice === 'auto' ? 'auto' : choice === 'on';
}
