import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/io/read-csv.js';
import { readCsvInParallel } from '../../src/io/read-csv-in-parallel.js';
import { formatCsv } from '../../src/io/write-csv.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

// Under vitest the worker's runs are parsed in this thread (there is no compiled worker), by
// the same code the worker runs; the cuts, the join and the fallbacks are what is tested.
const split = { minSplitBytes: 0 };
// Runs of about 300 bytes: a small file is cut into many, taken by both loops in turn.
const manyRuns = { minSplitBytes: 0, runBytes: 300 };

async function csvFile(text: string | Buffer, name = 'roster.csv'): Promise<string> {
  const path = join(await tempDir(), name);
  await writeFile(path, text);
  return path;
}

/** readCsvInParallel's table and hash, checked against readCsv's; undefined when it declined to split. */
async function expectSameAsReadCsv(
  path: string,
  keep?: readonly string[],
  options: { minSplitBytes: number; runBytes?: number } = split,
): Promise<boolean> {
  const parallel = await readCsvInParallel(path, 'roster.csv', keep, options);
  if (parallel === undefined) return false;
  const { sha256, ...table } = await readCsv({ path }, 'roster.csv', keep);
  expect(parallel.table).toEqual(table);
  expect(await parallel.sha256).toBe(sha256);
  return true;
}

describe('readCsvInParallel', () => {
  it('reads a roster into the table and hash readCsv gives, all columns or some', async () => {
    const path = await csvFile(rosterCsv(smallRoster(500, 2, 3)));
    expect(await expectSameAsReadCsv(path)).toBe(true);
    expect(await expectSameAsReadCsv(path, ['student_id', 'grade', 'household_id', 'baseline_days'])).toBe(true);
    expect(await expectSameAsReadCsv(path, ['student_id', 'grade', 'household_id', 'baseline_days'], manyRuns)).toBe(true);
  });

  it('reads a column of more distinct values than a dictionary holds, in one run and over many', async () => {
    // 60,000 distinct ids (about 15 bytes a row): a run of 256 KB overflows the 10,000-entry
    // dictionary and keeps the column as values, and the same loop's later runs keep it as
    // values from the start; runs of 64 KB stay under the limit, each with its own dictionary.
    const rows = Array.from({ length: 60_000 }, (_, i) => `S${String(i).padStart(6, '0')},D${i % 3},${i % 13 === 0 ? '' : `H${i >> 1}`}`);
    const path = await csvFile(`student_id,district_id,household_id\n${rows.join('\n')}\n`);
    expect(await expectSameAsReadCsv(path)).toBe(true);
    expect(await expectSameAsReadCsv(path, undefined, { minSplitBytes: 0, runBytes: 256 * 1024 })).toBe(true);
    expect(await expectSameAsReadCsv(path, ['household_id', 'student_id'], { minSplitBytes: 0, runBytes: 64 * 1024 })).toBe(true);
  });

  it('keeps line numbers with CRLF line ends, a byte-order mark, blank lines and quoted cells', async () => {
    const rows = Array.from(
      { length: 400 },
      (_, i) => `S${i},"a, ""b""",${i % 7 === 0 ? "'=x" : ' padded '}\r\n${i % 50 === 0 ? '\r\n' : ''}`,
    );
    const path = await csvFile(Buffer.from(`\ufeffstudent_id,note,other\r\n${rows.join('')}`, 'utf8'));
    expect(await expectSameAsReadCsv(path)).toBe(true);
    expect(await expectSameAsReadCsv(path, undefined, manyRuns)).toBe(true);
    // With line breaks in quoted cells the split may fall inside one: then it declines.
    const broken = await csvFile(`student_id,note,other\r\n${rows.map((row) => row.replace('a, ', 'a\r\n')).join('')}`);
    if (await readCsvInParallel(broken, 'roster.csv', undefined, split)) expect(await expectSameAsReadCsv(broken)).toBe(true);
  });

  it('declines a file split inside a quoted field, so readCsv reads it', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const path = await csvFile(`id,note\nS1,"${lines}"\nS2,short\n`);
    expect(await readCsvInParallel(path, 'roster.csv', undefined, split)).toBeUndefined();
  });

  it('declines what readCsv would report: a ragged row, a bad header, a quoted header, a missing file', async () => {
    const body = Array.from({ length: 300 }, (_, i) => `S${i},D1`).join('\n');
    expect(await readCsvInParallel(await csvFile(`id,district\n${body}\nS9,D1,extra\n`), 'r.csv', undefined, split)).toBeUndefined();
    expect(await readCsvInParallel(await csvFile(`id,id\n${body}\n`), 'r.csv', undefined, split)).toBeUndefined();
    expect(await readCsvInParallel(await csvFile(`"id",district\n${body}\n`), 'r.csv', undefined, split)).toBeUndefined();
    expect(await readCsvInParallel(join(await tempDir(), 'missing.csv'), 'r.csv', undefined, split)).toBeUndefined();
    expect(await readCsvInParallel(await csvFile(`id,district\n${body}\n`), 'r.csv')).toBeUndefined(); // small: one thread
  });

  it("gives readCsv's table for any text, wherever the split falls", async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', '東', '😀', ',', '"', '\n', '\r', '=', "'", ' ', '\ufeff'), maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 60 }), async (rows) => {
        const path = await csvFile(formatCsv(['a', 'b', 'c'], rows));
        await expectSameAsReadCsv(path);
        await expectSameAsReadCsv(path, ['c', 'a']);
        await expectSameAsReadCsv(path, ['c', 'a'], manyRuns);
      }),
      { numRuns: 150 },
    );
  });
});
