/**
 * Property-based tests over every reader (issue 4): a file written from a model reads back
 * as the model, and a broken file (truncated, another delimiter, a stray quote or BOM, a
 * huge field, control characters, a duplicate header, mixed line endings, gzip garbage)
 * either still reads or is refused with issues naming file, row and column; never
 * another exception, never a hang. `describeReaderProperties(runs)` is shared by the fast
 * suite and the slow one, which differ only in the number of runs.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readVerifiedAssignments, writeAssignmentFiles } from '../../src/assignment/assignment-files.js';
import { formatAssignments } from '../../src/assignment/format-assignments.js';
import type { ModelTableRow } from '../../src/data/model-table.js';
import { MODEL_TABLE_COLUMNS } from '../../src/data/model-table.js';
import { readAssignments } from '../../src/data/read-assignments.js';
import { readCalendar } from '../../src/data/read-calendar.js';
import { readModelTable } from '../../src/data/read-model-table.js';
import { readRoster } from '../../src/data/read-roster.js';
import { readWindowTotals } from '../../src/data/read-window-totals.js';
import { CsvChunkParser, CsvSyntaxError, parseCsvText } from '../../src/io/csv-parser.js';
import { readCsv } from '../../src/io/read-csv.js';
import { formatCsv } from '../../src/io/write-csv.js';
import { readMessageSettings } from '../../src/messages/read-message-settings.js';
import type { Assignment, RosterStudent } from '../../src/types.js';
import { GRADES } from '../../src/types.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';
import {
  breakage,
  breakGzip,
  breakText,
  cellValue,
  csvText,
  expectIssueLocated,
  expectReadOrCleanRefusal,
  FORMULA_VALUES,
  gzipBreakage,
  nonBlankCell,
  rawCell,
} from './property-inputs.js';

let caseNumber = 0;
/** Writes one case's file under a fresh name (cases never see each other's files). */
async function writeCase(dir: string, name: string, contents: string | Uint8Array): Promise<string> {
  const path = join(dir, `${++caseNumber}-${name}`);
  await writeFile(path, contents);
  return path;
}

/** Hostile text, formulas too; `hostileId` is never blank. */
const hostileCell = fc.oneof(cellValue, fc.constantFrom(...FORMULA_VALUES));
// Ids hold no control character (tab, newline, ESC, DEL ...): readers refuse those, as the
// integrity tests check (test/integrity/encodings.test.ts).
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters the readers refuse in an id
const printable = (id: string) => !/[\u0000-\u001f\u007f-\u009f]/.test(id);
const hostileId = fc.oneof(nonBlankCell.filter(printable), fc.constantFrom(...FORMULA_VALUES));

