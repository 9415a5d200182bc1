import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { analyzeStudy } from '../../src/study/analyze-study.js';
import { FIXTURE_STUDY } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const WINDOW = { from: '2025-09-15', to: '2026-05-29' };

describe('analyzeStudy', () => {
  // The quick Laplace fit: this checks what is read and written; the sampler is tested in test/analysis.
  it('does what pilot analyze does: the same analysis.json, model_input.csv beside it', async () => {
    const dir = await tempDir();
    const study = await analyzeStudy({ ...FIXTURE_STUDY, window: WINDOW }, { seed: 11, method: 'laplace', out: join(dir, 'lib') });
    expect(study.files).toEqual([join(dir, 'lib', 'analysis.json'), join(dir, 'lib', 'model_input.csv')]);
    expect(study.table).toHaveLength(1500);
    expect(study.result.window).toEqual(WINDOW);
    expect(study.result.arms_in_effect).toMatchObject({ date: '2025-08-18', source: 'simulation', simulation: { true_effect: 0.024 } });

    const args = [
      '--roster',
      FIXTURE_STUDY.roster,
      '--assignments',
      FIXTURE_STUDY.assignments,
      '--attendance',
      FIXTURE_STUDY.attendance,
      '--calendar',
      FIXTURE_STUDY.calendar,
    ];
    expect(
      await run(
        ['analyze', ...args, '--from', WINDOW.from, '--to', WINDOW.to, '--seed', '11', '--method', 'laplace', '--out', join(dir, 'cli')],
        memoryIo(),
      ),
    ).toBe(0);
    for (const file of ['analysis.json', 'model_input.csv'])
      expect(await readFile(join(dir, 'lib', file), 'utf8'), file).toBe(await readFile(join(dir, 'cli', file), 'utf8'));
  });

  it('writes nothing without out, and reports the seed it drew', async () => {
    const dir = await tempDir();
    const table = join(dir, 'model_input.csv');
    await analyzeStudy({ ...FIXTURE_STUDY, window: WINDOW }, { seed: 1, method: 'laplace', out: dir });
    const study = await analyzeStudy({ table }, { method: 'laplace' });
    expect(study.files).toEqual([]);
    expect(Number.isInteger(study.result.seed)).toBe(true);
    expect(study.result.inputs).toEqual({ table: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await readdir(dir)).sort()).toEqual(['analysis.json', 'model_input.csv']);
  });
});
