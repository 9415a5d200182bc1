import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileExists } from '../../src/assignment/assignment-files.js';
import type { AssignmentManifest } from '../../src/assignment/manifest.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { AnalysisPlan } from '../../src/data/analysis-plan.js';
import { analysisPlanProblems } from '../../src/data/analysis-plan.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('pilot plan --lock and pilot assign --plan', () => {
  it('writes the plan, locks it with the first run, and keeps it through assign --add-late', async () => {
    const dir = await tempDir();
    const planDir = join(dir, 'plan');
    const lock = ['plan', '--lock', '--from', '2025-09-15', '--to', '2026-05-29', '--effort', 'high', '--prior-sd', '0.3'];
    const more = ['--subgroups', 'grade,school_id', '--received-at-least', '2', '--interim-looks', '2026-01-16', '--out', planDir];
    expect(await run([...lock, ...more], memoryIo())).toBe(0);
    const plan = await readJson<AnalysisPlan>(join(planDir, 'analysis-plan.json'));
    expect(analysisPlanProblems(plan)).toEqual([]);
    expect(plan).toMatchObject({
      tool: 'attendance-pilot',
      kind: 'analysis-plan',
      outcome_window: { from: '2025-09-15', to: '2026-05-29' },
      // The high-effort rule of docs/model.md, written out.
      decision_rule: { effort: 'high', threshold: 0.05, min_certainty: 0.9 },
      certainty_thresholds: [0, 0.05],
      prior: { mean: 0, sd: 0.3 },
      subgroups: ['grade', 'school_id'],
      delivered: { received_at_least: 2 },
      interim_looks: ['2026-01-16'],
    });

    const students = smallRoster(120, 2, 5);
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, rosterCsv(students.slice(0, 100)));
    const study = join(dir, 'study');
    const assigned = memoryIo();
    expect(
      await run(['assign', '--roster', roster, '--plan', join(planDir, 'analysis-plan.json'), '--seed', '4', '--out', study], assigned),
    ).toBe(0);
    expect(assigned.out.join('\n')).toContain('Locked the analysis plan with this run');
    const planBytes = await readFile(join(planDir, 'analysis-plan.json'));
    expect(await readFile(join(study, 'analysis-plan.json'))).toEqual(planBytes);
    const first = await readJson<AssignmentManifest>(join(study, 'assignments.manifest.json'));
    expect(first.analysis_plan).toMatchObject({
      file: 'analysis-plan.json',
      sha256: sha256(planBytes),
      after_run: 'initial',
      with_assignment: true,
    });
    expect(first.analysis_plan?.locked_at).toBe(first.runs[0].created);

    // Late enrollees: a new run in the chain, the plan's record unchanged.
    await writeFile(roster, rosterCsv(students));
    expect(await run(['assign', '--roster', roster, '--add-late', '--out', study], memoryIo())).toBe(0);
    const late = await readJson<AssignmentManifest>(join(study, 'assignments.manifest.json'));
    expect(late.runs.map((r) => r.assigned_at)).toEqual(['initial', 'late-1']);
    expect(late.runs[1].students_added).toBeGreaterThan(0);
    expect(late.analysis_plan).toEqual(first.analysis_plan);

    // Locked once: locking again into the study is refused, and the plan stays as it was.
    const again = memoryIo();
    expect(await run(['plan', '--lock', '--from', '2025-09-15', '--to', '2026-05-29', '--study', study], again)).toBe(1);
    expect(again.err.join('\n')).toContain('already records an analysis plan');
    expect(await readFile(join(study, 'analysis-plan.json'))).toEqual(planBytes);
  });

  it('locks after assignment into the manifest chain, after the last run', async () => {
    const dir = await tempDir();
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, rosterCsv(smallRoster(60, 1, 2)));
    const study = join(dir, 'study');
    expect(await run(['assign', '--roster', roster, '--seed', '1', '--out', study], memoryIo())).toBe(0);
    const before = await readJson<AssignmentManifest>(join(study, 'assignments.manifest.json'));
    expect(before.analysis_plan).toBeUndefined();
    const io = memoryIo();
    expect(await run(['plan', '--lock', '--from', '2025-09-15', '--to', '2026-05-29', '--study', study], io)).toBe(0);
    expect(io.out.join('\n')).toContain('Locked the analysis plan');
    const after = await readJson<AssignmentManifest>(join(study, 'assignments.manifest.json'));
    expect(after.analysis_plan).toMatchObject({ after_run: 'initial', with_assignment: false });
    expect(Date.parse(after.analysis_plan!.locked_at)).toBeGreaterThan(Date.parse(before.runs[0].created));
    // Everything else in the manifest is as it was.
    const { analysis_plan: _, manifest_sha256: _h, ...rest } = after;
    const { manifest_sha256: _b, ...was } = before;
    expect(rest).toEqual(was);
  });

  it('refuses a bad command line (exit 2) and a plan that is not one (exit 1), writing nothing', async () => {
    const dir = await tempDir();
    const noWindow = memoryIo();
    expect(await run(['plan', '--lock', '--out', dir], noWindow)).toBe(2);
    expect(noWindow.err.join('\n')).toContain('--lock needs the outcome window: --from and --to');
    const noLock = memoryIo();
    expect(await run(['plan', '--students', '100', '--districts', '1', '--effort', 'high'], noLock)).toBe(2);
    expect(noLock.err.join('\n')).toContain('--effort describe the analysis plan: they go with --lock');

    const bad = join(dir, 'bad-plan.json');
    await writeFile(bad, JSON.stringify({ tool: 'attendance-pilot', kind: 'analysis-plan', prior: { mean: 0, sd: -1 } }));
    const roster = join(dir, 'roster.csv');
    await writeFile(roster, rosterCsv(smallRoster(40, 1, 2)));
    const io = memoryIo();
    expect(await run(['assign', '--roster', roster, '--plan', bad, '--seed', '1', '--out', join(dir, 'study')], io)).toBe(1);
    expect(io.err.join('\n')).toContain('prior must be { mean, sd } with sd above 0');
    expect(await fileExists(join(dir, 'study', 'assignments.csv'))).toBe(false);
  });
});
