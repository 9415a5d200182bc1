import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSIGNMENT_COLUMNS, encodeAssignments, formatAssignments } from '../../src/assignment/format-assignments.js';
import { parseCsvText } from '../../src/io/csv-parser.js';
import { formatCsv, neutralizeCell } from '../../src/io/write-csv.js';
import type { Assignment, Grade } from '../../src/types.js';

const row = (student_id: string, household_id: string, school_id = 'S1', block = 'D1|S1|3', p_treatment = 0.5): Assignment => ({
  student_id,
  household_id,
  district_id: 'D1',
  school_id,
  grade: '3' as Grade,
  block,
  arm: 'treatment',
  p_treatment,
  assigned_at: 'initial',
});

/** What `formatCsv` (csv-stringify underneath) writes for the same rows: the bytes we must keep. */
const throughFormatCsv = (rows: readonly Assignment[]) =>
  formatCsv(
    ASSIGNMENT_COLUMNS,
    rows.map((r) => ASSIGNMENT_COLUMNS.map((c) => r[c])),
  );

const TRICKY = [
  '=SUM(A1)',
  '+1',
  '-2',
  '@cmd',
  '\tTab',
  '\rCR',
  "'=x",
  'a,b',
  'say "hi"',
  'two\nlines',
  'cr\rinside',
  'Pérez',
  '東京',
  '☃ snow',
  '😀',
  '',
  ' padded ',
];

describe('formatAssignments', () => {
  it('writes the bytes formatCsv writes, cell for cell, on quotes, commas, line breaks, formula starts and unicode', () => {
    const rows = TRICKY.map((text, i) => row(`${text}#${i}`, text, text || 'S', `D1|${text}|3`));
    expect(formatAssignments(rows)).toBe(throughFormatCsv(rows));
    expect(encodeAssignments(rows).equals(Buffer.from(throughFormatCsv(rows), 'utf8'))).toBe(true);
  });

  it('neutralizes formula starts and quotes what needs quoting, as csv-stringify does', () => {
    const text = formatAssignments([row('=1+1', 'a,"b"', '-S4', 'D1|-S4|3')]);
    const line = text.split('\n')[1];
    expect(line).toBe(`'=1+1,"a,""b""",D1,'-S4,3,D1|-S4|3,treatment,0.5,initial`);
    // The same cells through csv-stringify itself, after neutralizing.
    const cells = ['=1+1', 'a,"b"', 'D1', '-S4', '3', 'D1|-S4|3', 'treatment', '0.5', 'initial'].map(neutralizeCell);
    expect(`${line}\n`).toBe(stringify([cells], { record_delimiter: 'unix' }));
    expect(parseCsvText(text).records[1]).toEqual(["'=1+1", 'a,"b"', 'D1', "'-S4", '3', 'D1|-S4|3', 'treatment', '0.5', 'initial']);
  });

  it('writes a header alone for no rows, and no header when appending', () => {
    expect(formatAssignments([])).toBe(`${ASSIGNMENT_COLUMNS.join(',')}\n`);
    expect(formatAssignments([], false)).toBe('');
    const rows = [row('S1', 'H1'), row('S2', 'H1')];
    expect(formatAssignments(rows, false)).toBe(
      'S1,H1,D1,S1,3,D1|S1|3,treatment,0.5,initial\nS2,H1,D1,S1,3,D1|S1|3,treatment,0.5,initial\n',
    );
  });

  it('writes each probability as formatCsv does, when they differ from row to row', () => {
    const rows = [row('a', 'h', 'S', 'b', 0.5), row('b', 'h', 'S', 'b', 1 / 3), row('c', 'h', 'S', 'b', 0.5), row('d', 'h', 'S', 'b', NaN)];
    expect(formatAssignments(rows)).toBe(throughFormatCsv(rows));
  });

  it('matches formatCsv on any text, across the 1 MB blocks it fills', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'é', '東', '😀', ',', '"', '\n', '\r', '=', '+', '-', '@', '\t', "'", ' '),
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text, text, text), { maxLength: 30 }), (cells) => {
        const rows = cells.map(([id, household, school, block], i) => row(`${id}${i}`, household, school, block));
        expect(formatAssignments(rows)).toBe(throughFormatCsv(rows));
      }),
      { numRuns: 300 },
    );
    // Enough rows to span several blocks, with multi-byte cells near the block edges.
    const many = Array.from({ length: 30_000 }, (_, i) => row(`S${i}`, i % 7 === 0 ? `Hé,${i}` : `H${i}`, `S${i % 9}`, `D1|東${i % 5}|3`));
    expect(encodeAssignments(many).length).toBeGreaterThan(1 << 20);
    expect(formatAssignments(many)).toBe(throughFormatCsv(many));
  });
});
