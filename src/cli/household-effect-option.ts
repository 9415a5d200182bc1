import type { HouseholdEffectOption } from '../analysis/model/household-effect.js';
import { householdEffectOption } from '../analysis/model/household-effect.js';
import type { HouseholdEffectSetting } from '../data/analysis-plan.js';
import { HOUSEHOLD_EFFECT_SETTINGS } from '../data/analysis-plan.js';

/** `--household-effect` as typed: `auto`, `on` or `off`. */
export type HouseholdEffectChoice = HouseholdEffectSetting;

/** The `--household-effect` option of `analyze` and `report` (docs/model.md, "Household effect"). */
export const HOUSEHOLD_EFFECT_OPTION = {
  choices: HOUSEHOLD_EFFECT_SETTINGS,
  describe:
    "the household random effect: auto fits it where siblings are common (docs/model.md), on always, off never (default the plan's, or auto)",
};

/** The library's `householdEffect` for the typed choice (undefined stays undefined: the default). */
export function householdEffectOf(choice: HouseholdEffectChoice | undefined): HouseholdEffectOption | undefined {
  return choice === undefined ? undefined : householdEffectOption(choice);
}
