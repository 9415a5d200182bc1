import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/analysis-result.js';
import { fileExists } from '../../src/assignment/assignment-files.js';
import type { AssignmentManifest } from '../../src/assignment/manifest.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { buildAnalysisPlan, lockAnalysisPlan } from '../../src/study/lock-analysis-plan.js';
import type { StudyFolder } from '../helpers/study-folder.js';
import { makeStudyFolder, studyFileArgs } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

const AUTUMN = { from: '2025-09-01', to: '2025-12-19' };

/** `pilot analyze` of the study by the quick Laplace method, seed 1, into `out`: no window unless given. */
function analyzeArgs(study: StudyFolder, out: string, extra: readonly string[] = []): string[] {
  return ['analyze', ...studyFileArgs(study), '--method', 'laplace', '--seed', '1', ...extra, '--out', out];
}

async function lockedStudy(lockedAt: string) {
  const dir = await tempDir();
  const study = await makeStudyFolder(dir);
  const plan = buildAnalysisPlan({ window: AUTUMN, effort: 'high' }, lockedAt);
  await lockAnalysisPlan(plan, { study: join(dir, 'study'), command: 'test', lockedAt });
  return { dir, study };
}

const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;

describe('a locked analysis plan', () => {
  it('is recorded in the manifest, after the initial run, with its SHA-256 and the lock time', async () => {
    const { dir } = await lockedStudy('2025-08-20T09:00:00.000Z');
    const manifest = await readJson<AssignmentManifest>(join(dir, 'study', 'assignments.manifest.json'));
    const planText = await readFile(join(dir, 'study', 'analysis-plan.json'));
    const { createHash } = await import('node:crypto');
    expect(manifest.analysis_plan).toEqual({
      file: 'analysis-plan.json',
      sha256: createHash('sha256').update(planText).digest('hex'),
      locked_at: '2025-08-20T09:00:00.000Z',
      command: 'test',
      after_run: 'initial',
      with_assignment: false,
    });
    // Locked once: a second lock is refused, and the first stays as it was.
    const again = buildAnalysisPlan({ window: AUTUMN }, '2025-08-21T09:00:00.000Z');
    await expect(lockAnalysisPlan(again, { study: join(dir, 'study') })).rejects.toThrow(
      /already records an analysis plan, locked 2025-08-20T09:00:00.000Z/,
    );
    expect(await readFile(join(dir, 'study', 'analysis-plan.json'))).toEqual(planText);
  });

  it('gives analyze its window and rule; an option that departs is refused, then accepted with --deviate and recorded', async () => {
    const { dir, study } = await lockedStudy('2025-08-20T09:00:00.000Z');
    const followed = await readJson<AnalysisResult>(join(dir, 'a', 'analysis.json')).catch(() => undefined);
    expect(followed).toBeUndefined();
    expect(await run(analyzeArgs(study, join(dir, 'a')), memoryIo())).toBe(0);
    const result = await readJson<AnalysisResult>(join(dir, 'a', 'analysis.json'));
    expect(result.window).toEqual(AUTUMN);
    expect(result.decision.effort).toBe('high');
    expect(result.analysis_plan).toMatchObject({
      file: join(dir, 'study', 'analysis-plan.json'),
      locked_at: '2025-08-20T09:00:00.000Z',
      with_assignment: false,
      window_from: '2025-09-01',
      locked_before_window: true,
      deviations: [],
    });

    const refused = memoryIo();
    expect(await run(analyzeArgs(study, join(dir, 'b'), ['--effort', 'low', '--to', '2025-11-28', '--from', '2025-09-01']), refused)).toBe(
      1,
    );
    expect(refused.err.join('\n')).toContain(
      'outcome_window: the plan says 2025-09-01 to 2025-12-19, --from/--to gave 2025-09-01 to 2025-11-28; decision_rule.effort: the plan says high, --effort gave low',
    );
    expect(await fileExists(join(dir, 'b', 'analysis.json'))).toBe(false);

    const reason = 'the district asked for the low-effort rule';
    expect(await run(analyzeArgs(study, join(dir, 'c'), ['--effort', 'low', '--deviate', reason]), memoryIo())).toBe(0);
    const deviated = await readJson<AnalysisResult>(join(dir, 'c', 'analysis.json'));
    expect(deviated.decision.effort).toBe('low');
    expect(deviated.window).toEqual(AUTUMN);
    expect(deviated.analysis_plan?.deviations).toEqual([
      { field: 'decision_rule.effort', option: '--effort', planned: 'high', used: 'low', reason },
    ]);

    // Two departures: one reason each, in the plan's field order; two reasons for one departure are refused.
    const two = [
      '--from',
      '2025-09-01',
      '--to',
      '2025-11-28',
      '--prior-sd',
      '1',
      '--deviate',
      'the attendance feed stopped in December',
      '--deviate',
      'a wider prior, asked for by the reviewers',
    ];
    expect(await run(analyzeArgs(study, join(dir, 'd'), two), memoryIo())).toBe(0);
    expect(
      (await readJson<AnalysisResult>(join(dir, 'd', 'analysis.json'))).analysis_plan?.deviations.map((d) => [d.field, d.used, d.reason]),
    ).toEqual([
      ['outcome_window', { from: '2025-09-01', to: '2025-11-28' }, 'the attendance feed stopped in December'],
      ['prior.sd', 1, 'a wider prior, asked for by the reviewers'],
    ]);
    const mismatched = memoryIo();
    expect(await run(analyzeArgs(study, join(dir, 'e'), ['--prior-sd', '1', '--deviate', 'one', '--deviate', 'two']), mismatched)).toBe(1);
    expect(mismatched.err.join('\n')).toContain('2 reasons (--deviate) for 1 departures from the plan');
  });

  it('is refused when edited after it was locked', async () => {
    const { dir, study } = await lockedStudy('2025-08-20T09:00:00.000Z');
    const path = join(dir, 'study', 'analysis-plan.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"effort": "high"', '"effort": "low"'));
    const io = memoryIo();
    expect(await run(analyzeArgs(study, join(dir, 'a')), io)).toBe(1);
    expect(io.err.join('\n')).toMatch(
      /analysis-plan\.json is not the analysis plan locked for .*assignments\.csv: its SHA-256 is [0-9a-f]{12}\.\.\., the manifest recorded/,
    );
    expect(await fileExists(join(dir, 'a', 'analysis.json'))).toBe(false);
  });

  it('says whether it was locked before the outcome window began', async () => {
    const { dir, study } = await lockedStudy('2025-09-01T07:30:00.000Z');
    expect(await run(analyzeArgs(study, join(dir, 'a')), memoryIo())).toBe(0);
    const plan = (await readJson<AnalysisResult>(join(dir, 'a', 'analysis.json'))).analysis_plan;
    // Locked on the window's first day: not before it.
    expect(plan).toMatchObject({ window_from: '2025-09-01', locked_before_window: false });
  });
});
