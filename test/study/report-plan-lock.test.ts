import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileExists } from '../../src/assignment/assignment-files.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import type { ReportData } from '../../src/report/report-data.js';
import { buildAnalysisPlan, lockAnalysisPlan } from '../../src/study/lock-analysis-plan.js';
import type { StudyFolder } from '../helpers/study-folder.js';
import { makeStudyFolder } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

const AUTUMN = { from: '2025-09-01', to: '2025-12-19' };
const QUICK = ['--method', 'laplace', '--seed', '1'];

function studyArgs(study: StudyFolder): string[] {
  return ['--roster', study.roster, '--assignments', study.assignments, '--attendance', study.attendance, '--calendar', study.calendar];
}

/** A study with a plan (high effort, the autumn term) locked at `lockedAt`, analyzed into `results` with `extra`. */
async function analyzedStudy(lockedAt: string | undefined, extra: readonly string[] = []) {
  const dir = await tempDir();
  const study = await makeStudyFolder(dir);
  if (lockedAt)
    await lockAnalysisPlan(buildAnalysisPlan({ window: AUTUMN, effort: 'high' }, lockedAt), { study: join(dir, 'study'), lockedAt });
  const window = lockedAt ? [] : ['--from', AUTUMN.from, '--to', AUTUMN.to];
  expect(await run(['analyze', ...studyArgs(study), ...window, ...QUICK, ...extra, '--out', join(dir, 'results')], memoryIo())).toBe(0);
  return { dir, study };
}

const readReport = async (dir: string) => ({
  html: await readFile(join(dir, 'report.html'), 'utf8'),
  data: JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as ReportData,
});

describe('a report of a study with a locked analysis plan', () => {
  it('lists each deviation with its reason, in the network and the district reports, and says the plan came before the window', async () => {
    const reason = 'the district asked for the low-effort rule';
    const { dir } = await analyzedStudy('2025-08-20T09:00:00.000Z', ['--effort', 'low', '--deviate', reason]);
    const out = join(dir, 'report');
    expect(await run(['report', '--analysis', join(dir, 'results'), '--by', 'district', '--out', out], memoryIo())).toBe(0);
    const network = await readReport(out);
    expect(network.data.methods.analysis_plan).toMatchObject({
      locked_on: '2025-08-20',
      locked_before_window: true,
      deviations: [{ field: 'decision_rule.effort', planned: 'high', used: 'low', reason }],
    });
    const timing = 'The analysis plan was locked on 2025-08-20, before the outcome window began on 2025-09-01';
    expect(network.html).toContain(timing);
    expect(network.html).toContain('<th>Departure from the plan</th><th>Planned</th><th>Used</th><th>Reason given</th>');
    expect(network.html).toContain(`<td>decision_rule.effort</td><td>high</td><td>low</td><td>${reason}</td>`);
    const districts = await readdir(join(out, 'districts'));
    expect(districts).toEqual(['D01', 'D02']);
    for (const district of districts) {
      const { html } = await readReport(join(out, 'districts', district));
      expect(html).toContain(timing);
      expect(html).toContain(reason);
    }
  });

  it('says plainly when the plan was locked after the outcome window began', async () => {
    const { dir } = await analyzedStudy('2025-09-10T12:00:00.000Z', ['--from', '2025-09-01', '--to', '2025-12-19']);
    expect(await run(['report', '--analysis', join(dir, 'results'), '--out', join(dir, 'report')], memoryIo())).toBe(0);
    const { html, data } = await readReport(join(dir, 'report'));
    expect(data.methods.analysis_plan).toMatchObject({ locked_on: '2025-09-10', locked_before_window: false, deviations: [] });
    expect(html).toContain(
      'The analysis plan was locked on 2025-09-10, not before the outcome window began on 2025-09-01: some outcomes could have been seen when it was fixed',
    );
    expect(html).toContain('The analysis followed the plan in every choice.');
  });

  it("refuses a report's --effort that departs from the plan unless --deviate gives a reason", async () => {
    const { dir } = await analyzedStudy('2025-08-20T09:00:00.000Z');
    const refused = memoryIo();
    expect(await run(['report', '--analysis', join(dir, 'results'), '--effort', 'low', '--out', join(dir, 'a')], refused)).toBe(1);
    expect(refused.err.join('\n')).toContain('decision_rule.effort: the plan says high, --effort gave low');
    expect(await fileExists(join(dir, 'a', 'report.html'))).toBe(false);
    const why = ['--deviate', 'a second look under the low-effort rule'];
    expect(await run(['report', '--analysis', join(dir, 'results'), '--effort', 'low', ...why, '--out', join(dir, 'b')], memoryIo())).toBe(
      0,
    );
    const { data } = await readReport(join(dir, 'b'));
    expect(data.decision.effort).toBe('low');
    expect(data.methods.analysis_plan?.deviations).toEqual([
      {
        field: 'decision_rule.effort',
        option: '--effort',
        planned: 'high',
        used: 'low',
        reason: 'a second look under the low-effort rule',
      },
    ]);
  });

  it('says so when no plan was locked', async () => {
    const { dir } = await analyzedStudy(undefined);
    expect(await run(['report', '--analysis', join(dir, 'results'), '--out', join(dir, 'report')], memoryIo())).toBe(0);
    const { html, data } = await readReport(join(dir, 'report'));
    expect(data.methods.analysis_plan).toBeNull();
    expect(html).toContain('No analysis plan was locked for this study');
  });
});
