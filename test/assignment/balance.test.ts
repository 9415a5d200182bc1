import { describe, expect, it } from 'vitest';
import { assignBlocked } from '../../src/assignment/assign-blocked.js';
import { computeBalance, standardizedMeanDifference } from '../../src/assignment/balance.js';
import { normalizeDesign } from '../../src/assignment/design.js';
import type { Assignment, RosterStudent } from '../../src/types.js';
import { smallRoster } from '../helpers/roster.js';

describe('standardizedMeanDifference', () => {
  it('matches the hand computation (mean_t - mean_c) / sqrt((var_t + var_c) / 2)', () => {
    // treated: mean 0.15, var 0.005; control: mean 0.2, var 0.03; pooled sd sqrt(0.0175).
    expect(standardizedMeanDifference([0.1, 0.2], [0.1, 0.1, 0.4])).toBeCloseTo(-0.05 / Math.sqrt(0.0175), 10);
    expect(standardizedMeanDifference([1, 1], [1, 1])).toBe(0);
  });

  it('agrees with the balance table, which keeps running sums instead of arrays, on a simulated study', () => {
    const roster = smallRoster(2000, 3, 5);
    const assignments = assignBlocked(roster, normalizeDesign(), 9).assignments;
    const rows = computeBalance(roster, assignments, ['control', 'treatment'], 'control');
    const armOf = new Map(assignments.map((a) => [a.student_id, a.arm]));
    const size = new Map<string, number>();
    for (const a of assignments) size.set(a.household_id, (size.get(a.household_id) ?? 0) + 1);
    const byArm = (arm: string, value: (s: RosterStudent) => number | undefined) =>
      roster
        .filter((s) => armOf.get(s.student_id) === arm)
        .map(value)
        .filter((x): x is number => x !== undefined);
    const variables: Record<string, (s: RosterStudent) => number | undefined> = {
      baseline_absence_rate: (s) => (s.baseline_days! > 0 ? (s.baseline_absences ?? 0) / s.baseline_days! : undefined),
      has_baseline: (s) => (s.baseline_days === undefined ? 0 : 1),
      household_size: (s) => size.get(s.household_id)!,
      'grade 3': (s) => (s.grade === '3' ? 1 : 0),
    };
    for (const [name, value] of Object.entries(variables)) {
      const row = rows.find((r) => (r.level === '' ? r.variable : `${r.variable} ${r.level}`) === name)!;
      expect(row.smd.treatment, name).toBeCloseTo(standardizedMeanDifference(byArm('treatment', value), byArm('control', value)), 12);
    }
  });
});

describe('computeBalance', () => {
  it('tabulates numeric variables and categorical levels by arm in one pass', () => {
    const student = (id: string, grade: '1' | '2', school: string, b?: [number, number]): RosterStudent => ({
      student_id: id,
      district_id: 'D',
      school_id: school,
      grade,
      household_id: id,
      preferred_language: 'en',
      ...(b ? { baseline_absences: b[0], baseline_days: b[1] } : {}),
    });
    const roster = [
      student('a', '1', 'X', [10, 100]),
      student('b', '2', 'X', [20, 100]),
      student('c', '1', 'Y', [10, 100]),
      student('d', '1', 'X', [10, 100]),
      student('e', '2', 'Y', [40, 100]),
    ];
    const arm = (id: string, a: string): Assignment => ({
      student_id: id,
      household_id: id,
      district_id: 'D',
      school_id: '',
      grade: '1',
      block: 'all',
      arm: a,
      p_treatment: 0.5,
      assigned_at: 'initial',
    });
    const assignments = [arm('a', 'treatment'), arm('b', 'treatment'), arm('c', 'control'), arm('d', 'control'), arm('e', 'control')];
    const rows = computeBalance(roster, assignments, ['control', 'treatment'], 'control');
    const rate = rows.find((r) => r.variable === 'baseline_absence_rate')!;
    expect(rate.mean.treatment).toBeCloseTo(0.15, 12);
    expect(rate.mean.control).toBeCloseTo(0.2, 12);
    expect(rate.smd.treatment).toBeCloseTo(-0.05 / Math.sqrt(0.0175), 10);
    expect(rate.flagged).toBe(true);
    const schoolX = rows.find((r) => r.variable === 'school' && r.level === 'X')!;
    expect(schoolX.mean).toEqual({ control: 1 / 3, treatment: 1 });
    expect(rows.filter((r) => r.variable === 'grade').map((r) => r.level)).toEqual(['1', '2']);
  });
});
