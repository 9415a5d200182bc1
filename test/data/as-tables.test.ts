import { describe, expect, it } from 'vitest';
import { assignmentsTable, calendarTable, modelTableTable, rosterTable, windowTotalsTable } from '../../src/data/as-tables.js';
import { readCalendar } from '../../src/data/read-calendar.js';
import { readModelTableFromStudy } from '../../src/study/read-study-data.js';
import { FIXTURE_STUDY } from '../helpers/fixtures.js';

const STUDY = FIXTURE_STUDY;

describe('reader results as arquero tables', () => {
  it('gives the fixtures as tables whose rows and sums match the objects', async () => {
    const { table, data } = await readModelTableFromStudy(STUDY, { from: '2025-09-15', to: '2025-10-31' });
    const roster = rosterTable(data.roster);
    expect(roster.numRows()).toBe(1500);
    expect(roster.columnNames().slice(0, 4)).toEqual(['student_id', 'district_id', 'school_id', 'grade']);
    expect(roster.groupby('district_id').count().numRows()).toBe(3);

    const arms = assignmentsTable(data.assignments).groupby('arm').count().orderby('arm').objects();
    const byArm = (arm: string) => data.assignments.filter((a) => a.arm === arm).length;
    expect(arms).toEqual([
      { arm: 'control', count: byArm('control') },
      { arm: 'treatment', count: byArm('treatment') },
    ]);

    const totals = windowTotalsTable(data.windows[0]);
    const absent = [...data.windows[0].values()].reduce((sum, t) => sum + t.days_absent, 0);
    expect(totals.numRows()).toBe(data.windows[0].size);
    expect(Array.from(totals.array('days_absent') as ArrayLike<number>).reduce((a, b) => a + b, 0)).toBeCloseTo(absent, 9);

    const model = modelTableTable(table);
    expect(model.columnNames()).toEqual([
      'student_id',
      'y',
      'e',
      'treat',
      'block',
      'district',
      'baseline_absences',
      'baseline_days',
      'household',
    ]);
    expect(model.filter((d: { treat: number }) => d.treat === 1).numRows()).toBe(table.filter((r) => r.treat === 1).length);
  });

  it('gives the calendar rows, with the all-schools rows as an undefined school', async () => {
    const calendar = await readCalendar(
      { text: 'date,school_id,instructional\n2025-09-01,,false\n2025-09-02,,true\n2025-09-02,S2,false\n' },
      'calendar.csv',
    );
    expect(calendarTable(calendar).objects()).toEqual([
      { date: '2025-09-01', school_id: undefined, instructional: false },
      { date: '2025-09-02', school_id: undefined, instructional: true },
      { date: '2025-09-02', school_id: 'S2', instructional: false },
    ]);
  });
});
