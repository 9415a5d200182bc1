import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAssignmentFiles } from '../../src/assignment/assignment-files.js';
import { sha256 } from '../../src/io/hash.js';
import { writeFilesAtomically } from '../../src/io/write-atomic.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('writeFilesAtomically', () => {
  it('writes a file given in parts one part after the other, owner-only by default', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a.csv');
    await writeFilesAtomically([
      { path, contents: [Buffer.from('student_id\n'), new Uint8Array([83, 49, 10]), Buffer.from('xxS2\n').subarray(2), new Uint8Array(0)] },
    ]);
    expect(await readFile(path, 'utf8')).toBe('student_id\nS1\nS2\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('leaves earlier files intact and no temporaries when a later file fails', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a.csv');
    await writeFile(path, 'before\n');
    const blocked = join(dir, 'blocked');
    await writeFile(blocked, '');
    const files = [
      { path, contents: [Buffer.from('after\n')] },
      { path: join(blocked, 'b.csv'), contents: 'x' },
    ];
    await expect(writeFilesAtomically(files)).rejects.toThrow();
    expect(await readFile(path, 'utf8')).toBe('before\n');
    expect((await readdir(dir)).sort()).toEqual(['a.csv', 'blocked']);
  });
});

describe('writeAssignmentFiles', () => {
  it('records the hash of the joined bytes when assignments.csv is given in parts', async () => {
    const text = 'student_id,household_id\nS1,H1\nS2,H1\n';
    const parts = [Buffer.from(text.slice(0, 7)), Buffer.from(text.slice(7, 30)), Buffer.from(text.slice(30))];
    const manifest = {
      tool: 'attendance-pilot' as const,
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
    };
    const [fromParts, fromText] = [await tempDir(), await tempDir()];
    const written = await writeAssignmentFiles(fromParts, parts, manifest, '');
    await writeAssignmentFiles(fromText, text, manifest, '');
    expect(written.output.sha256).toBe(sha256(text));
    expect(await readFile(join(fromParts, 'assignments.csv'), 'utf8')).toBe(text);
    expect(await readFile(join(fromParts, 'assignments.manifest.json'), 'utf8')).toBe(
      await readFile(join(fromText, 'assignments.manifest.json'), 'utf8'),
    );
  });
});
