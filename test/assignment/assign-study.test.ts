import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignStudy } from '../../src/assignment/assign-study.js';
import { normalizeDesign } from '../../src/assignment/design.js';
import { planInitialAssignment } from '../../src/assignment/plan-assignment.js';
import { readAssignments } from '../../src/data/read-assignments.js';
import { sha256 } from '../../src/io/hash.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

const created = '2026-01-01T00:00:00.000Z';
const everyone = smallRoster(400, 2, 21);
// The first roster lacks every 7th student; some are siblings of students assigned first.
const early = everyone.filter((_, i) => i % 7 !== 3);

describe('assignStudy', () => {
  it('assigns students in memory as the plan does, writing nothing, and says what it made', async () => {
    const study = await assignStudy(early, { seed: 77, command: 'notebook', created });
    const plan = planInitialAssignment(early, normalizeDesign(), 77, { command: 'notebook', inputs: {}, created });
    expect(study.csvText).toBe(plan.csvText);
    expect(study.run).toBe('initial');
    expect(study.seed).toBe(77);
    expect(study.students).toBe(early.length);
    expect(study.assignments).toHaveLength(early.length);
    expect(Object.values(study.studentsByArm).reduce((a, b) => a + b, 0)).toBe(early.length);
    // The manifest is final: it records the hash of the file's bytes, for the file and for the run.
    expect(study.manifest.output).toEqual({ file: 'assignments.csv', sha256: sha256(study.csvText) });
    expect(study.manifest.runs[0]).toMatchObject({ command: 'notebook', created, inputs: {}, output_sha256: sha256(study.csvText) });
    expect(study.files).toBeUndefined();
  });

  it('writes a first run, then decides by itself that the next is a late run and appends to the file it verified', async () => {
    const dir = await tempDir();
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, rosterCsv(early));
    const out = join(dir, 'study');
    const first = await assignStudy(roster, {
      out,
      seed: 77,
      design: { blockBy: ['district', 'school'] },
      command: 'pilot assign ...',
      created,
    });
    expect(first.files).toEqual({
      assignments: join(out, 'assignments.csv'),
      manifest: join(out, 'assignments.manifest.json'),
      balance: join(out, 'balance.csv'),
    });
    expect(await readFile(first.files!.assignments, 'utf8')).toBe(first.csvText);
    expect(first.manifest.runs[0].inputs.roster).toEqual({ path: roster, sha256: sha256(rosterCsv(early)) });
    expect(first.design.blockBy).toEqual(['district', 'school']);

    await writeFile(roster, rosterCsv(everyone));
    const late = await assignStudy(roster, { out, created });
    expect(late.run).toBe('late-1');
    expect(late.seed).toBe(77);
    expect(late.design).toEqual(first.design);
    expect(late.students).toBe(everyone.length - early.length);
    expect(late.csvText.startsWith(first.csvText)).toBe(true);
    const written = await readFile(join(out, 'assignments.csv'), 'utf8');
    expect(written).toBe(late.csvText);
    expect(await readAssignments({ text: written }, 'assignments.csv')).toHaveLength(everyone.length);
    expect(JSON.parse(await readFile(join(out, 'assignments.manifest.json'), 'utf8'))).toEqual(late.manifest);
    expect(late.manifest.runs.map((r) => [r.assigned_at, r.command])).toEqual([
      ['initial', 'pilot assign ...'],
      ['late-1', 'assignStudy'],
    ]);
  });

  it('refuses a late run over an assignment edited since it was written, and writes nothing', async () => {
    const dir = await tempDir();
    const first = await assignStudy(early, { out: dir, seed: 5, created });
    const edited = first.csvText.replace(/,control,/, ',treatment,');
    await writeFile(join(dir, 'assignments.csv'), edited);
    await expect(assignStudy(everyone, { out: dir, created })).rejects.toThrow(
      `${join(dir, 'assignments.csv')} has changed since \`pilot assign\` wrote it`,
    );
    expect(await readFile(join(dir, 'assignments.csv'), 'utf8')).toBe(edited);
    expect(JSON.parse(await readFile(join(dir, 'assignments.manifest.json'), 'utf8'))).toEqual(first.manifest);
  });

  it('makes the same late run from an assignment in memory as from the study folder', async () => {
    const dir = await tempDir();
    const first = await assignStudy(early, { out: dir, seed: 5, created });
    const fromFolder = await assignStudy(everyone, { out: join(dir), created });
    const inMemory = await assignStudy(everyone, {
      existing: { text: first.csvText, assignments: await readAssignments({ text: first.csvText }, 'a.csv'), manifest: first.manifest },
      created,
    });
    expect(inMemory.csvText).toBe(fromFolder.csvText);
    expect(inMemory.manifest).toEqual(fromFolder.manifest);
  });

  it('writes the same bytes on one thread as on two', async () => {
    const one = await assignStudy(everyone, { seed: 3, threads: 1, created });
    const two = await assignStudy(everyone, { seed: 3, threads: 2, created });
    expect(one.csvText).toBe(two.csvText);
    expect(one.manifest).toEqual(two.manifest);
  });

  it('refuses to redo an assignment, a late run without one, a design for a late run, and bad threads, writing nothing', async () => {
    const dir = await tempDir();
    await expect(assignStudy(early, { out: dir, addLate: true })).rejects.toThrow(
      `--add-late needs an existing assignment, and ${join(dir, 'assignments.csv')} does not exist`,
    );
    expect(await readdir(dir)).toEqual([]);
    await assignStudy(early, { out: dir, seed: 1, created });
    const before = await readFile(join(dir, 'assignments.csv'), 'utf8');
    await expect(assignStudy(everyone, { out: dir, addLate: false, seed: 1 })).rejects.toThrow(
      'already exists: an assignment is never redone',
    );
    await expect(assignStudy(everyone, { out: dir, seed: 1 })).rejects.toThrow(
      'assignStudy: a late run reuses the recorded seed and design: give neither seed nor design',
    );
    await expect(assignStudy(everyone, { out: dir, design: { arms: ['a', 'b'] } })).rejects.toThrow('give neither seed nor design');
    await expect(assignStudy(everyone, { seed: 1, threads: 4 })).rejects.toThrow('assignStudy: threads must be 1 or 2, got 4');
    expect(await readFile(join(dir, 'assignments.csv'), 'utf8')).toBe(before);
  });

  it('generates a seed when none is given, and records it', async () => {
    const study = await assignStudy(early, { created });
    expect(Number.isInteger(study.seed)).toBe(true);
    expect(study.manifest.seed).toBe(study.seed);
    expect((await assignStudy(early, { seed: study.seed, created })).csvText).toBe(study.csvText);
  });
});
