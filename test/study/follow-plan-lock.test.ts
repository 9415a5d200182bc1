import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { ReportData } from '../../src/report/report-data.js';
import type { StudyPlan } from '../../src/study/follow-analysis-plan.js';
import { followAnalysisPlan, lockedBefore, PLAN_FIELDS } from '../../src/study/follow-analysis-plan.js';
import { buildAnalysisPlan, lockAnalysisPlan } from '../../src/study/lock-analysis-plan.js';
import { makeStudyFolder, studyFileArgs } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

const AUTUMN = { from: '2025-09-01', to: '2025-12-19' };

/** A plan as the manifest recorded it, without files: what followAnalysisPlan is given. */
function studyPlan(lockedAt = '2025-08-20T09:00:00.000Z'): StudyPlan {
  const plan = buildAnalysisPlan({ window: AUTUMN, subgroups: ['grade'], receivedAtLeast: 2, thresholds: [0, 0.03] }, lockedAt);
  const locked = {
    file: 'analysis-plan.json',
    sha256: 'a'.repeat(64),
    locked_at: lockedAt,
    command: 'test',
    after_run: 'initial',
    with_assignment: false,
  } as const;
  return { plan, file: 'study/analysis-plan.json', locked };
}

describe('followAnalysisPlan', () => {
  it('takes every choice not given from the plan, through the table of plan fields', () => {
    const { choices, record } = followAnalysisPlan(studyPlan(), {});
    expect(choices).toEqual({
      window: AUTUMN,
      effort: 'low',
      thresholds: [0, 0.03],
      priorMean: 0,
      priorSd: 0.5,
      subgroups: ['grade'],
      receivedAtLeast: 2,
      householdEffect: 'auto',
    });
    expect(PLAN_FIELDS.map((f) => f.key).sort()).toEqual(Object.keys(choices).sort());
    expect(record).toMatchObject({ window_from: '2025-09-01', locked_before_window: true, deviations: [] });
  });

  it('treats a choice given with the plan value as following it, and names each departure (subgroups, received_at_least too)', () => {
    expect(followAnalysisPlan(studyPlan(), { effort: 'low', thresholds: [0, 0.03], subgroups: ['grade'] }).record.deviations).toEqual([]);
    const given = { subgroups: ['grade', 'language'], receivedAtLeast: 1 };
    expect(() => followAnalysisPlan(studyPlan(), given)).toThrow(
      'subgroups: the plan says grade, --subgroups gave grade,language; delivered.received_at_least: the plan says 2, --received-at-least gave 1',
    );
    const { choices, record } = followAnalysisPlan(studyPlan(), given, ['exploratory: language added', 'one message is enough']);
    expect(choices).toMatchObject(given);
    expect(record.deviations.map((d) => [d.field, d.reason])).toEqual([
      ['subgroups', 'exploratory: language added'],
      ['delivered.received_at_least', 'one message is enough'],
    ]);
    expect(() => followAnalysisPlan(studyPlan(), {}, ['no reason needed'])).toThrow(
      '--deviate was given, but nothing departs from the plan',
    );
  });

  it('counts a lock as before the window only on an earlier day (UTC)', () => {
    expect(lockedBefore('2025-08-31T23:59:59Z', '2025-09-01')).toBe(true);
    expect(lockedBefore('2025-09-01T00:00:00Z', '2025-09-01')).toBe(false);
    expect(lockedBefore('2025-08-31T20:00:00-05:00', '2025-09-01')).toBe(false);
  });
});

describe('a locked plan on disk', () => {
  it('refuses a manifest whose record of the plan was edited to match an edited plan', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir);
    await lockAnalysisPlan(buildAnalysisPlan({ window: AUTUMN, effort: 'high' }, '2025-08-20T09:00:00.000Z'), {
      study: join(dir, 'study'),
      lockedAt: '2025-08-20T09:00:00.000Z',
    });
    const planPath = join(dir, 'study', 'analysis-plan.json');
    const edited = (await readFile(planPath, 'utf8')).replace('"effort": "high"', '"effort": "low"');
    await writeFile(planPath, edited);
    const manifestPath = join(dir, 'study', 'assignments.manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    const { createHash } = await import('node:crypto');
    manifest.analysis_plan.sha256 = createHash('sha256').update(edited).digest('hex');
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    const io = memoryIo();
    const files = ['--roster', study.roster, '--assignments', study.assignments, '--attendance', study.attendance];
    expect(await run(['analyze', ...files, '--method', 'laplace', '--out', join(dir, 'a')], io)).toBe(1);
    expect(io.err.join('\n')).toContain('its content has changed since it was written: manifest_sha256 no longer matches the fields');
  });

  it('is followed by a report that runs the fit itself: the plan gives the window and the rule', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir);
    await lockAnalysisPlan(buildAnalysisPlan({ window: AUTUMN, effort: 'high' }, '2025-08-20T09:00:00.000Z'), {
      study: join(dir, 'study'),
      lockedAt: '2025-08-20T09:00:00.000Z',
    });
    const files = studyFileArgs(study);
    const fit = ['--seed', '3', '--chains', '2', '--warmup', '150', '--draws-per-chain', '150'];
    expect(await run(['report', ...files, ...fit, '--out', join(dir, 'report')], memoryIo())).toBe(0);
    const data = JSON.parse(await readFile(join(dir, 'report', 'report.json'), 'utf8')) as ReportData;
    expect(data.methods.window).toEqual(AUTUMN);
    expect(data.decision.effort).toBe('high');
    expect(data.methods.analysis_plan).toMatchObject({ locked_on: '2025-08-20', locked_before_window: true, deviations: [] });
  });
});
