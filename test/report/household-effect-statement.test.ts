import { describe, expect, it } from 'vitest';
import { describeHouseholdEffect, householdCaution } from '../../src/report/household-effect-statement.js';

describe('describeHouseholdEffect (the methods sentence)', () => {
  const record = (fitted: boolean, option: 'auto' | 'on' | 'off', inShared: number) => ({
    fitted,
    option,
    households: fitted ? 40 : 0,
    in_shared_households: inShared,
  });

  it('says which model was fitted and why, without a count', () => {
    expect(describeHouseholdEffect(record(true, 'auto', 120), 200)).toBe(
      'Brothers and sisters were randomized together and share much of what keeps children home; as 10% or more of the students here share a household, the model adds a term for each household with two or more students, which widens the interval by as much as their absences move together.',
    );
    expect(describeHouseholdEffect(record(true, 'on', 12), 200)).toContain('as the analysis asked, the model adds a term');
    expect(describeHouseholdEffect(record(false, 'off', 120), 200)).toContain('the interval may be a little too narrow');
    expect(describeHouseholdEffect(record(false, 'auto', 12), 200)).toBe(
      "The model has no household term: fewer than 10% of the students share a household with another, too few for siblings' shared absences to change the result.",
    );
    expect(describeHouseholdEffect(record(false, 'auto', 0), 200)).toBe(
      'The model has no household term: the data name no students who share a household.',
    );
    for (const n of [120, 12]) expect(describeHouseholdEffect(record(false, 'off', n), 200)).not.toMatch(/\d{2}/);
    // Under auto only the quick preview leaves the term out where siblings are common.
    expect(describeHouseholdEffect(record(false, 'auto', 120), 200)).toBe(
      'The model has no household term: this quick preview leaves it to the full analysis, which adds one for each household with two or more students, as 10% or more of the students here share a household.',
    );
  });

  it('says nothing for an analysis made before the household effect existed', () => {
    expect(describeHouseholdEffect(undefined, 100)).toBe('');
    expect(householdCaution(undefined, 100)).toBeUndefined();
  });

  it('cautions district readers only when the term was turned off where siblings are common (10% or more)', () => {
    expect(householdCaution(record(false, 'off', 10), 100)).toContain('the certainty figures may be a little too high');
    expect(householdCaution(record(false, 'off', 9), 100)).toBeUndefined();
    expect(householdCaution(record(false, 'auto', 9), 100)).toBeUndefined();
    // A quick preview under auto leaves the term out: cautioned, but not as "turned off".
    const preview = householdCaution(record(false, 'auto', 10), 100);
    expect(preview).toContain('this quick preview leaves the household term to the full analysis');
    expect(preview).not.toContain('turned off');
    expect(householdCaution(record(true, 'auto', 60), 100)).toBeUndefined();
    expect(householdCaution(record(true, 'on', 60), 100)).toBeUndefined();
  });
});
