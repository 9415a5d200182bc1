/**
 * Draws tied to their analysis (issue 15, defect 4): rerunning `analyze` into a folder
 * without `--draws-csv` left the earlier draws.csv, and `report` drew its chart from one fit
 * beside the headline of another. analysis.json now records its draws by SHA-256; a rerun
 * removes the earlier analysis's draws; a report uses only the draws its analysis recorded.
 */
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sha256 } from '../../src/io/hash.js';
import { makeStudyFolder } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

async function pilot(argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, stderr: io.err.join('\n') };
}

describe('draws and their analysis', () => {
  it('records the draws, clears them on a rerun without them, and a report never mixes two fits', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 60 });
    const results = join(dir, 'results');
    const analyze = (seed: string, ...more: string[]) => [
      'analyze',
      '--roster',
      study.roster,
      '--assignments',
      study.assignments,
      '--attendance',
      study.attendance,
      '--calendar',
      study.calendar,
      '--from',
      '2025-09-01',
      '--to',
      '2025-12-19',
      '--chains',
      '2',
      '--warmup',
      '100',
      '--draws-per-chain',
      '100',
      '--seed',
      seed,
      '--out',
      results,
      ...more,
    ];
    expect((await pilot(analyze('1', '--draws-csv'))).code).toBe(0);
    const first = JSON.parse(await readFile(join(results, 'analysis.json'), 'utf8'));
    expect(first.draws_csv).toEqual({ file: 'draws.csv', sha256: sha256(await readFile(join(results, 'draws.csv'))) });
    await copyFile(join(results, 'draws.csv'), join(dir, 'first-draws.csv'));

    // Into the same folder again: refused without --force, and then the earlier draws go.
    const again = await pilot(analyze('2'));
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`pilot: ${join(results, 'analysis.json')} already exists: give --force to replace it, or write elsewhere`);
    expect((await pilot(analyze('2', '--force'))).code).toBe(0);
    const second = JSON.parse(await readFile(join(results, 'analysis.json'), 'utf8'));
    expect(second.seed).toBe(2);
    expect(second.draws_csv).toBeUndefined();
    expect(existsSync(join(results, 'draws.csv'))).toBe(false);

    // The first fit's draws beside the second's analysis: not used, and said so.
    await copyFile(join(dir, 'first-draws.csv'), join(results, 'draws.csv'));
    const report = await pilot(['report', '--analysis', results, '--out', join(dir, 'report')]);
    expect(report.code).toBe(0);
    expect(report.stderr).toContain(
      `${join(results, 'draws.csv')} is not used: ${join(results, 'analysis.json')} records no draws (it is left from another run of pilot analyze)`,
    );
    expect(JSON.parse(await readFile(join(dir, 'report', 'report.json'), 'utf8')).charts.posterior.source).not.toBe('draws');
    // Given by name, they are refused.
    const given = await pilot(['report', '--analysis', results, '--draws', join(dir, 'first-draws.csv'), '--out', join(dir, 'report2')]);
    expect(given.code).toBe(1);
    expect(given.stderr).toContain('which records no draws: run pilot analyze with --draws-csv to write the draws with the analysis');
    expect(existsSync(join(dir, 'report2'))).toBe(false);
  });
});
