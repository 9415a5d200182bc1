import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../src/analysis/analysis-result.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { AnalysisPlan } from '../../src/data/analysis-plan.js';
import { analysisPlanProblems } from '../../src/data/analysis-plan.js';
import { buildAnalysisPlan, lockAnalysisPlan } from '../../src/study/lock-analysis-plan.js';
import type { StudyFolder } from '../helpers/study-folder.js';
import { makeStudyFolder, studyFileArgs } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

const AUTUMN = { from: '2025-09-01', to: '2025-12-19' };
const readJson = async <T>(path: string) => JSON.parse(await readFile(path, 'utf8')) as T;

/** `pilot analyze` of the study by the quick Laplace method (the window is the plan's). */
function analyzeArgs(study: StudyFolder, out: string, extra: readonly string[] = []): string[] {
  return ['analyze', ...studyFileArgs(study), '--method', 'laplace', '--seed', '1', ...extra, '--out', out];
}

describe('the household effect in a locked analysis plan', () => {
  it('pilot plan --lock records it; analyze follows it, and a departure needs a reason', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir);
    const lock = ['plan', '--lock', '--from', AUTUMN.from, '--to', AUTUMN.to, '--household-effect', 'off', '--study', join(dir, 'study')];
    expect(await run(lock, memoryIo())).toBe(0);
    const plan = await readJson<AnalysisPlan>(join(dir, 'study', 'analysis-plan.json'));
    expect(plan.household_effect).toBe('off');

    expect(await run(analyzeArgs(study, join(dir, 'followed')), memoryIo())).toBe(0);
    const followed = await readJson<AnalysisResult>(join(dir, 'followed', 'analysis.json'));
    expect(followed.model.household_effect).toMatchObject({ fitted: false, option: 'off' });
    expect(followed.analysis_plan?.deviations).toEqual([]);

    const refused = memoryIo();
    expect(await run(analyzeArgs(study, join(dir, 'refused'), ['--household-effect', 'auto']), refused)).toBe(1);
    expect(refused.err.join('\n')).toContain('household_effect: the plan says off, --household-effect gave auto');

    const reason = 'siblings turned out to be common';
    expect(await run(analyzeArgs(study, join(dir, 'departed'), ['--household-effect', 'auto', '--deviate', reason]), memoryIo())).toBe(0);
    const departed = await readJson<AnalysisResult>(join(dir, 'departed', 'analysis.json'));
    expect(departed.model.household_effect?.option).toBe('auto');
    expect(departed.analysis_plan?.deviations).toEqual([
      { field: 'household_effect', option: '--household-effect', planned: 'off', used: 'auto', reason },
    ]);

    // A report that runs the fit itself follows the plan too: a departure is refused before the fit.
    const report = memoryIo();
    expect(await run(['report', ...studyFileArgs(study), '--household-effect', 'on', '--out', join(dir, 'report')], report)).toBe(1);
    expect(report.err.join('\n')).toContain('household_effect: the plan says off, --household-effect gave on');
  });

  it('a plan written before the field existed means auto', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir);
    const { household_effect: _, ...older } = buildAnalysisPlan({ window: AUTUMN }, '2025-08-20T09:00:00.000Z');
    expect(analysisPlanProblems(older)).toEqual([]);
    await lockAnalysisPlan(older as AnalysisPlan, { study: join(dir, 'study'), command: 'test', lockedAt: '2025-08-20T09:00:00.000Z' });
    expect(await run(analyzeArgs(study, join(dir, 'a')), memoryIo())).toBe(0);
    expect((await readJson<AnalysisResult>(join(dir, 'a', 'analysis.json'))).model.household_effect?.option).toBe('auto');
    const off = memoryIo();
    expect(await run(analyzeArgs(study, join(dir, 'b'), ['--household-effect', 'off']), off)).toBe(1);
    expect(off.err.join('\n')).toContain('household_effect: the plan says auto, --household-effect gave off');
  });

  it('a plan with another value is refused, naming the field', () => {
    const plan = { ...buildAnalysisPlan({ window: AUTUMN }, '2025-08-20T09:00:00.000Z'), household_effect: 'sometimes' };
    expect(analysisPlanProblems(plan)).toEqual(['household_effect must be "auto", "on" or "off" (or absent: auto) (it is "sometimes")']);
  });
});
