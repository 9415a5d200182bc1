import { describe, expect, it } from 'vitest';
import { computeGoalDays } from '../../src/messages/compute-goal-days.js';
import { findPlaceholders, renderTemplate, unknownPlaceholders } from '../../src/messages/render-template.js';

describe('renderTemplate', () => {
  it('fills named placeholders and turns doubled braces into literal ones', () => {
    expect(renderTemplate('Hi {student_name}, {{not a placeholder}}', { student_name: 'Ana' })).toEqual({
      text: 'Hi Ana, {not a placeholder}',
      missing: [],
    });
  });

  it('reports every placeholder without a value, and tidies the gap an empty one leaves', () => {
    expect(
      renderTemplate('{school_name}: {caregiver_name} {special_circumstances} Call {school_phone}.', {
        school_name: 'Elm',
        special_circumstances: '',
      }).missing,
    ).toEqual(['caregiver_name', 'school_phone']);
    expect(renderTemplate('Thanks! {special_circumstances} Call us.', { special_circumstances: '' }).text).toBe('Thanks! Call us.');
  });

  it('names unknown placeholders and malformed braces', () => {
    expect(unknownPlaceholders('{student_name} {studnet_name} {Bad Name} }')).toEqual(['{studnet_name}', '{Bad Name}', '}']);
    expect(findPlaceholders('{a} {b} {a}').names).toEqual(['a', 'b']);
  });
});

describe('computeGoalDays', () => {
  it('allows the most days that keep absences strictly under 5% of the coming days, at least 1', () => {
    // 20 days: 1/20 = 5% is not under 5%, so 0, raised to the minimum 1.
    expect(computeGoalDays(20)).toBe(1);
    expect(computeGoalDays(0)).toBe(1);
    expect(computeGoalDays(41)).toBe(2); // 2/41 = 4.9%
    expect(computeGoalDays(40)).toBe(1); // 2/40 = 5% is not under
    expect(computeGoalDays(20, { rate: 0.1 })).toBe(1); // 2/20 = 10% is not under 10%
    expect(computeGoalDays(21, { rate: 0.1 })).toBe(2);
    expect(computeGoalDays(20, { minimum: 0 })).toBe(0);
  });
});
