import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { tempDir } from '../helpers/temp-dir.js';
import { browserSuite, hasChromium, requireChromiumInCi } from './chromium.js';
import { makeAnalysis } from './make-analysis.js';

requireChromiumInCi();

describe.skipIf(!hasChromium)(browserSuite('pilot report --pdf'), () => {
  it('prints report.pdf for the network and each district', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'results'));
    const districts = [
      { id: 'D01', treatment: 200, control: 210, median: 0.035, certainty: 0.78 },
      { id: 'D02', treatment: 180, control: 175, median: 0.026, certainty: 0.72 },
    ];
    await writeFile(join(dir, 'results', 'analysis.json'), JSON.stringify(makeAnalysis({ districts })));
    const io = memoryIo();
    const code = await run(['report', '--analysis', join(dir, 'results'), '--out', join(dir, 'out'), '--by', 'district', '--pdf'], io);
    expect(io.err.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(io.out.join('\n')).toContain(`and ${join(dir, 'out', 'report.pdf')}`);
    for (const folder of ['', 'districts/D01', 'districts/D02']) {
      const pdf = await readFile(join(dir, 'out', folder, 'report.pdf'));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(10_000);
      // A report of this length prints on several Letter pages.
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(3);
    }
  });
});
