import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SchoolCalendar } from '../../src/data/read-calendar.js';
import { readWindowTotals } from '../../src/data/read-window-totals.js';
import { ValidationError } from '../../src/errors.js';
import { sha256File } from '../../src/io/hash.js';
import { tempDir } from '../helpers/temp-dir.js';

const daily = [
  'student_id,date,status,fraction_absent',
  'S1,2025-09-01,present,',
  'S1,2025-09-02,Excused Absence,',
  'S1,2025-09-03,unexcused,',
  'S1,2025-09-04,early_departure,0.5',
  'S1,2025-09-05,tardy,',
  'S2,2025-09-01,absent,',
  'S2,2025-09-08,present,',
  'S3,2025-09-02,present,',
].join('\n');

describe('readWindowTotals', () => {
  it('counts enrolled days and absences per student and window, half days as fractions', async () => {
    const result = await readWindowTotals({ text: daily }, 'att.csv', [
      { from: '2025-09-01', to: '2025-09-05' },
      { from: '2025-09-04', to: '2025-09-30' },
    ]);
    expect(result.form).toBe('daily');
    expect(Object.fromEntries(result.totals[0])).toEqual({
      S1: { days_enrolled: 5, days_absent: 2.5 },
      S2: { days_enrolled: 1, days_absent: 1 },
      S3: { days_enrolled: 1, days_absent: 0 },
    });
    expect(Object.fromEntries(result.totals[1])).toEqual({
      S1: { days_enrolled: 2, days_absent: 0.5 },
      S2: { days_enrolled: 1, days_absent: 0 },
    });
  });

  it('counts only instructional days when a calendar is given, per school', async () => {
    const calendar = new SchoolCalendar([
      { date: '2025-09-01', instructional: false },
      { date: '2025-09-02', instructional: true },
      { date: '2025-09-03', instructional: true },
      { date: '2025-09-03', school_id: 'B', instructional: false },
      { date: '2025-09-04', instructional: true },
      { date: '2025-09-05', instructional: true },
    ]);
    const result = await readWindowTotals({ text: daily }, 'att.csv', [{ from: '2025-09-01', to: '2025-09-05' }], {
      calendar,
      schoolOf: new Map([['S1', 'B']]),
    });
    expect(result.totals[0].get('S1')).toEqual({ days_enrolled: 3, days_absent: 1.5 });
    expect(result.warnings.map((w) => w.message)).toEqual(['4 records on days the calendar marks non-instructional were skipped']);
  });

  it('rejects bad dates, statuses, fractions and duplicate days, naming rows', async () => {
    const bad = [
      'student_id,date,status,fraction_absent',
      'S1,2025-02-30,present,',
      'S1,2025-09-01,sick,',
      'S1,2025-09-02,absent,1.5',
      'S1,2025-09-03,present,',
      'S1,2025-09-03,absent,',
    ].join('\n');
    const error = await readWindowTotals({ text: bad }, 'att.csv', [{ from: '2025-09-01', to: '2025-09-30' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => `${i.row}:${i.column}`)).toEqual([
      '2:date',
      '3:status',
      '4:fraction_absent',
      '6:date',
    ]);
  });

  it('finds a second record for a day among thousands of students, and only that one', async () => {
    const rows = ['student_id,date,status'];
    for (let i = 0; i < 5000; i++) rows.push(`S${i},2025-09-01,present`, `S${i},2025-09-30,absent`);
    rows.push('S4321,2025-09-30,present', 'S17,2025-09-02,present');
    const error = await readWindowTotals({ text: rows.join('\n') }, 'att.csv', [{ from: '2025-09-01', to: '2025-09-30' }]).catch(
      (e: unknown) => e,
    );
    expect((error as ValidationError).issues).toEqual([
      { file: 'att.csv', row: 10002, column: 'date', message: 'a second record for student "S4321" on 2025-09-30' },
    ]);
    const result = await readWindowTotals({ text: rows.slice(0, -2).join('\n') }, 'att.csv', [{ from: '2025-09-01', to: '2025-09-30' }]);
    expect(result.totals[0].size).toBe(5000);
    expect(result.totals[0].get('S4999')).toEqual({ days_enrolled: 2, days_absent: 1 });
  });

  it('sums period totals inside a window and refuses a period straddling its edge', async () => {
    const periods = [
      'student_id,period_start,period_end,days_enrolled,days_absent',
      'S1,2025-09-01,2025-09-30,20,2',
      'S1,2025-10-01,2025-10-31,21,3.5',
      'S2,2025-09-01,2025-09-30,20,0',
    ].join('\n');
    const result = await readWindowTotals({ text: periods }, 'p.csv', [{ from: '2025-09-01', to: '2025-10-31' }]);
    expect(result.form).toBe('periods');
    expect(result.totals[0].get('S1')).toEqual({ days_enrolled: 41, days_absent: 5.5 });
    await expect(readWindowTotals({ text: periods }, 'p.csv', [{ from: '2025-09-15', to: '2025-10-31' }])).rejects.toThrow(
      /row 2, column period_start: the period 2025-09-01 to 2025-09-30 straddles/,
    );
  });

  it('refuses absences above enrolment in period totals, and a file that is neither form', async () => {
    await expect(
      readWindowTotals(
        { text: 'student_id,period_start,period_end,days_enrolled,days_absent\nS1,2025-09-01,2025-09-30,20,21\n' },
        'p.csv',
        [],
      ),
    ).rejects.toThrow(/21 days absent is more than the 20 days enrolled/);
    await expect(readWindowTotals({ text: 'id,when\n1,2\n' }, 'x.csv', [])).rejects.toThrow(/not an attendance file/);
  });

  it('readWindowTotals gives the SHA-256 of the file as stored, taken in its one pass, and none for text', async () => {
    const dir = await tempDir();
    const [plain, zipped] = [join(dir, 'att.csv'), join(dir, 'att.csv.gz')];
    await writeFile(plain, daily);
    await writeFile(zipped, gzipSync(daily));
    const window = [{ from: '2025-09-01', to: '2025-09-30' }];
    expect((await readWindowTotals({ path: plain }, plain, window)).sha256).toBe(await sha256File(plain));
    expect((await readWindowTotals({ path: zipped }, zipped, window)).sha256).toBe(await sha256File(zipped));
    expect((await readWindowTotals({ text: daily }, 'att.csv', window)).sha256).toBeUndefined();
  });
});
