import type { ModelDescription } from '../analysis/analysis-result.js';
import { AUTO_SHARED_HOUSEHOLDS } from '../analysis/model/household-effect.js';
import { formatPercent } from './format-figures.js';

/** What an analysis recorded of its household effect (absent in analyses made before it existed). */
export type HouseholdEffectRecord = ModelDescription['household_effect'];

/**
 * Which model was fitted and why, in one plain sentence for the report's methods
 * (docs/model.md, "Household effect"); empty for an analysis that recorded nothing of it.
 * No count is printed: how many students share a household is not among the report's
 * published (and protected) counts, so the sentence says only which side of the rule the
 * study fell.
 */
export function describeHouseholdEffect(record: HouseholdEffectRecord, studentsInFit: number): string {
  if (!record) return '';
  const rule = formatPercent(AUTO_SHARED_HOUSEHOLDS, 0);
  if (record.fitted)
    return record.option === 'on'
      ? 'Brothers and sisters were randomized together and share much of what keeps children home, so, as the analysis asked, the model adds a term for each household with two or more students, which widens the interval by as much as their absences move together.'
      : `Brothers and sisters were randomized together and share much of what keeps children home; as ${rule} or more of the students here share a household, the model adds a term for each household with two or more students, which widens the interval by as much as their absences move together.`;
  if (record.option === 'off')
    return 'The model was asked to leave out a household term, so it treats brothers and sisters as independent: where many students share a household, the interval may be a little too narrow.';
  // Only the quick (Laplace) preview leaves the term out under auto where siblings are common.
  if (record.in_shared_households >= AUTO_SHARED_HOUSEHOLDS * studentsInFit)
    return `The model has no household term: this quick preview leaves it to the full analysis, which adds one for each household with two or more students, as ${rule} or more of the students here share a household.`;
  return record.in_shared_households > 0
    ? `The model has no household term: fewer than ${rule} of the students share a household with another, too few for siblings' shared absences to change the result.`
    : 'The model has no household term: the data name no students who share a household.';
}

/**
 * The caution a district reader needs when the household term was left out of a study
 * where siblings are common (the share `auto` would fit it at): turned off (`off`), or
 * left to the full analysis by a quick preview. The certainty may then be a little too
 * high. Undefined otherwise: which model was fitted changes nothing else a reader should
 * believe.
 */
export function householdCaution(record: HouseholdEffectRecord, studentsInFit: number): string | undefined {
  if (!record || record.fitted || !(record.in_shared_households >= AUTO_SHARED_HOUSEHOLDS * studentsInFit)) return undefined;
  const why =
    record.option === 'off' ? 'its household term was turned off' : 'this quick preview leaves the household term to the full analysis';
  return `Many students here share a household with a brother or sister, but the analysis treated them as independent (${why}), so the certainty figures may be a little too high; read a result near the line as weaker than it looks.`;
}
