import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { MODEL_TABLE_COLUMNS } from '../../src/data/model-table.js';
import { formatCsvObjects } from '../../src/io/write-csv.js';
import { createRng } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';
import { analyzeArgv, makeStudyFolder } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

// Chains this short do not pass the checks on this study (R-hat of some blocks' intercepts
// above 1.01 even after the refits): the run shows how a flagged subgroup fit is reported.
const SHORT_FIT = ['--chains', '2', '--warmup', '150', '--draws-per-chain', '150'];

describe('pilot analyze --subgroups', () => {
  it('fits the subgroup model beside the main fit, writes the subgroups block, and says when that fit is flagged', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 400 });
    const io = memoryIo();
    const code = await run(analyzeArgv(study, join(dir, 'out'), ['--subgroups', 'grade_band,prior_tier', ...SHORT_FIT]), io);
    expect(io.err.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const result = JSON.parse(await readFile(join(dir, 'out', 'analysis.json'), 'utf8'));
    expect(result.subgroups.model).toBe('subgroup-absence-model');
    expect(result.subgroups.factors.map((f: { factor: string; status: string }) => [f.factor, f.status])).toEqual([
      ['grade_band', 'exploratory'],
      ['prior_tier', 'exploratory'],
    ]);
    // Every student in the fit is in exactly one grade band, or in a suppressed band.
    const bands = result.subgroups.factors[0].levels as { suppressed: boolean; n_treatment?: number; n_control?: number }[];
    if (bands.every((l) => !l.suppressed)) expect(bands.reduce((s, l) => s + l.n_treatment! + l.n_control!, 0)).toBe(result.model.n);
    // After a Laplace main fit the subgroup fit adapts from scratch: half the warmup, as
    // many draws, first at adapt_delta 0.9 (then 0.95 and 0.99).
    expect([result.subgroups.chains, result.subgroups.warmup, result.subgroups.draws]).toEqual([2, 75, 150]);
    expect(result.subgroups.diagnostics.flagged).toBe(true);
    expect(result.subgroups.diagnostics.refits.map((r: { adapt_delta: number }) => r.adapt_delta)).toEqual([0.9, 0.95]);
    expect(io.out.join('\n')).toMatch(
      /^Subgroups: FLAGGED, not to be presented: the subgroup fit fails the checks even at adapt_delta 0.99/m,
    );
  }, 120_000);

  it('after a NUTS main fit, starts the subgroup fit from its chains (a fifth of the warmup)', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 400 });
    const argv = analyzeArgv(study, join(dir, 'out'), ['--subgroups', 'grade_band', '--household-effect', 'off', ...SHORT_FIT]);
    argv[argv.indexOf('laplace')] = 'nuts';
    const io = memoryIo();
    expect(await run(argv, io)).toBe(0);
    const result = JSON.parse(await readFile(join(dir, 'out', 'analysis.json'), 'utf8'));
    expect([result.subgroups.chains, result.subgroups.warmup, result.subgroups.draws]).toEqual([2, 30, 150]);
    expect(result.subgroups.diagnostics.adapt_delta).toBeGreaterThanOrEqual(0.9);
  }, 120_000);

  it('refuses a roster factor with a model table (exit 1) and a malformed list (exit 2), writing nothing', async () => {
    const dir = await tempDir();
    const { table } = simulateModelTable(createRng('subgroup-cli'), { districts: 1, studentsPerDistrict: 100 });
    const path = join(dir, 'model_input.csv');
    await writeFile(path, formatCsvObjects([...MODEL_TABLE_COLUMNS], table));
    const io = memoryIo();
    expect(await run(['analyze', '--table', path, '--out', join(dir, 'out'), '--subgroups', 'language', ...SHORT_FIT], io)).toBe(1);
    expect(io.err.join('\n')).toMatch(/--subgroups language needs the roster/);
    const bad = memoryIo();
    expect(await run(['analyze', '--table', path, '--out', join(dir, 'out'), '--subgroups', 'grade band'], bad)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--subgroups takes factor names separated by commas/);
    await expect(readFile(join(dir, 'out', 'analysis.json'))).rejects.toThrow(/ENOENT/);
  }, 120_000);
});
