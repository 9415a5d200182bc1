import { describe, expect, it } from 'vitest';
import { readReportStudy } from '../../src/report/read-report-study.js';
import { monthlyPeriods, reportPeriods, weeklyPeriods } from '../../src/report/report-periods.js';
import { readModelTableFromStudy } from '../../src/study/read-study-data.js';
import { FIXTURE_STUDY } from '../helpers/fixtures.js';

const FILES = FIXTURE_STUDY;

describe('report periods', () => {
  it('monthlyPeriods clips the first and last month to the window', () => {
    expect(monthlyPeriods({ from: '2025-08-18', to: '2025-10-03' })).toEqual([
      { label: 'Aug 2025', from: '2025-08-18', to: '2025-08-31' },
      { label: 'Sep 2025', from: '2025-09-01', to: '2025-09-30' },
      { label: 'Oct 2025', from: '2025-10-01', to: '2025-10-03' },
    ]);
    // Across a new year, and February of a leap year (2028).
    expect(monthlyPeriods({ from: '2027-12-20', to: '2028-02-29' }).map((p) => [p.label, p.to])).toEqual([
      ['Dec 2027', '2027-12-31'],
      ['Jan 2028', '2028-01-31'],
      ['Feb 2028', '2028-02-29'],
    ]);
  });

  it('weeklyPeriods runs Monday to Sunday (2025-09-01 was a Monday)', () => {
    expect(weeklyPeriods({ from: '2025-09-03', to: '2025-09-16' })).toEqual([
      { label: 'Sep 1', from: '2025-09-03', to: '2025-09-07' },
      { label: 'Sep 8', from: '2025-09-08', to: '2025-09-14' },
      { label: 'Sep 15', from: '2025-09-15', to: '2025-09-16' },
    ]);
  });

  it('reportPeriods: weeks under ten weeks (70 days), months otherwise', () => {
    expect(reportPeriods({ from: '2025-09-01', to: '2025-11-08' })).toHaveLength(10); // 69 days: weeks
    expect(reportPeriods({ from: '2025-09-01', to: '2025-11-09' })).toHaveLength(3); // 70 days: months
    expect(() => reportPeriods({ from: '2025-09-10', to: '2025-09-01' })).toThrow(/from <= to/);
  });
});

describe('readReportStudy', () => {
  it('gives the model table readModelTableFromStudy gives, and students without ids', async () => {
    const window = { from: '2025-08-18', to: '2026-05-29' };
    const read = await readReportStudy({ ...FILES, window });
    const reference = await readModelTableFromStudy(FILES, window);
    expect(read.table).toEqual(reference.table);
    expect(read.study.inputs).toEqual(reference.data.inputs);
    expect(read.study.students).toHaveLength(1500);
    expect(Object.keys(read.study.students[0]).sort()).toEqual(['arm', 'baseline', 'district', 'outcome', 'periods']);
    // Each student's baseline is the model table's (the roster's columns here), for the tier transitions.
    const withBaseline = read.table.filter((r) => r.baseline_days !== undefined);
    expect(read.study.students.filter((s) => s.baseline !== undefined)).toHaveLength(withBaseline.length);
    expect(read.study.arms).toEqual(['control', 'treatment']);
    expect(read.study.periods.map((p) => p.label)).toEqual([
      'Aug 2025',
      'Sep 2025',
      'Oct 2025',
      'Nov 2025',
      'Dec 2025',
      'Jan 2026',
      'Feb 2026',
      'Mar 2026',
      'Apr 2026',
      'May 2026',
    ]);
    // The monthly windows partition the outcome window, so each student's months add up to the year.
    for (const s of read.study.students.slice(0, 200)) {
      const days = s.periods.reduce((sum, p) => sum + (p?.days_enrolled ?? 0), 0);
      const absent = s.periods.reduce((sum, p) => sum + (p?.days_absent ?? 0), 0);
      expect(days).toBe(s.outcome.days_enrolled);
      expect(absent).toBeCloseTo(s.outcome.days_absent, 9);
    }
    expect(read.study.districtNames).toEqual({
      D01: 'Pine Valley School District',
      D02: 'Cedar Creek School District',
      D03: 'Red Rock School District',
    });
  });

  it('a baseline window is read in the same pass and used as readModelTableFromStudy uses it', async () => {
    const window = { from: '2026-01-05', to: '2026-05-29' };
    const baseline = { from: '2025-08-18', to: '2025-12-19' };
    const read = await readReportStudy({ ...FILES, window, baseline });
    const reference = await readModelTableFromStudy(FILES, window, baseline);
    expect(read.table).toEqual(reference.table);
    expect(read.study.periods[0]).toEqual({ label: 'Jan 2026', from: '2026-01-05', to: '2026-01-31' });
  });
});
