import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../src/io/csv-parser.js';
import { formatCsv, neutralizeCell } from '../../src/io/write-csv.js';

describe('neutralizeCell', () => {
  it('prefixes text that a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(neutralizeCell(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    expect(neutralizeCell('Maria')).toBe('Maria');
    expect(neutralizeCell('')).toBe('');
  });
});

describe('formatCsv', () => {
  it('neutralizes text cells but writes computed numbers as they are', () => {
    const text = formatCsv(
      ['name', 'value'],
      [
        ['=HYPERLINK("http://x","click")', -0.5],
        ["O'Brien, Pat", 3],
      ],
    );
    expect(parseCsvText(text).records).toEqual([
      ['name', 'value'],
      ['\'=HYPERLINK("http://x","click")', '-0.5'],
      ["O'Brien, Pat", '3'],
    ]);
  });
});
