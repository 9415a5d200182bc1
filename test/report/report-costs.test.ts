import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult, CostEffectiveness } from '../../src/analysis/analysis-result.js';
import { computeCosts } from '../../src/analysis/costs.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readCosts } from '../../src/data/read-costs.js';
import { sha256 } from '../../src/io/hash.js';
import { describeCosts } from '../../src/report/delivered-effect-section.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeAnalysis } from './make-analysis.js';

/** 20 h x $30 set-up + 4 sends x 60 min x $30 + 1,600 segments x $0.01 = $736. */
const COSTS = {
  setup_hours: 20,
  staff_minutes_per_send: 60,
  hourly_wage: 30,
  price_per_sms_segment: 0.01,
  messages: { sends: 4, sms_segments: 1600 },
};
/** The same, with set-up 30 h: $1,036. */
const OTHER_COSTS = { ...COSTS, setup_hours: 30 };

/**
 * A folder with a hand-made analysis.json (300 treated students in the fit; days avoided
 * per treated student: median 0.31, q05 0.31 - 1.645 x 0.2 = -0.019, q95 0.639: $736 / (0.639 x 300) = $3.84 a day at best) and the costs files.
 */
async function folder(analysis: AnalysisResult = makeAnalysis()) {
  const dir = await tempDir();
  await mkdir(join(dir, 'results'));
  await writeFile(join(dir, 'results', 'analysis.json'), JSON.stringify(analysis));
  await writeFile(join(dir, 'costs.json'), JSON.stringify(COSTS));
  await writeFile(join(dir, 'other-costs.json'), JSON.stringify(OTHER_COSTS));
  return dir;
}

async function report(dir: string, ...extra: string[]) {
  const io = memoryIo();
  const code = await run(['report', '--analysis', join(dir, 'results'), '--out', join(dir, 'out'), ...extra], io);
  return { code, io };
}

const reportJson = async (dir: string) => JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8'));

/** An analysis that pilot analyze --costs costs.json made: its costs computed from its own figures. */
async function analyzedWithCosts(dir: string): Promise<AnalysisResult> {
  const plain = makeAnalysis();
  const costs = computeCosts(await readCosts(join(dir, 'costs.json')), { students_sent: plain.model.n_treatment, ...plain });
  return { ...plain, costs, inputs: { costs: costs.file!.sha256 } };
}

