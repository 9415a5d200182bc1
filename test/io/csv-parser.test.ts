import { describe, expect, it } from 'vitest';
import { CsvChunkParser, parseCsvText } from '../../src/io/csv-parser.js';

describe('CsvChunkParser', () => {
  it('reads quoted fields with delimiters, doubled quotes and newlines, and reports start lines', () => {
    const text = 'a,b,c\n1,"x, y","he said ""hi"""\n2,"two\nlines",z\n3,plain,end\n';
    const { records, lines } = parseCsvText(text);
    expect(records).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'he said "hi"'],
      ['2', 'two\nlines', 'z'],
      ['3', 'plain', 'end'],
    ]);
    expect(lines).toEqual([1, 2, 3, 5]);
  });

  it('accepts a byte-order mark, CRLF, lone CR and a missing final newline; skips blank lines', () => {
    const { records, lines } = parseCsvText('\ufeffid,v\r\n1,a\r2,b\n\n3,c');
    expect(records).toEqual([['id', 'v'], ['1', 'a'], ['2', 'b'], ['3', 'c']]);
    expect(lines).toEqual([1, 2, 3, 5]);
  });

  it('gives the same records however the text is cut into chunks', () => {
    const text = 'id,name\n1,"Smith, ""Jo"""\r\n2,"multi\r\nline"\n3,plain\n';
    const whole = parseCsvText(text);
    for (let cut = 1; cut < text.length; cut++) {
      const records: string[][] = [];
      const lines: number[] = [];
      const parser = new CsvChunkParser((f, l) => (records.push(f), lines.push(l)));
      parser.push(text.slice(0, cut));
      parser.push(text.slice(cut));
      parser.end();
      expect({ records, lines }).toEqual(whole);
    }
  });

  it('names the line of a quote that is never closed', () => {
    expect(() => parseCsvText('a,b\n1,2\n3,"open\n4,5\n')).toThrow(/never closed/);
    try {
      parseCsvText('a,b\n1,2\n3,"open\n4,5\n');
    } catch (error) {
      expect((error as { line: number }).line).toBe(3);
    }
  });

  it("keeps a quote inside an unquoted field as a literal (5'10\")", () => {
    expect(parseCsvText('h\n5\'10"\n').records).toEqual([['h'], ['5\'10"']]);
  });
});
