import { HOUSEHOLD_EFFECT_SETTINGS } from '../data/analysis-plan.js';

/** The `--household-effect` option of `analyze` and `report` (docs/model.md, "Household effect"). */
export const HOUSEHOLD_EFFECT_OPTION = {
  choices: HOUSEHOLD_EFFECT_SETTINGS,
  describe:
    "the household random effect: auto fits it where siblings are common (docs/model.md), on always, off never (default the plan's, or auto)",
};
