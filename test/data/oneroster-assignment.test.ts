import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readRosterSource, sha256RosterSource } from '../../src/data/read-roster-source.js';
import { readModelTableFromStudy } from '../../src/study/read-study-data.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

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
    // The hash a manifest records comes with the roster, whichever its form.
    for (const [read, path] of [csv, ...bundles].map((r, i) => [r, Object.values(SOURCES)[i]] as const)) {
      if (read.sha256 !== undefined) expect(read.sha256).toBe(await sha256RosterSource(path));
    }
    expect(bundles.every((b) => b.sha256 !== undefined)).toBe(true);
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
    for (const [, household, , , , , arm] of rows.slice(1).map((row) => row.split(',')))
      armsOfHousehold.set(household, (armsOfHousehold.get(household) ?? new Set()).add(arm));
    expect(new Set([...armsOfHousehold.values()].flatMap((arms) => [...arms]))).toEqual(new Set(['control', 'treatment']));
    expect([...armsOfHousehold.values()].every((arms) => arms.size === 1)).toBe(true);
    expect(armsOfHousehold.size).toBeLessThan(150);
    for (const name of Object.keys(SOURCES)) expect(written[name], name).toBe(written.csv);
  });

  it('run assign, simulate attendance, messages and the model table end to end from a OneRoster zip, with the same messages as the CSV roster', async () => {
    const dir = await tempDir();
    const lists: Record<string, string> = {};
    const tables: Record<string, unknown[]> = {};
    for (const [name, roster] of [
      ['csv', SOURCES.csv],
      ['zip', SOURCES['oneroster-1.2 zip']],
    ] as const) {
      const folder = join(dir, name);
      const steps = [
        ['assign', '--roster', roster, '--out', join(folder, 'study'), '--seed', '11'],
        [
          'simulate',
          'attendance',
          '--roster',
          roster,
          '--assignments',
          join(folder, 'study', 'assignments.csv'),
          '--out',
          folder,
          '--effect',
          '0.03',
          '--seed',
          '12',
        ],
        [
          'messages',
          '--roster',
          roster,
          '--assignments',
          join(folder, 'study', 'assignments.csv'),
          '--attendance',
          join(folder, 'attendance.csv'),
          '--calendar',
          join(folder, 'calendar.csv'),
          '--settings',
          join(FIXTURES, 'settings.json'),
          '--as-of',
          '2025-10-10',
          '--kind',
          'initial',
          '--out',
          join(folder, 'messages.csv'),
        ],
      ];
      for (const step of steps) {
        const io = memoryIo();
        expect(await run(step, io), `${step[0]}: ${io.err.join('\n')}`).toBe(0);
      }
      lists[name] = await readFile(join(folder, 'messages.csv'), 'utf8');
      // analyze and report build their model table through the same study reader.
      const study = {
        roster,
        assignments: join(folder, 'study', 'assignments.csv'),
        attendance: join(folder, 'attendance.csv'),
        calendar: join(folder, 'calendar.csv'),
      };
      const { table, data } = await readModelTableFromStudy(study, { from: '2025-08-18', to: '2026-05-29' });
      tables[name] = table;
      expect(data.inputs.roster).toBe(await sha256RosterSource(roster));
    }
    const messages = lists.zip.trim().split('\n');
    expect(messages.length).toBeGreaterThan(30);
    expect(lists.zip).toBe(lists.csv);
    expect(tables.zip).toHaveLength(150);
    expect(tables.zip).toEqual(tables.csv);
  });
});
