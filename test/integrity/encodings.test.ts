/**
 * Encodings and delimiters (issue 15, defects 9 and 10): a Latin-1 roster is refused with
 * its row instead of turning "María" into "Mar\ufffda"; UTF-16 is one clear problem, not a
 * field-count error on every row; NUL and control characters never make an id; two
 * spellings of one accented id are one id; what pilot prints never carries a terminal
 * escape; a semicolon CSV (European Excel) and Excel's `sep=` line are read; a header that
 * does not fit its rows is one problem, not one per row.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRoster } from '../../src/data/read-roster.js';
import { ValidationError } from '../../src/errors.js';
import { readCsv } from '../../src/io/read-csv.js';
import { safeForTerminal } from '../../src/io/terminal-text.js';
import { useCliForTests } from '../cli/hostile-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const HEADER = 'student_id,district_id,school_id,grade,first_name,household_id';

async function refusal(read: Promise<unknown>): Promise<ValidationError> {
  const error = await read.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

async function fileWith(bytes: Uint8Array | string, name = 'roster.csv'): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, bytes);
  return path;
}

describe('encodings', () => {
  it('refuses a Latin-1 roster, naming the row and column of the first non-UTF-8 name', async () => {
    const text = `${HEADER}\nS1,D,A,3,Ana,H1\nS2,D,A,3,María,H2\n`;
    const path = await fileWith(Buffer.from(text, 'latin1'));
    const error = await refusal(readRoster({ path }, 'roster.csv'));
    expect(error.issues).toEqual([
      {
        file: 'roster.csv',
        row: 3,
        column: 'first_name',
        message:
          'this row is not UTF-8 text (the file seems to be Latin-1 or Windows-1252): save the file as UTF-8 (in Excel: "CSV UTF-8")',
      },
    ]);
    // The same roster saved as UTF-8 reads, with the name whole.
    const roster = await readRoster({ path: await fileWith(text) }, 'roster.csv');
    expect(roster.students[1].first_name).toBe('María');
  });

  it('refuses UTF-16 (with or without a byte-order mark) as one problem of the file', async () => {
    const text = `${HEADER}\n${Array.from({ length: 50 }, (_, i) => `S${i},D,A,3,Ana,H${i}`).join('\n')}\n`;
    const withBom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const withBomError = await refusal(readRoster({ path: await fileWith(withBom) }, 'roster.csv'));
    expect(withBomError.issues).toEqual([
      {
        file: 'roster.csv',
        row: 1,
        message: 'the file is UTF-16 text (it starts with a UTF-16 byte-order mark): save it as UTF-8 (in Excel: "CSV UTF-8")',
      },
    ]);
    const bare = await refusal(readRoster({ path: await fileWith(Buffer.from(text, 'utf16le')) }, 'roster.csv'));
    expect(bare.issues).toEqual([
      {
        file: 'roster.csv',
        row: 1,
        message: 'a NUL character: the file is UTF-16 text or not text at all; save it as UTF-8 CSV (in Excel: "CSV UTF-8")',
      },
    ]);
  });

  it('refuses a NUL byte in an id or a name, naming its row', async () => {
    const nul = await refusal(readRoster({ text: `${HEADER}\nS1,D,A,3,Ana,H1\nS\u00002,D,A,3,Bo,H2\n` }, 'roster.csv'));
    expect(nul.issues).toEqual([
      {
        file: 'roster.csv',
        row: 3,
        message: 'a NUL character: the file is UTF-16 text or not text at all; save it as UTF-8 CSV (in Excel: "CSV UTF-8")',
      },
    ]);
    const inName = await refusal(readRoster({ text: `${HEADER}\nS1,D,A,3,A\u0000na,H1\n` }, 'roster.csv'));
    expect(inName.issues.map((i) => i.row)).toEqual([2]);
  });

  it('refuses control characters in student and household ids, and says which', async () => {
    const error = await refusal(
      readRoster(
        { text: `${HEADER}\nS1,D,A,3,Ana,H1\n"S\u001b[2J",D,A,3,Bo,H2\nS3,D,A,3,Cy,"H\u00073"\nS4,D,A,3,Di,"H\u202e4"\n` },
        'roster.csv',
      ),
    );
    expect(error.issues).toEqual([
      {
        file: 'roster.csv',
        row: 3,
        column: 'student_id',
        message: 'student_id holds the control character U+001B: an id must be printable text (is the file damaged, or not UTF-8 text?)',
      },
      {
        file: 'roster.csv',
        row: 4,
        column: 'household_id',
        message: 'household_id holds the control character U+0007: an id must be printable text (is the file damaged, or not UTF-8 text?)',
      },
      {
        file: 'roster.csv',
        row: 5,
        column: 'household_id',
        message: 'household_id holds the control character U+202E: an id must be printable text (is the file damaged, or not UTF-8 text?)',
      },
    ]);
  });

  it('reads ids in composed form, so two spellings of one accented id collide as a duplicate', async () => {
    const composed = 'Jos\u00e9';
    const decomposed = 'Jose\u0301';
    expect(composed).not.toBe(decomposed);
    const path = await fileWith(`${HEADER}\n${composed},D,A,3,Ana,H1\n${decomposed},D,A,3,Bo,H2\n`);
    const error = await refusal(readRoster({ path }, 'roster.csv'));
    expect(error.issues).toEqual([
      { file: 'roster.csv', row: 3, column: 'student_id', message: `duplicate student_id "${composed}" (first on row 2)` },
    ]);
    const one = await readRoster({ path: await fileWith(`${HEADER}\n${decomposed},D,A,3,Ana,H1\n`) }, 'roster.csv');
    expect(one.students[0].student_id).toBe(composed);
  });

  it('never prints a terminal escape: echoed values show them as \\u escapes', () => {
    expect(safeForTerminal('unknown grade "\u001b[31m3\u001b[0m"\n\tnext\r\u009b')).toBe(
      'unknown grade "\\u001B[31m3\\u001B[0m"\n\tnext\\u000D\\u009B',
    );
  });
});

describe('pilot prints no terminal escapes', () => {
  const cli = useCliForTests();

  it('a grade holding ESC codes is echoed in the refusal as text', async () => {
    const roster = await fileWith(`${HEADER}\nS1,D,A,"\u001b]0;owned\u0007\u001b[2J3",Ana,H1\n`);
    const out = join(await tempDir(), 'study');
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, [cli(), 'assign', '--roster', roster, '--out', out, '--seed', '1'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let text = '';
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('error', fail);
      child.on('close', (exit) => done({ code: exit, stderr: text }));
    });
    expect(code).toBe(1);
    expect(stderr).toContain('unknown grade "\\u001B]0;owned\\u0007\\u001B[2J3"');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('delimiters', () => {
  it("reads a semicolon CSV as European Excel saves it, and Excel's sep= first line", async () => {
    const semicolons = await readCsv({ text: 'student_id;first_name;note\nS1;Ana;"a;b"\nS2;Bo;1,5\n' }, 'r.csv');
    expect(semicolons.header).toEqual(['student_id', 'first_name', 'note']);
    expect(semicolons.columns.note).toEqual(['a;b', '1,5']);
    const sep = await readCsv({ text: '\ufeffsep=;\r\nstudent_id;first_name\r\nS1;Ana\r\n' }, 'r.csv');
    expect(sep.header).toEqual(['student_id', 'first_name']);
    expect(sep.columns.first_name).toEqual(['Ana']);
    // Rows keep their lines in the file: the sep= line is line 1, the header line 2.
    expect(sep.lines).toEqual([3]);
    const comma = await readCsv({ text: 'sep=,\nstudent_id,first_name\nS1,Ana\n' }, 'r.csv');
    expect(comma.columns.first_name).toEqual(['Ana']);
  });

  it('says a header that does not fit its rows once, not once per row', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `S${i},D,A,3`).join('\n');
    const error = await refusal(readCsv({ text: `student_id,district_id,school_id,grade,first_name\n${rows}\n` }, 'r.csv'));
    expect(error.issues).toEqual([
      {
        file: 'r.csv',
        row: 2,
        column: 'first_name',
        message:
          "1000 of 1000 rows have a different number of fields from the header's 5 (this one, the first, has 4): the header does not fit the rows (a different delimiter, or a header line missing or added)",
      },
    ]);
    expect(error.message.split('\n')).toHaveLength(2);
    // A few ragged rows among good ones are still named one by one.
    const few = await refusal(readCsv({ text: `a,b\n1,2\n3\n4,5\n6,7,8\n` }, 'r.csv'));
    expect(few.issues.map((i) => [i.row, i.message])).toEqual([
      [3, 'expected 2 fields as in the header, found 1'],
      [5, 'expected 2 fields as in the header, found 3'],
    ]);
  });
});
