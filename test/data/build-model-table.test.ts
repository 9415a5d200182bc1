import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModelTable } from '../../src/data/build-model-table.js';
import { readModelTableFromStudy } from '../../src/study/read-study-data.js';
import type { Assignment } from '../../src/types.js';

const row = (id: string, arm: string, district = 'D1', household = id): Assignment => ({
  student_id: id,
  household_id: household,
  district_id: district,
  school_id: 'S',
  grade: '3',
  block: `${district}|S|3`,
  arm,
  p_treatment: 0.5,
  assigned_at: 'initial',
});

describe('buildModelTable', () => {
  it('keeps every randomized student (intent to treat), with e = 0 for those never seen, and the household recorded at assignment', () => {
    const table = buildModelTable({
      assignments: [row('a', 'treatment', 'D1', 'H1'), row('b', 'control'), row('c', 'treatment', 'D2', 'H1')],
      outcome: new Map([
        ['a', { days_enrolled: 80, days_absent: 4.5 }],
        ['b', { days_enrolled: 79, days_absent: 7 }],
      ]),
      baseline: new Map([
        ['a', { days_enrolled: 40, days_absent: 2 }],
        ['c', { days_enrolled: 0, days_absent: 0 }],
      ]),
      controlArm: 'control',
    });
    expect(table).toEqual([
      {
        student_id: 'a',
        y: 4.5,
        e: 80,
        treat: 1,
        block: 'D1|S|3',
        district: 'D1',
        baseline_absences: 2,
        baseline_days: 40,
        household: 'H1',
      },
      {
        student_id: 'b',
        y: 7,
        e: 79,
        treat: 0,
        block: 'D1|S|3',
        district: 'D1',
        baseline_absences: undefined,
        baseline_days: undefined,
        household: 'b',
      },
      {
        student_id: 'c',
        y: 0,
        e: 0,
        treat: 1,
        block: 'D2|S|3',
        district: 'D2',
        baseline_absences: undefined,
        baseline_days: undefined,
        household: 'H1',
      },
    ]);
  });

  it('compares chosen arms only when there are more than two', () => {
    const assignments = [row('a', 'goal'), row('b', 'control'), row('c', 'comparison')];
    const table = buildModelTable({ assignments, outcome: new Map(), controlArm: 'control', treatmentArms: ['goal'] });
    expect(table.map((r) => [r.student_id, r.treat])).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
  });
});

describe('readModelTableFromStudy', () => {
  it('builds the table for the shipped fixtures, baseline from the roster', async () => {
    const fixtures = join(import.meta.dirname, '../../fixtures');
    const { table, data } = await readModelTableFromStudy(
      {
        roster: join(fixtures, 'roster.csv'),
        assignments: join(fixtures, 'study/assignments.csv'),
        attendance: join(fixtures, 'attendance.csv.gz'),
        calendar: join(fixtures, 'calendar.csv'),
      },
      { from: '2025-09-15', to: '2026-05-29' },
    );
    expect(table.length).toBe(1500);
    expect(data.controlArm).toBe('control');
    expect(Object.keys(data.inputs).sort()).toEqual(['assignments', 'attendance', 'calendar', 'roster']);
    const enrolled = table.filter((r) => r.e > 0);
    expect(enrolled.length).toBeGreaterThan(1450);
    expect(Math.max(...table.map((r) => r.e))).toBe(data.calendar!.instructionalDates('2025-09-15', '2026-05-29').length);
    expect(table.some((r) => r.y % 1 === 0.5)).toBe(true);
    // The fixture roster's households (fixtures/roster.csv): 999 of its students share one of 410.
    const sizes = new Map<string, number>();
    for (const r of table) sizes.set(r.household!, (sizes.get(r.household!) ?? 0) + 1);
    const shared = [...sizes.values()].filter((n) => n >= 2);
    expect([shared.length, shared.reduce((a, b) => a + b, 0)]).toEqual([410, 999]);
  });
});
