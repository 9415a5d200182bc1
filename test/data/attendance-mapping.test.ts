import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ED_FI_ATTENDANCE_MAPPING, parseAttendanceMapping } from '../../src/data/attendance-mapping.js';
import { descriptorCode, normalizeStatus, readStatus } from '../../src/data/attendance-status.js';
import { parseColumnMapping, parseDateAs } from '../../src/data/column-mapping.js';
import { parseMappingFile, readMappingFile } from '../../src/data/read-mapping-file.js';
import { readWindowTotals } from '../../src/data/read-window-totals.js';
import { ValidationError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const exports = (name: string) => join('fixtures/real-exports', name);
const mappingFile = (name: string) => join('fixtures/mappings', name);
const attendanceMapping = async (path: string) => (await readMappingFile(path)).attendance!;
const totalsOf = (result: Awaited<ReturnType<typeof readWindowTotals>>, w = 0) => Object.fromEntries(result.totals[w]);

async function problemsOf(promise: Promise<unknown>): Promise<unknown[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return [...(error as ValidationError).issues];
}

describe('Ed-Fi attendance events', () => {
  const february = [{ from: '2011-02-01', to: '2011-02-28' }];

  it('7. reads descriptor URIs, Partial by its EventDuration, and several events a day as the largest fraction absent', async () => {
    const file = exports('ed-fi-attendance.csv');
    const result = await readWindowTotals({ path: file }, file, february);
    expect(result.form).toBe('daily');
    // 604854: in attendance; Excused Absence and Partial 0.5 on the 2nd (1); Partial 0.25; Tardy (its 0.1 is not time missed).
    // 604855: Unexcused Absence (a bare code); In Attendance (duration 1, not absent); Early departure and Partial 0.5 on the 3rd (0.5).
    expect(totalsOf(result)).toEqual({
      '604854': { days_enrolled: 4, days_absent: 1.25 },
      '604855': { days_enrolled: 3, days_absent: 1.5 },
    });
    expect(result.warnings).toEqual([
      {
        file,
        message:
          'read as Ed-Fi StudentSchoolAttendanceEvent: 2 student-days have several records; each day counts the largest fraction absent among them',
      },
    ]);
    // The shipped mapping file reads the same as the built-in one.
    const mapping = await attendanceMapping(mappingFile('ed-fi-attendance.json'));
    expect(mapping).toEqual(ED_FI_ATTENDANCE_MAPPING);
    expect(totalsOf(await readWindowTotals({ path: file }, file, february, { mapping }))).toEqual(totalsOf(result));
  });

  it('7. names a repeated event, a Partial without EventDuration and an unknown category, each on its row', async () => {
    const file = exports('ed-fi-attendance-problems.csv');
    expect(await problemsOf(readWindowTotals({ path: file }, file, february))).toEqual([
      { file, row: 3, column: 'EventDate', message: '"Excused Absence" appears twice for student "604854" on 2011-02-02' },
      { file, row: 4, column: 'EventDuration', message: 'a Partial record needs the fraction of the day missed (EventDuration)' },
      {
        file,
        row: 5,
        column: 'AttendanceEventCategoryDescriptor',
        message:
          'unknown status "uri://ed-fi.org/AttendanceEventCategoryDescriptor#Sick": expected present, absent, excused, unexcused, tardy, early_departure or Partial (descriptor URIs are read by the part after #)',
      },
    ]);
  });

  it('finds a second record for a student and day on any day when no window is given (validate without a calendar)', async () => {
    const text = [
      'student_id,date,status',
      'S1,1999-12-31,present',
      'S2,2031-06-01,absent',
      'S1,2025-09-02,present',
      'S1,1999-12-31,absent',
    ].join('\n');
    expect(await problemsOf(readWindowTotals({ text }, 'att.csv', []))).toEqual([
      { file: 'att.csv', row: 5, column: 'date', message: 'a second record for student "S1" on 1999-12-31' },
    ]);
    // Our own layout takes URIs too, and Partial with fraction_absent.
    const uris = [
      'student_id,date,status,fraction_absent',
      'S1,2025-09-01,uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence,',
      'S1,2025-09-02,Partial,0.5',
    ].join('\n');
    const read = await readWindowTotals({ text: uris }, 'att.csv', [{ from: '2025-09-01', to: '2025-09-30' }]);
    expect(totalsOf(read)).toEqual({ S1: { days_enrolled: 2, days_absent: 1.5 } });
  });

  it('accepts any attendance event category descriptor, bare or as a URI of any namespace (property)', () => {
    const categories: Record<string, string> = {
      'In Attendance': 'present',
      'Excused Absence': 'excused',
      'Unexcused Absence': 'unexcused',
      Tardy: 'tardy',
      'Early departure': 'early_departure',
      Partial: 'absent',
    };
    const namespace = fc.constantFrom('uri://ed-fi.org', 'uri://example-district.org', 'uri://tpdm.ed-fi.org');
    const recase = fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toUpperCase(),
      (s: string) => s.toLowerCase(),
    );
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(categories)), namespace, recase, fc.boolean(), (category, ns, cased, asUri) => {
        const text = asUri ? `${ns}/AttendanceEventCategoryDescriptor#${cased(category)}` : cased(category);
        expect(descriptorCode(text)).toBe(cased(category));
        expect(readStatus(text)).toEqual({ status: categories[category], partial: category === 'Partial' });
        expect(normalizeStatus(text)).toBe(category === 'Partial' ? undefined : categories[category]);
      }),
    );
  });
});

