import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { sha256, sha256File } from '../../src/io/hash.js';
import { readCsv } from '../../src/io/read-csv.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('readCsv', () => {
  // 12,000 distinct ids (more than a column keeps shared), a few schools, accented names.
  const rows = Array.from({ length: 12_000 }, (_, i) => `S${i},Sch${i % 7},${i % 3 === 0 ? 'Zoë' : 'Ana'},"${i}, Main St"`);
  const text = `\ufeffstudent_id,school_id,name,address\n${rows.join('\r\n')}\n`;

  it('reads a file as its text reads, and gives the SHA-256 of its bytes', async () => {
    const path = join(await tempDir(), 'people.csv');
    await writeFile(path, text);
    const table = await readCsv({ path }, 'people.csv');
    expect(table).toEqual({ ...(await readCsv({ text }, 'people.csv')), sha256: await sha256File(path) });
    expect(table.columns.student_id[11_999]).toBe('S11999');
    expect(table.columns.school_id.slice(0, 8)).toEqual(['Sch0', 'Sch1', 'Sch2', 'Sch3', 'Sch4', 'Sch5', 'Sch6', 'Sch0']);
    expect(table.columns.name.slice(0, 3)).toEqual(['Zoë', 'Ana', 'Ana']);
    expect(table.lines[11_999]).toBe(12_001);
  });

  it('keeps only the columns asked for', async () => {
    const path = join(await tempDir(), 'people.csv');
    await writeFile(path, text);
    const table = await readCsv({ path }, 'people.csv', ['school_id', 'address']);
    expect(Object.keys(table.columns)).toEqual(['school_id', 'address']);
    expect(table.columns.address[5]).toBe('5, Main St');
  });

  it('hashes a gzipped file as stored, not as unzipped', async () => {
    const path = join(await tempDir(), 'people.csv.gz');
    const zipped = gzipSync(text);
    await writeFile(path, zipped);
    const table = await readCsv({ path }, 'people.csv.gz');
    expect(table.sha256).toBe(sha256(zipped));
    expect(table.rowCount).toBe(12_000);
  });

  it('gives no hash for text already in memory', async () => {
    expect((await readCsv({ text: 'a\n1\n' }, 't.csv')).sha256).toBeUndefined();
  });
});
