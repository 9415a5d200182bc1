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
    expect(records).toEqual([
      ['id', 'v'],
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ]);
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

  it('keeps a quote inside an unquoted field as a literal (5\'10")', () => {
    expect(parseCsvText('h\n5\'10"\n').records).toEqual([['h'], ['5\'10"']]);
  });
});

describe('CsvChunkParser.pushBytes', () => {
  const text = '\ufeffid,name,city\n1,"Pérez, Ana","São Paulo"\r\n2,Zoë,"multi\nline ☃"\n3,"say ""olá""",東京\n4,plain,end';
  const bytes = Buffer.from(text, 'utf8');

  function parseBytes(pieces: readonly Uint8Array[], keep?: readonly boolean[]) {
    const records: string[][] = [];
    const lines: number[] = [];
    const parser = new CsvChunkParser((fields, line) => {
      if (records.length === 0 && keep) parser.keepOnly(keep);
      records.push(fields);
      lines.push(line);
    });
    for (const piece of pieces) parser.pushBytes(piece);
    parser.end();
    return { records, lines };
  }

  it('reads UTF-8 bytes as the same records as the decoded text, wherever the chunks cut (inside a character, the BOM or a CRLF)', () => {
    const expected = parseCsvText(text);
    expect(expected.records[1]).toEqual(['1', 'Pérez, Ana', 'São Paulo']);
    expect(expected.records[3]).toEqual(['3', 'say "olá"', '東京']);
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(parseBytes([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(expected);
    }
    // One byte at a time, into a buffer the caller then overwrites.
    const scratch = new Uint8Array(1);
    const records: string[][] = [];
    const parser = new CsvChunkParser((fields) => records.push(fields));
    for (const byte of bytes) {
      scratch[0] = byte;
      parser.pushBytes(scratch);
      scratch[0] = 0;
    }
    parser.end();
    expect(records).toEqual(expected.records);
  });

  it('leaves the columns a reader skips empty, quoted or not, and still counts their line breaks', () => {
    const { records, lines } = parseBytes([bytes], [true, false, true]);
    expect(records).toEqual([
      ['id', 'name', 'city'],
      ['1', '', 'São Paulo'],
      ['2', '', 'multi\nline ☃'],
      ['3', '', '東京'],
      ['4', '', 'end'],
    ]);
    expect(lines).toEqual([1, 2, 3, 5, 6]);
  });

  it('skips columns the same way in LF-only text, wherever the chunks cut', () => {
    const lf = Buffer.from('id,note,city,zip\n1,"a\nb",Oslo,0150\n2,skip me,"x, y",\n3,,Köln,"50667"\n\n4,last,end,9', 'utf8');
    const whole = parseBytes([lf], [true, false, true, false]);
    expect(whole.records).toEqual([
      ['id', 'note', 'city', 'zip'],
      ['1', '', 'Oslo', ''],
      ['2', '', 'x, y', ''],
      ['3', '', 'Köln', ''],
      ['4', '', 'end', ''],
    ]);
    expect(whole.lines).toEqual([1, 2, 4, 5, 7]);
    for (let cut = 0; cut <= lf.length; cut++)
      expect(parseBytes([lf.subarray(0, cut), lf.subarray(cut)], [true, false, true, false])).toEqual(whole);
  });

  it('refuses invalid UTF-8 in a kept field, naming its line and field, and keeps a real U+FFFD', () => {
    const broken = Buffer.concat([Buffer.from('a,b\n'), Buffer.from([0x78, 0xc3]), Buffer.from(',y\n')]);
    expect(() => parseBytes([broken])).toThrow(
      expect.objectContaining({ line: 2, field: 0, message: expect.stringMatching(/^this row is not UTF-8 text/) }),
    );
    expect(parseBytes([Buffer.from('a,b\nx\ufffd,y\n')]).records).toEqual([
      ['a', 'b'],
      ['x\ufffd', 'y'],
    ]);
  });

  it('refuses to mix text and bytes in one parser', () => {
    const parser = new CsvChunkParser(() => undefined);
    parser.push('a,b\n');
    expect(() => parser.pushBytes(Buffer.from('1,2\n'))).toThrow(/either text \(push\) or bytes \(pushBytes\)/);
  });
});