describe('pilot report --costs: costs learnt after the analysis', () => {
  it('adds the costs section from the analysis as analyze would: $736 over 300 students, 93 days gained', async () => {
    const dir = await folder();
    const { code, io } = await report(dir, '--costs', join(dir, 'costs.json'));
    expect(io.err.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const json = await reportJson(dir);
    const c = json.costs.costs;
    // report.json rounds its figures to 6 significant digits: compared to 4 decimals.
    expect(c.total).toBeCloseTo(736, 10);
    expect(c.cost_per_student).toBeCloseTo(736 / 300, 4);
    // 0.31 days per treated student x 300 = 93 days; $736 / 93 a day; the 5% quantile of the days is below 0: no upper bound.
    expect(c.days_gained.median).toBeCloseTo(93, 4);
    expect(c.cost_per_day_gained.median).toBeCloseTo(736 / 93, 4);
    expect(c.cost_per_day_gained.q05).toBeCloseTo(736 / ((0.31 + 1.645 * 0.2) * 300), 4);
    expect(c.cost_per_day_gained.q95).toBeNull();
    const hash = sha256(await readFile(join(dir, 'costs.json')));
    expect(c.file).toEqual({ name: 'costs.json', sha256: hash, given_to: 'report' });
    // The costs file is listed with the other inputs in the methods, by its hash.
    expect(json.methods.inputs.costs).toBe(hash);
    expect(json.costs.statement).toBe(
      'The messages cost $736.00 in all, $2.45 per student sent them. Each day of school gained cost about $7.91 (likely range $3.84 to no upper bound). ' +
        "These costs were given to the report (costs.json), not to the analysis; the figures use the analysis's estimates.",
    );
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('<h3>What it cost</h3>');
    expect(html).toContain(hash);
  });

  it("the analysis's own costs given again: kept as the analysis's (no sentence about the report)", async () => {
    const dir = await folder();
    await writeFile(join(dir, 'results', 'analysis.json'), JSON.stringify(await analyzedWithCosts(dir)));
    const { code } = await report(dir, '--costs', join(dir, 'costs.json'));
    expect(code).toBe(0);
    const json = await reportJson(dir);
    expect(json.costs.costs.file.given_to).toBe('analyze');
    expect(json.costs.statement).not.toContain('given to the report');
  });

  it('other costs than the analysis had are refused (exit 1, nothing written), and reported with --replace-costs', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'results', 'analysis.json'), JSON.stringify(await analyzedWithCosts(dir)));
    const refused = await report(dir, '--costs', join(dir, 'other-costs.json'));
    expect(refused.code).toBe(1);
    expect(refused.io.err.join('\n')).toContain(
      `${join(dir, 'other-costs.json')} gives other costs than ${join(dir, 'results', 'analysis.json')} was analyzed with (costs.json): give --replace-costs to report these instead, or leave --costs out to report the analysis's`,
    );
    await expect(stat(join(dir, 'out'))).rejects.toThrow();
    const replaced = await report(dir, '--costs', join(dir, 'other-costs.json'), '--replace-costs');
    expect(replaced.code).toBe(0);
    const json = await reportJson(dir);
    expect(json.costs.costs.total).toBeCloseTo(1036, 10);
    expect(json.costs.costs.file.name).toBe('other-costs.json');
    expect(json.costs.costs.file.given_to).toBe('report');
    expect(json.methods.inputs.costs).toBe(sha256(await readFile(join(dir, 'other-costs.json'))));
    expect(json.costs.statement).toContain('These costs were given to the report (other-costs.json)');
  });

  it('an analysis.json without the treated students in the fit cannot be costed (exit 1, nothing written)', async () => {
    const analysis = makeAnalysis();
    const { n_treatment: _, ...model } = analysis.model;
    const dir = await folder({ ...analysis, model } as AnalysisResult);
    const { code, io } = await report(dir, '--costs', join(dir, 'costs.json'));
    expect(code).toBe(1);
    expect(io.err.join('\n')).toContain(
      `${join(dir, 'results', 'analysis.json')} does not record the treated students in the fit (model.n_treatment), which the costs are spread over: run pilot analyze with --costs instead`,
    );
    await expect(stat(join(dir, 'out'))).rejects.toThrow();
  });

  it('a bad costs file is refused naming its field, and --replace-costs without --costs is a bad command line', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'costs.json'), JSON.stringify({ ...COSTS, hourly_wage: -1 }));
    const bad = await report(dir, '--costs', join(dir, 'costs.json'));
    expect(bad.code).toBe(1);
    expect(bad.io.err.join('\n')).toContain('hourly_wage must be a number from 0, got -1');
    await expect(stat(join(dir, 'out'))).rejects.toThrow();
    const usage = await report(dir, '--replace-costs');
    expect(usage.code).toBe(2);
    expect(usage.io.err.join('\n')).toContain("--replace-costs goes with --costs (the costs that replace the analysis's)");
  });
});

describe('describeCosts when nothing was gained at the best estimate', () => {
  it('says there is no cost per unit, with its best case, instead of "about no upper bound"', () => {
    const costs = {
      currency: '$',
      total: 807.83,
      cost_per_student: 1.105,
      cost_per_day_gained: { median: null, q025: 1.2, q05: 1.34, q95: null, q975: null },
      cost_per_student_no_longer_chronic: { median: null, q025: 40, q05: 48, q95: null, q975: null },
    } as unknown as CostEffectiveness;
    expect(describeCosts(costs)).toBe(
      'The messages cost $807.83 in all, $1.11 per student sent them. At the best estimate no days of school were gained, so there is no cost per day gained (at best $1.34 a day); ' +
        'and at the best estimate no fewer students were chronically absent, so there is no cost per student no longer chronically absent (at best $48 each).',
    );
  });
});