describe('attendance through a mapping file (--map)', () => {
  it('8. turns period rows (D/M/YYYY, local codes) into days: absent when more than half the periods were missed', async () => {
    const file = exports('period-attendance.csv');
    const mapping = await attendanceMapping(mappingFile('period-attendance.json'));
    const september = [{ from: '2025-09-01', to: '2025-09-30' }];
    const result = await readWindowTotals({ path: file }, file, september, { mapping });
    // 1001: 4 of 6 periods absent on 3 Sept (absent), 3 of 6 on 4 Sept (not more than half: present).
    // 1002: 4 of 4 excused on 3 Sept (the fourth period is the file's last row), a tardy and 5 present on 4 Sept.
    expect(totalsOf(result)).toEqual({ '1001': { days_enrolled: 2, days_absent: 1 }, '1002': { days_enrolled: 2, days_absent: 1 } });
    expect(result.warnings).toEqual([
      {
        file,
        message:
          'read as one row per class period, dates as D/M/YYYY: 22 period records make 4 student-days; a day counts absent when more than 0.5 of its periods were missed, present otherwise',
      },
    ]);
    const share = await readWindowTotals({ path: file }, file, september, { mapping: { ...mapping, periodRule: 'share' } });
    expect(totalsOf(share)['1001'].days_absent).toBeCloseTo(4 / 6 + 3 / 6, 12);
    expect(totalsOf(share)['1002']).toEqual({ days_enrolled: 2, days_absent: 1 });
  });

  it('8. gives each day the share of its periods missed, or the rule on it, whatever the order of the rows (property)', async () => {
    const base = (await attendanceMapping(mappingFile('period-attendance.json')))!;
    // Up to 3 students x 3 days x 7 periods, each period absent or not, rows in any order.
    const record = fc.record({
      student: fc.constantFrom('1', '2', '3'),
      day: fc.constantFrom(1, 2, 3),
      period: fc.integer({ min: 1, max: 7 }),
      absent: fc.boolean(),
    });
    const unique = fc.uniqueArray(record, { minLength: 1, maxLength: 40, selector: (r) => `${r.student}|${r.day}|${r.period}` });
    await fc.assert(
      fc.asyncProperty(
        unique,
        fc.constantFrom<'share' | { absentWhenMoreThan: number }>('share', { absentWhenMoreThan: 0.5 }, { absentWhenMoreThan: 0.25 }),
        async (rows, periodRule) => {
          const text = [
            'StudentNumber,attendance_date,period,code',
            ...rows.map((r) => `${r.student},${r.day}/9/2025,${r.period},${r.absent ? 'A' : 'P'}`),
          ].join('\n');
          const read = await readWindowTotals({ text }, 'p.csv', [{ from: '2025-09-01', to: '2025-09-30' }], {
            mapping: { ...base, periodRule },
          });
          const expected = new Map<string, { days_enrolled: number; days_absent: number }>();
          for (const key of new Set(rows.map((r) => `${r.student}|${r.day}`))) {
            const [student, day] = key.split('|');
            const periods = rows.filter((r) => r.student === student && String(r.day) === day);
            const share = periods.filter((r) => r.absent).length / periods.length;
            const fraction = periodRule === 'share' ? share : share > periodRule.absentWhenMoreThan ? 1 : 0;
            const total = expected.get(student) ?? { days_enrolled: 0, days_absent: 0 };
            expected.set(student, { days_enrolled: total.days_enrolled + 1, days_absent: total.days_absent + fraction });
          }
          expect(read.totals[0].size).toBe(expected.size);
          for (const [student, total] of expected) {
            expect(read.totals[0].get(student)!.days_enrolled).toBe(total.days_enrolled);
            expect(read.totals[0].get(student)!.days_absent).toBeCloseTo(total.days_absent, 12);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('8. reads a daily layout with its own column names, codes and MM/DD/YYYY dates', async () => {
    const file = exports('daily-codes.csv');
    const mapping = await attendanceMapping(mappingFile('daily-codes.json'));
    const result = await readWindowTotals({ path: file }, file, [{ from: '2025-09-01', to: '2025-09-30' }], { mapping });
    expect(totalsOf(result)).toEqual({ '20417': { days_enrolled: 4, days_absent: 2 }, '20588': { days_enrolled: 2, days_absent: 0 } });
    expect(result.warnings).toEqual([]);
  });

  it('8. names a period given twice, a date not in the format and an unmapped code', async () => {
    const text = [
      'StudentNumber,attendance_date,period,code',
      '1001,3/9/2025,1,A',
      '1001,3/9/2025,1,P',
      '1001,2025-09-03,2,A',
      '1001,3/9/2025,3,X',
    ].join('\n');
    const mapping = await attendanceMapping(mappingFile('period-attendance.json'));
    expect(await problemsOf(readWindowTotals({ text }, 'p.csv', [], { mapping }))).toEqual([
      { file: 'p.csv', row: 3, column: 'period', message: 'period "1" appears twice for student "1001" on 2025-09-03' },
      { file: 'p.csv', row: 4, column: 'attendance_date', message: '"2025-09-03" is not a date as D/M/YYYY' },
      {
        file: 'p.csv',
        row: 5,
        column: 'code',
        message:
          'unknown status "X": the mapping\'s values.status does not name it, and it is not present, absent, excused, unexcused, tardy, early_departure or Partial (descriptor URIs are read by the part after #)',
      },
    ]);
    expect(await problemsOf(readWindowTotals({ text: 'id,day,code\n1,2,3' }, 'q.csv', [], { mapping }))).toEqual([
      {
        file: 'q.csv',
        row: 1,
        column: 'StudentNumber',
        message: 'the mapping\'s column "StudentNumber" (for student_id) is not in the header (the header has: id, day, code)',
      },
      {
        file: 'q.csv',
        row: 1,
        column: 'attendance_date',
        message: 'the mapping\'s column "attendance_date" (for date) is not in the header (the header has: id, day, code)',
      },
      {
        file: 'q.csv',
        row: 1,
        column: 'period',
        message: 'the mapping\'s column "period" (for period) is not in the header (the header has: id, day, code)',
      },
    ]);
  });

  it('lists every problem of a mapping file at once', async () => {
    const { issues } = parseAttendanceMapping(
      {
        columns: { student_id: 'id', day: 'Date', period: 'p' },
        values: { status: { P: 'here' }, grade: {} },
        date_format: 'D/M/YY',
        colour: 'red',
        same_day: 'sum',
      },
      'm.json',
    );
    expect(issues).toEqual([
      {
        file: 'm.json',
        column: 'attendance.colour',
        message:
          'unknown key "colour" in the attendance mapping: expected columns, values, date_format, description, same_day, period_rule',
      },
      {
        file: 'm.json',
        column: 'attendance.columns.day',
        message: '"day" is not one of the attendance columns: expected student_id, date, status, fraction_absent, event_duration, period',
      },
      { file: 'm.json', column: 'attendance.columns', message: '"columns" must name the export\'s column for "date"' },
      { file: 'm.json', column: 'attendance.columns', message: '"columns" must name the export\'s column for "status"' },
      {
        file: 'm.json',
        column: 'attendance.values.status.P',
        message: 'code "P" maps to "here": expected one of present, absent, excused, unexcused, tardy, early_departure, partial',
      },
      { file: 'm.json', column: 'attendance.values.grade', message: 'codes can be mapped only for status, not "grade"' },
      {
        file: 'm.json',
        column: 'attendance.date_format',
        message:
          'date format "D/M/YY" is not one we read: use D or DD, M or MM, and YYYY with one separator, as "D/M/YYYY", "MM/DD/YYYY" or "YYYY-MM-DD"',
      },
      { file: 'm.json', column: 'attendance.same_day', message: 'same_day is "sum": expected "error" or "largest"' },
    ]);
    const dir = await tempDir('pilot-mapping-');
    await writeFile(join(dir, 'bad.json'), '{ "columns": ');
    expect(await problemsOf(readMappingFile(join(dir, 'bad.json')))).toEqual([
      { file: join(dir, 'bad.json'), message: expect.stringMatching(/^the mapping file is not JSON \(/) },
    ]);
    expect(
      parseMappingFile({ attendance: { columns: { student_id: 'a', date: 'b', status: 'c' } }, roster: [], extra: 1 }, 'n.json').issues,
    ).toEqual([
      {
        file: 'n.json',
        column: 'extra',
        message: 'unknown section "extra" in a mapping file: expected roster, attendance, deliveries, description',
      },
      {
        file: 'n.json',
        column: 'roster',
        message: 'a mapping\'s "roster" is a JSON object with "columns" (and "values", "date_format"); this is an array',
      },
    ]);
    expect(parseMappingFile({ columns: {} }, 'o.json').issues).toEqual([
      {
        file: 'o.json',
        message: 'a mapping file is a JSON object with a "roster", an "attendance" or a "deliveries" section (or several)',
      },
    ]);
  });

  it('reads dates in the formats a mapping may give, and only real calendar dates', () => {
    expect(parseDateAs('3/9/2025', 'D/M/YYYY')).toBe('2025-09-03');
    expect(parseDateAs('09/03/2025', 'MM/DD/YYYY')).toBe('2025-09-03');
    expect(parseDateAs('03.09.2025', 'DD.MM.YYYY')).toBe('2025-09-03');
    expect(parseDateAs('2025/9/3', 'YYYY/M/D')).toBe('2025-09-03');
    expect(parseDateAs('31/2/2025', 'D/M/YYYY')).toBeUndefined();
    expect(parseDateAs('3/9/25', 'D/M/YYYY')).toBeUndefined();
    expect(parseDateAs('3-9-2025', 'D/M/YYYY')).toBeUndefined();
    expect(
      parseColumnMapping({ columns: {}, date_format: 'M/M/YYYY' }, 'x.json', {
        kind: 'k',
        required: [],
        optional: [],
        vocabularies: {},
        extraKeys: [],
      }).issues,
    ).toHaveLength(1);
  });

  it('ships mapping files that parse', async () => {
    for (const name of ['ed-fi-attendance.json', 'period-attendance.json', 'daily-codes.json', 'sis-roster.json']) {
      expect(parseMappingFile(JSON.parse(await readFile(mappingFile(name), 'utf8')), name).issues).toEqual([]);
    }
  });
});
