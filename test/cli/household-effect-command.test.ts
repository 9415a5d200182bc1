import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { FIXTURE_STUDY } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

// The fixtures' roster has siblings: 999 of its 1,500 students share one of 410 households
// (test/data/build-model-table.test.ts), so 'auto' fits the household effect there.
const studyArgs = [
  '--roster',
  FIXTURE_STUDY.roster,
  '--assignments',
  FIXTURE_STUDY.assignments,
  '--attendance',
  FIXTURE_STUDY.attendance,
  '--calendar',
  FIXTURE_STUDY.calendar,
  '--from',
  '2025-09-15',
  '--to',
  '2026-05-29',
];
// Tiny NUTS fits and the quick Laplace preview: these check what reaches the model and what
// is recorded, not the sampler (test/analysis does).
const quickFit = ['--seed', '5', '--method', 'laplace'];
const shortFit = ['--seed', '5', '--chains', '2', '--warmup', '50', '--draws-per-chain', '50'];
// analyze's: at adapt_delta 0.99 from the start, one fit and no refits (the checks fail at this size anyway).
const tinyFit = [...shortFit, '--adapt-delta', '0.99'];

async function analysisOf(dir: string) {
  return JSON.parse(await readFile(join(dir, 'analysis.json'), 'utf8'));
}

describe('pilot analyze --household-effect', () => {
  it('auto (the default) fits it on the fixtures, where siblings are common; model_input.csv carries the households, so a refit of it fits the same model', async () => {
    const dir = await tempDir();
    expect(await run(['analyze', ...studyArgs, ...tinyFit, '--out', join(dir, 'auto')], memoryIo())).toBe(0);
    const auto = await analysisOf(join(dir, 'auto'));
    expect(auto.model.household_effect).toEqual({ fitted: true, option: 'auto', households: 410, in_shared_households: 996 });
    expect(auto.model.priors.sigma_household).toBe('half-normal(0, 0.5)');
    const header = (await readFile(join(dir, 'auto', 'model_input.csv'), 'utf8')).split('\n')[0];
    expect(header).toBe('student_id,y,e,treat,block,district,baseline_absences,baseline_days,household');

    expect(
      await run(['analyze', '--table', join(dir, 'auto', 'model_input.csv'), ...tinyFit, '--out', join(dir, 'again')], memoryIo()),
    ).toBe(0);
    const again = await analysisOf(join(dir, 'again'));
    expect(again.model.household_effect).toEqual(auto.model.household_effect);
    expect(again.effect).toEqual(auto.effect);

    // The quick Laplace preview leaves the term to the full fit under auto (docs/analyze.md).
    expect(await run(['analyze', ...studyArgs, ...quickFit, '--out', join(dir, 'preview')], memoryIo())).toBe(0);
    expect((await analysisOf(join(dir, 'preview'))).model.household_effect).toEqual({
      fitted: false,
      option: 'auto',
      households: 0,
      in_shared_households: 996,
    });
  });

  it('on and off are passed to the fit and recorded', async () => {
    const dir = await tempDir();
    for (const choice of ['on', 'off']) {
      const io = memoryIo();
      expect(await run(['analyze', ...studyArgs, ...quickFit, '--household-effect', choice, '--out', join(dir, choice)], io)).toBe(0);
      const result = await analysisOf(join(dir, choice));
      expect(result.model.household_effect).toEqual({
        fitted: choice === 'on',
        option: choice,
        households: choice === 'on' ? 410 : 0,
        in_shared_households: 996,
      });
      expect('sigma_household' in result.model.priors).toBe(choice === 'on');
    }
  });

  it('refuses a value it does not know, as a bad command line (exit 2), writing nothing', async () => {
    const dir = await tempDir();
    for (const command of ['analyze', 'report']) {
      const io = memoryIo();
      expect(await run([command, ...studyArgs, '--household-effect', 'maybe', '--out', join(dir, command)], io)).toBe(2);
      expect(io.err.join('\n')).toMatch(/household-effect.*maybe|maybe.*household-effect/s);
      expect(io.err.join('\n')).toContain('"auto", "on", "off"');
    }
    await expect(readFile(join(dir, 'analyze', 'analysis.json'))).rejects.toThrow();
    await expect(readdir(join(dir, 'report'))).rejects.toThrow();
  });

  it('refuses --household-effect with a finished analysis (exit 2): its fit is made', async () => {
    const dir = await tempDir();
    const io = memoryIo();
    expect(await run(['report', '--analysis', dir, '--household-effect', 'off', '--out', join(dir, 'report')], io)).toBe(2);
    expect(io.err.join('\n')).toContain('--household-effect goes with the study files alone');
    await expect(readdir(join(dir, 'report'))).rejects.toThrow();
  });
});

describe('pilot report says which model was fitted', () => {
  it('in the methods, from the analysis it reports on; the fit it runs itself follows --household-effect', async () => {
    const dir = await tempDir();
    expect(await run(['analyze', ...studyArgs, ...quickFit, '--household-effect', 'on', '--out', join(dir, 'analysis')], memoryIo())).toBe(
      0,
    );
    expect(await run(['report', '--analysis', join(dir, 'analysis'), '--out', join(dir, 'on')], memoryIo())).toBe(0);
    const on = JSON.parse(await readFile(join(dir, 'on', 'report.json'), 'utf8'));
    expect(on.methods.model.in_words).toContain(
      'as the analysis asked, the model adds a term for each household with two or more students',
    );
    expect(on.methods.model.formulas[1]).toContain('+ sigma_household * z_household[h[i]]');
    const html = await readFile(join(dir, 'on', 'report.html'), 'utf8');
    expect(html).toContain('the model adds a term for each household with two or more students');
    expect(on.cautions.join(' ')).not.toContain('household');

    expect(await run(['report', ...studyArgs, ...shortFit, '--household-effect', 'off', '--out', join(dir, 'off')], memoryIo())).toBe(0);
    const off = JSON.parse(await readFile(join(dir, 'off', 'report.json'), 'utf8'));
    expect(off.methods.model.in_words).toContain(
      'The model was asked to leave out a household term, so it treats brothers and sisters as independent: where many students share a household, the interval may be a little too narrow.',
    );
    expect(off.methods.model.formulas.join('\n')).not.toContain('z_household');
    // Two thirds of the fixtures' students share a household: the district view is told too.
    expect(off.cautions).toContain(
      'Many students here share a household with a brother or sister, but the analysis treated them as independent (its household term was turned off), so the certainty figures may be a little too high; read a result near the line as weaker than it looks.',
    );
  });
});