export function describeReaderProperties(numRuns: number): void {
  const runs = { numRuns };
  const fewerRuns = { numRuns: Math.max(10, Math.floor(numRuns / 3)) };

  describe('the CSV parser', () => {
    const records = fc
      .integer({ min: 1, max: 4 })
      .chain((width) => fc.array(fc.array(rawCell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 }));

    it('reads back every record and its start line, whatever the line endings, BOM, quoting and chunking', () => {
      fc.assert(
        fc.property(
          records,
          fc.array(fc.constantFrom('\n', '\r\n', '\r')),
          fc.boolean(),
          fc.boolean(),
          fc.array(fc.nat()),
          (rows, endings, bom, quoteAll, cuts) => {
            // A BOM that opens the text is a byte-order mark, not data: the model cannot start with one.
            fc.pre(!rows[0][0].startsWith('\ufeff'));
            // Each record gets its own line ending (mixed endings), and the start line it should report.
            const quote = (v: string, alone: boolean) =>
              quoteAll || /[",\r\n]/.test(v) || (alone && v === '') ? `"${v.replaceAll('"', '""')}"` : v;
            let text = bom ? '\ufeff' : '';
            let line = 1;
            const lines: number[] = [];
            rows.forEach((fields, i) => {
              lines.push(line);
              text += fields.map((f) => quote(f, fields.length === 1)).join(',') + (endings[i] ?? '\n');
              line += 1 + fields.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
            });
            expect(parseCsvText(text)).toEqual({ records: rows, lines });
            const got: string[][] = [];
            const parser = new CsvChunkParser((fields) => got.push(fields));
            let from = 0;
            for (const cut of [...cuts.map((c) => c % (text.length + 1))].sort((a, b) => a - b)) {
              parser.push(text.slice(from, cut));
              from = cut;
            }
            parser.push(text.slice(from));
            parser.end();
            expect(got).toEqual(rows);
          },
        ),
        runs,
      );
    });

    it('on broken text returns records or throws CsvSyntaxError with a line in the file', () => {
      fc.assert(
        fc.property(records, breakage, (rows, damage) => {
          const text = breakText(csvText(rows[0], rows.slice(1)), damage);
          try {
            parseCsvText(text);
          } catch (error) {
            expect(error).toBeInstanceOf(CsvSyntaxError);
            const line = (error as CsvSyntaxError).line;
            expect(line).toBeGreaterThanOrEqual(1);
            expect(line).toBeLessThanOrEqual(text.split(/\r\n|\r|\n/).length);
          }
        }),
        fewerRuns,
      );
    });
  });

  describe('readCsv', () => {
    // Header names without `;`, tab or `|`: a one-column header holding one is taken for the
    // sign of a file with another delimiter (checkHeader), which is what it usually is. Nor
    // does one start with an apostrophe: header names are ours, written as they are.
    const headerName = nonBlankCell.filter((name) => !/[;\t|]/.test(name) && !name.startsWith("'"));
    const table = fc
      .uniqueArray(headerName, { minLength: 1, maxLength: 4 })
      .chain((header) =>
        fc.tuple(
          fc.constant(header),
          fc.array(fc.array(cellValue, { minLength: header.length, maxLength: header.length }), { maxLength: 6 }),
        ),
      );

    it('reads what formatCsv wrote, formulas neutralized on the way out and restored on the way in (.csv and .csv.gz)', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(table, fc.boolean(), async ([header, rows], gzip) => {
          const text = formatCsv(header, rows);
          const path = await writeCase(dir, gzip ? 'table.csv.gz' : 'table.csv', gzip ? gzipSync(text) : text);
          const read = await readCsv({ path }, 'table.csv');
          expect(read.header).toEqual(header);
          expect(read.rowCount).toBe(rows.length);
          header.forEach((name, c) => expect(read.columns[name]).toEqual(rows.map((r) => r[c])));
        }),
        runs,
      );
    });

    it('reads a broken file or refuses it naming file, row and column', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(table, breakage, async ([header, rows], damage) => {
          const path = await writeCase(dir, 'table.csv', breakText(formatCsv(header, rows), damage));
          await expectReadOrCleanRefusal('table.csv', () => readCsv({ path }, 'table.csv'));
        }),
        fewerRuns,
      );
    });

    it('refuses gzip garbage as a whole-file problem', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(table, gzipBreakage, async ([header, rows], damage) => {
          const path = await writeCase(dir, 'table.csv.gz', breakGzip(formatCsv(header, rows), damage));
          await expectReadOrCleanRefusal('table.csv.gz', () => readCsv({ path }, 'table.csv.gz'));
        }),
        fewerRuns,
      );
    });
  });

  describe('readRoster', () => {
    /** A simulated roster whose ids and text fields are replaced by hostile text. */
    const roster = fc
      .record({
        seed: fc.nat(),
        students: fc.integer({ min: 1, max: 8 }),
        // Ids: hostile text before a counter, so they stay unique and canonical.
        idPrefix: hostileCell.filter(printable),
        texts: fc.array(cellValue, { minLength: 8, maxLength: 8 }),
        spread: fc.array(hostileCell, { minLength: 1, maxLength: 8 }),
      })
      .map(({ seed, students, idPrefix: prefix, texts, spread }) =>
        smallRoster(students, 1, seed).map((s, i): RosterStudent => {
          const text = (k: number) => {
            const value = [texts[k], spread[(i + k) % spread.length]][(i + k) % 2];
            return value === '' ? undefined : value;
          };
          return {
            ...s,
            student_id: `${prefix}${s.student_id}`,
            household_id: `${prefix}${s.household_id}`,
            district_id: `${prefix}${s.district_id}`,
            school_id: `${prefix}${s.school_id}`,
            first_name: text(0),
            last_name: text(1),
            caregiver_name: text(2),
            caregiver_phone: text(3),
            caregiver_email: text(4),
            caregiver_address: text(5),
            school_name: text(6),
            district_name: text(7),
          };
        }),
      );

    it('reads back every student written, hostile names and formula-looking ids included', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(roster, async (students) => {
          const path = await writeCase(dir, 'roster.csv', rosterCsv(students));
          const read = await readRoster({ path }, 'roster.csv');
          expect(read.students).toEqual(students);
        }),
        runs,
      );
    });

    it('reads a broken roster or refuses it naming file, row and column', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(roster, breakage, fc.boolean(), async (students, damage, gzip) => {
          const text = breakText(rosterCsv(students), damage);
          const path = await writeCase(dir, gzip ? 'roster.csv.gz' : 'roster.csv', gzip ? gzipSync(text) : text);
          await expectReadOrCleanRefusal('roster.csv', () => readRoster({ path }, 'roster.csv'));
        }),
        fewerRuns,
      );
    });
  });

  describe('readWindowTotals', () => {
    const STATUSES: readonly [string, number][] = [
      ['present', 0],
      ['absent', 1],
      ['Excused Absence', 1],
      ['unexcused', 1],
      ['TARDY', 0],
      ['early_departure', 0],
    ];
    const dates = Array.from({ length: 20 }, (_, d) => `2025-09-${String(d + 1).padStart(2, '0')}`);
    const daily = fc.uniqueArray(
      fc.record({
        student: hostileId,
        day: fc.integer({ min: 0, max: 19 }),
        status: fc.integer({ min: 0, max: 5 }),
        fraction: fc.option(fc.constantFrom(0, 0.25, 0.5, 1)),
      }),
      { minLength: 1, maxLength: 30, selector: (r) => `${r.student}\u0000${r.day}` },
    );
    const windows = [
      { from: '2025-09-01', to: '2025-09-10' },
      { from: '2025-09-08', to: '2025-09-20' },
    ];
    const dailyCsv = (records: readonly { student: string; day: number; status: number; fraction: number | null }[]) =>
      formatCsv(
        ['student_id', 'date', 'status', 'fraction_absent'],
        records.map((r) => [r.student, dates[r.day], STATUSES[r.status][0], r.fraction]),
      );

    it('totals daily records per student and window as counted by hand', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(daily, fc.boolean(), async (records, gzip) => {
          const text = dailyCsv(records);
          const path = await writeCase(dir, gzip ? 'attendance.csv.gz' : 'attendance.csv', gzip ? gzipSync(text) : text);
          const result = await readWindowTotals({ path }, 'attendance.csv', windows);
          windows.forEach((window, w) => {
            const expected = new Map<string, { days_enrolled: number; days_absent: number }>();
            for (const r of records) {
              if (dates[r.day] < window.from || dates[r.day] > window.to) continue;
              const entry = expected.get(r.student) ?? { days_enrolled: 0, days_absent: 0 };
              entry.days_enrolled += 1;
              entry.days_absent += r.fraction ?? STATUSES[r.status][1];
              expected.set(r.student, entry);
            }
            expect(result.totals[w]).toEqual(expected);
          });
          expect(result.rows).toBe(records.length);
        }),
        runs,
      );
    });

    const periods = fc.uniqueArray(
      fc.record({
        student: hostileId,
        period: fc.integer({ min: 0, max: 3 }),
        enrolled: fc.integer({ min: 0, max: 5 }),
        absentShare: fc.constantFrom(0, 0.5, 1),
      }),
      { minLength: 1, maxLength: 20, selector: (r) => `${r.student}\u0000${r.period}` },
    );
    // Four periods of five days; the windows are whole periods, so none straddles.
    const periodDates = [
      ['2025-09-01', '2025-09-05'],
      ['2025-09-08', '2025-09-12'],
      ['2025-09-15', '2025-09-19'],
      ['2025-09-22', '2025-09-26'],
    ];
    const periodWindows = [
      { from: '2025-09-01', to: '2025-09-12' },
      { from: '2025-09-08', to: '2025-09-26' },
    ];
    const periodCsv = (rows: { student: string; period: number; enrolled: number; absentShare: number }[]) =>
      formatCsv(
        ['student_id', 'period_start', 'period_end', 'days_enrolled', 'days_absent'],
        rows.map((r) => [r.student, ...periodDates[r.period], r.enrolled, r.enrolled * r.absentShare]),
      );

    it('totals period rows per student and window as counted by hand', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(periods, async (rows) => {
          const path = await writeCase(dir, 'periods.csv', periodCsv(rows));
          const result = await readWindowTotals({ path }, 'periods.csv', periodWindows);
          expect(result.form).toBe('periods');
          periodWindows.forEach((window, w) => {
            const expected = new Map<string, { days_enrolled: number; days_absent: number }>();
            for (const r of rows) {
              if (periodDates[r.period][0] < window.from || periodDates[r.period][1] > window.to) continue;
              const entry = expected.get(r.student) ?? { days_enrolled: 0, days_absent: 0 };
              entry.days_enrolled += r.enrolled;
              entry.days_absent += r.enrolled * r.absentShare;
              expected.set(r.student, entry);
            }
            expect(result.totals[w]).toEqual(expected);
          });
        }),
        runs,
      );
    });

    it('reads broken attendance (either form, plain or gzip) or refuses it naming file, row and column', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(
          daily,
          periods,
          fc.boolean(),
          breakage,
          gzipBreakage,
          fc.constantFrom('text', 'gzip-text', 'gzip-bytes'),
          async (records, rows, useDaily, damage, gzipDamage, how) => {
            const text = useDaily ? dailyCsv(records) : periodCsv(rows);
            const contents =
              how === 'text'
                ? breakText(text, damage)
                : how === 'gzip-text'
                  ? gzipSync(breakText(text, damage))
                  : breakGzip(text, gzipDamage);
            const path = await writeCase(dir, how === 'text' ? 'attendance.csv' : 'attendance.csv.gz', contents);
            await expectReadOrCleanRefusal('attendance.csv', () =>
              readWindowTotals({ path }, 'attendance.csv', useDaily ? windows : periodWindows),
            );
          },
        ),
        fewerRuns,
      );
    });
  });

  describe('readCalendar', () => {
    const days = fc.uniqueArray(
      fc.record({
        day: fc.integer({ min: 0, max: 59 }),
        school: fc.option(nonBlankCell, { nil: undefined }),
        instructional: fc.boolean(),
        spelling: fc.integer({ min: 0, max: 3 }),
      }),
      { minLength: 1, maxLength: 25, selector: (d) => `${d.day}\u0000${d.school ?? ''}` },
    );
    const dateOf = (day: number) => new Date(Date.UTC(2025, 7, 18 + day)).toISOString().slice(0, 10);
    const calendarCsv = (rows: { day: number; school?: string; instructional: boolean; spelling: number }[]) =>
      formatCsv(
        ['date', 'school_id', 'instructional'],
        rows.map((d) => [
          dateOf(d.day),
          d.school,
          [String(d.instructional), d.instructional ? 'TRUE' : 'FALSE', d.instructional ? '1' : '0', d.instructional ? 'yes' : 'no'][
            d.spelling
          ],
        ]),
      );

    it('answers isInstructional for every written day, a school row over the all-schools row', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(days, async (rows) => {
          const path = await writeCase(dir, 'calendar.csv', calendarCsv(rows));
          const calendar = await readCalendar({ path }, 'calendar.csv');
          for (const d of rows) {
            expect(calendar.isInstructional(dateOf(d.day), d.school)).toBe(d.instructional);
            if (d.school === undefined) {
              expect(calendar.isInstructional(dateOf(d.day), '\u0000no such school')).toBe(d.instructional);
            }
          }
        }),
        runs,
      );
    });

    it('reads a broken calendar or refuses it naming file, row and column', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(days, breakage, async (rows, damage) => {
          const path = await writeCase(dir, 'calendar.csv', breakText(calendarCsv(rows), damage));
          await expectReadOrCleanRefusal('calendar.csv', () => readCalendar({ path }, 'calendar.csv'));
        }),
        fewerRuns,
      );
    });
  });

  describe('readAssignments', () => {
    const assignments = fc
      .uniqueArray(hostileId, { minLength: 1, maxLength: 10 })
      .chain((ids) =>
        fc.tuple(
          fc.constant(ids),
          fc.array(
            fc.record({
              household: cellValue,
              grade: fc.constantFrom(...GRADES),
              arm: fc.constantFrom('control', 'treatment', '=arm', '-b'),
              p: fc.constantFrom(0, 0.5, 1 / 3, 1),
              block: cellValue,
            }),
            {
              minLength: ids.length,
              maxLength: ids.length,
            },
          ),
        ),
      )
      .map(([ids, rest]): Assignment[] =>
        ids.map((id, i) => ({
          student_id: id,
          household_id: rest[i].household,
          district_id: 'D',
          school_id: 'S',
          grade: rest[i].grade,
          block: rest[i].block,
          arm: rest[i].arm,
          p_treatment: rest[i].p,
          assigned_at: 'initial',
        })),
      );

    it('reads back every assignment written', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(assignments, async (rows) => {
          const path = await writeCase(dir, 'assignments.csv', formatAssignments(rows));
          expect(await readAssignments({ path }, 'assignments.csv')).toEqual(rows);
        }),
        runs,
      );
    });

    it('reads a broken assignment file or refuses it naming file, row and column', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(assignments, breakage, async (rows, damage) => {
          const path = await writeCase(dir, 'assignments.csv', breakText(formatAssignments(rows), damage));
          await expectReadOrCleanRefusal('assignments.csv', () => readAssignments({ path }, 'assignments.csv'));
        }),
        fewerRuns,
      );
    });

    it('refuses a broken or foreign manifest with a PilotError naming the file', async () => {
      const manifest = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.constantFrom('', '{', 'null', '[]', '{"output":null}', '{"output":{"sha256":5}}', '{"runs":{}}', '\ufeff{}'),
        fc.json(),
      );
      await fc.assert(
        fc.asyncProperty(assignments, manifest, async (rows, text) => {
          const dir = await tempDir();
          await writeAssignmentFiles(
            dir,
            formatAssignments(rows),
            {
              tool: 'attendance-pilot',
              version: '0',
              design: {
                block_by: [],
                clustered_by: null,
                arms: ['control', 'treatment'],
                probabilities: [0.5, 0.5],
                control_arm: 'control',
                households_spanning_blocks: '',
              },
              seed: 1,
              runs: [],
            },
            '',
          );
          const path = join(dir, 'assignments.csv');
          await writeFile(join(dir, 'assignments.manifest.json'), text);
          const outcome = await expectReadOrCleanRefusal(path, () => readVerifiedAssignments(path));
          expect(outcome.error).toBeDefined();
        }),
        fewerRuns,
      );
    });
  });

  describe('readModelTable', () => {
    const tableRows = fc.uniqueArray(
      fc.record({
        student_id: hostileId,
        y: fc.constantFrom(0, 1, 2.5, 7),
        e: fc.integer({ min: 1, max: 180 }),
        treat: fc.constantFrom(0 as const, 1 as const),
        block: nonBlankCell,
        district: nonBlankCell,
        baseline: fc.option(fc.tuple(fc.constantFrom(0, 3, 4.5), fc.integer({ min: 5, max: 180 })), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 10, selector: (r) => r.student_id },
    );
    const toModel = (
      rows: { student_id: string; y: number; e: number; treat: 0 | 1; block: string; district: string; baseline?: [number, number] }[],
    ): ModelTableRow[] =>
      rows.map(({ baseline, ...r }) => (baseline ? { ...r, baseline_absences: baseline[0], baseline_days: baseline[1] } : r));
    const tableCsv = (rows: ModelTableRow[]) =>
      formatCsv(
        MODEL_TABLE_COLUMNS,
        rows.map((r) => MODEL_TABLE_COLUMNS.map((c) => r[c])),
      );

    it('reads back every row written', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(tableRows, async (rows) => {
          const model = toModel(rows);
          const path = await writeCase(dir, 'model_input.csv', tableCsv(model));
          const read = await readModelTable({ path }, 'model_input.csv');
          expect(read.issues).toEqual([]);
          expect(read.value).toEqual(model);
        }),
        runs,
      );
    });

    it('reads a broken model table or refuses it naming file, row and column', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(tableRows, breakage, async (rows, damage) => {
          const path = await writeCase(dir, 'model_input.csv', breakText(tableCsv(toModel(rows)), damage));
          const outcome = await expectReadOrCleanRefusal('model_input.csv', () => readModelTable({ path }, 'model_input.csv'));
          // Bad values come back as issues rather than thrown: they too name where they are.
          if (outcome.value && !outcome.value.ok) {
            for (const issue of outcome.value.issues) expectIssueLocated(issue, 'model_input.csv', true);
          }
        }),
        fewerRuns,
      );
    });
  });

  describe('readMessageSettings', () => {
    const text = hostileId;
    const school = fc.record(
      {
        school_name: text,
        sender_name: text,
        school_phone: text,
        special_circumstances: fc.oneof(fc.boolean(), text),
        templates: fc.array(
          fc.record({
            name: text,
            kind: fc.constantFrom('initial', 'recurring', 'thank_you'),
            language: fc.constantFrom('en', 'es'),
            body: text,
          }),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: [] },
    );
    const settings = fc.record({ defaults: school, schools: fc.dictionary(nonBlankCell, school, { maxKeys: 3 }) });

    it('reads every valid settings file, with or without a byte-order mark', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(settings, fc.boolean(), async (value, bom) => {
          const path = await writeCase(dir, 'settings.json', (bom ? '\ufeff' : '') + JSON.stringify(value, null, 2));
          const outcome = await expectReadOrCleanRefusal(path, () => readMessageSettings(path), { csv: false });
          // Only a template's placeholders can make valid JSON of this shape invalid: none are generated.
          expect(outcome.error?.message).toBeUndefined();
          expect(outcome.value?.defaults.school_name).toBe(value.defaults.school_name);
        }),
        runs,
      );
    });

    it('refuses broken settings JSON naming the file and where', async () => {
      const dir = await tempDir();
      await fc.assert(
        fc.asyncProperty(settings, breakage, async (value, damage) => {
          const path = await writeCase(dir, 'settings.json', breakText(JSON.stringify(value, null, 2), damage));
          await expectReadOrCleanRefusal(path, () => readMessageSettings(path), { csv: false });
        }),
        fewerRuns,
      );
    });
  });
}
