import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readRosterSource, sha256RosterSource } from '../../src/data/read-roster-source.js';
import { tempDir } from '../helpers/temp-dir.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const SOURCES = {
  csv: join(FIXTURES, 'oneroster-source', 'roster.csv'),
  'oneroster-1.1': join(FIXTURES, 'oneroster-1.1'),
  'oneroster-1.2': join(FIXTURES, 'oneroster-1.2'),
  'oneroster-1.2 zip': join(FIXTURES, 'oneroster-zip', 'oneroster-1.2.zip'),
};

describe('OneRoster fixtures', () => {
  it('hold the same 150 students as the CSV roster beside them', async () => {
    const [csv, ...bundles] = await Promise.all(Object.values(SOURCES).map((path) => readRosterSource(path)));
    expect(csv.students).toHaveLength(150);
    for (const bundle of bundles) expect(bundle.students).toEqual(csv.students);
  });

  it('give the same assignment as the CSV roster with the same seed, through `pilot assign`', async () => {
    const dir = await tempDir();
    const written: Record<string, string> = {};
    for (const [name, path] of Object.entries(SOURCES)) {
      const out = join(dir, name.replace(/\W+/g, '-'));
      const io = memoryIo();
      expect(await run(['assign', '--roster', path, '--out', out, '--seed', '20250815'], io), io.err.join('\n')).toBe(0);
      written[name] = await readFile(join(out, 'assignments.csv'), 'utf8');
      const manifest = JSON.parse(await readFile(join(out, 'assignments.manifest.json'), 'utf8'));
      expect(manifest.runs[0].inputs.roster.sha256).toBe(await sha256RosterSource(path));
    }
    const rows = written.csv.trim().split('\n');
    expect(rows).toHaveLength(151);
    // Both arms are used and siblings share one: the households came through the bundle.
    const armsOfHousehold = new Map<string, Set<string>>();
    for (const [, household, , , , , arm] of rows.slice(1).map((row) => row.split(','))) armsOfHousehold.set(household, (armsOfHousehold.get(household) ?? new Set()).add(arm));
    expect(new Set([...armsOfHousehold.values()].flatMap((arms) => [...arms]))).toEqual(new Set(['control', 'treatment']));
    expect([...armsOfHousehold.values()].every((arms) => arms.size === 1)).toBe(true);
    expect(armsOfHousehold.size).toBeLessThan(150);
    for (const name of Object.keys(SOURCES)) expect(written[name], name).toBe(written.csv);
  });
});
