/**
 * The manifest is protected (issue 15, defect 1): editing only `design.control_arm` in
 * assignments.manifest.json (the CSV's hash still matching) made `pilot messages` message
 * the control arm and flipped the sign of the effect in `analyze`; `control_arm: "nobody"`
 * messaged everyone; `arms: []`, `runs: []` or a missing seed were accepted. Every field is
 * now checked for its type and meaning, the whole manifest against its content hash, and
 * its counts per block and arm against the file; each edit is refused saying what is wrong.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVerifiedAssignments } from '../../src/assignment/assignment-files.js';
import { canonicalJson, formatManifest, manifestContentHash, manifestProblems } from '../../src/assignment/manifest.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { analyzeArgv, makeStudyFolder, messagesArgv, writeMessageSettings } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

async function studyWithSettings() {
  const dir = await tempDir();
  const study = await makeStudyFolder(dir, { students: 60 });
  const settings = await writeMessageSettings(dir);
  const manifestPath = join(dir, 'study', 'assignments.manifest.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  const messages = messagesArgv(study, settings, join(dir, 'sends', 'messages.csv'));
  const analyze = analyzeArgv(study, join(dir, 'results'));
  return { dir, study, manifestPath, manifest, messages, analyze };
}

async function pilot(argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, stderr: io.err.join('\n') };
}

describe('an edited manifest', () => {
  it('refuses a control arm swapped for the treatment arm in messages and analyze, writing nothing', async () => {
    const { dir, manifestPath, manifest, messages, analyze } = await studyWithSettings();
    expect(manifest.design.control_arm).toBe('control');
    await writeFile(manifestPath, JSON.stringify({ ...manifest, design: { ...manifest.design, control_arm: 'treatment' } }, null, 2));
    for (const argv of [messages, analyze]) {
      const refused = await pilot(argv);
      expect(refused.stderr).toBe(
        `pilot: ${join(dir, 'study', 'assignments.csv')}: its manifest ${manifestPath} has been changed or damaged: its content has changed since it was written: manifest_sha256 no longer matches the fields. Restore the manifest \`pilot assign\` wrote`,
      );
      expect(refused.code).toBe(1);
    }
    expect(existsSync(join(dir, 'sends'))).toBe(false);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('names every field whose type or meaning is wrong', async () => {
    const { manifest } = await studyWithSettings();
    const edits: [object, string][] = [
      [
        { design: { ...manifest.design, control_arm: 'nobody' } },
        'design.control_arm must be one of the arms (control, treatment) (it is "nobody")',
      ],
      [{ design: { ...manifest.design, arms: [] } }, 'design.arms must name two or more distinct arms (it is [])'],
      [{ runs: [] }, 'runs must list the runs that wrote the assignment, the initial one first (it is [])'],
      [{ seed: undefined }, 'seed must be a whole number (it is missing)'],
      [
        { design: { ...manifest.design, probabilities: [0.5, 0.6] } },
        'design.probabilities must be one probability in (0, 1) per arm (2), summing to 1 (it is [0.5,0.6])',
      ],
      [{ output: { ...manifest.output, sha256: 'x' } }, 'output must be { file: "assignments.csv", sha256: 64 hex digits }'],
    ];
    for (const [edit, says] of edits) {
      // Sealed again, as someone who knew the scheme would: the field checks still refuse.
      const edited = JSON.parse(formatManifest({ ...manifest, ...edit }));
      expect(manifestProblems(edited).join('\n')).toContain(says);
    }
    expect(manifestProblems(manifest)).toEqual([]);
  });

  it('refuses counts per block and arm that differ from the file, even when sealed again', async () => {
    const { study, manifestPath, manifest } = await studyWithSettings();
    const counts = manifest.runs[0].counts.map((c: { block: string; arm: string; students: number }, i: number) =>
      i === 0 ? { ...c, students: c.students + 1 } : i === 1 ? { ...c, students: c.students - 1 } : c,
    );
    await writeFile(manifestPath, formatManifest({ ...manifest, runs: [{ ...manifest.runs[0], counts }] }));
    const [first, second] = manifest.runs[0].counts;
    await expect(readVerifiedAssignments(study.assignments)).rejects.toThrow(
      `${study.assignments} and its manifest disagree: students per block and arm differ: block "${first.block}" arm "${first.arm}" (the file has 1 fewer); block "${second.block}" arm "${second.arm}" (the file has 1 more). Restore the files \`pilot assign\` wrote`,
    );
  });

  it('the hash is over canonical content: key order and spacing do not matter, any value does', async () => {
    const { manifestPath, manifest, study } = await studyWithSettings();
    expect(canonicalJson({ b: 1, a: [1, { d: null, c: 'x' }] })).toBe('{"a":[1,{"c":"x","d":null}],"b":1}');
    // Re-indented with its keys reversed, the manifest still verifies.
    const reversed = Object.fromEntries(Object.entries(manifest).reverse());
    await writeFile(manifestPath, JSON.stringify(reversed));
    expect((await readVerifiedAssignments(study.assignments)).manifest.seed).toBe(manifest.seed);
    expect(manifestContentHash({ ...manifest, seed: manifest.seed + 1 })).not.toBe(manifest.manifest_sha256);
  });

  it('a late run and a simulation record seal the manifest again; an edited one is never sealed', async () => {
    const { dir, study, manifestPath, manifest } = await studyWithSettings();
    const roster = await readFile(study.roster, 'utf8');
    const last = roster.trimEnd().split('\n').at(-1)!;
    const late = join(dir, 'roster-late.csv');
    await writeFile(late, `${roster}${last.replace(/^[^,]+/, 'S99999').replace(/,H\d+,/, ',H99999,')}\n`);
    expect((await pilot(['assign', '--roster', late, '--out', join(dir, 'study'), '--add-late'])).code).toBe(0);
    const afterLate = JSON.parse(await readFile(manifestPath, 'utf8'));
    expect(afterLate.runs.map((r: { assigned_at: string }) => r.assigned_at)).toEqual(['initial', 'late-1']);
    expect(manifestProblems(afterLate)).toEqual([]);

    const sim = join(dir, 'sim');
    expect(
      (await pilot(['simulate', 'attendance', '--roster', late, '--assignments', study.assignments, '--out', sim, '--seed', '4'])).code,
    ).toBe(0);
    const afterSimulation = JSON.parse(await readFile(manifestPath, 'utf8'));
    const firstAttendance = await readFile(join(sim, 'attendance.csv'), 'utf8');
    expect(afterSimulation.simulated_outcomes).toHaveLength(1);
    expect(manifestProblems(afterSimulation)).toEqual([]);

    // An edited manifest is refused by the simulation too, not sealed with the edit inside.
    const edited = JSON.stringify({ ...afterSimulation, design: { ...manifest.design, control_arm: 'treatment' } });
    await writeFile(manifestPath, edited);
    const refused = await pilot([
      'simulate',
      'attendance',
      '--roster',
      late,
      '--assignments',
      study.assignments,
      '--out',
      sim,
      '--seed',
      '5',
      '--force',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('manifest_sha256 no longer matches the fields');
    expect(await readFile(manifestPath, 'utf8')).toBe(edited);
    // Refused before anything was written: the first simulation's files are as they were.
    expect(await readFile(join(sim, 'attendance.csv'), 'utf8')).toBe(firstAttendance);
  });
});
