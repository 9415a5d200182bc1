import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PilotError } from '../../src/errors.js';
import { districtFolder, writeReport } from '../../src/report/write-report.js';
import { filesUnder } from '../helpers/files.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeAnalysis, makeStudy } from './make-analysis.js';

const DISTRICTS = [
  { id: 'D01', treatment: 200, control: 210, median: 0.035, certainty: 0.78 },
  { id: 'D02', treatment: 180, control: 175, median: 0.026, certainty: 0.72 },
  { id: 'D/3', treatment: 60, control: 60, median: 0.02, certainty: 0.6 },
];
const inputs = () => ({ analysis: makeAnalysis({ districts: DISTRICTS }), study: makeStudy(['D01', 'D02', 'D/3']) });

async function listFiles(dir: string): Promise<string[]> {
  return (await filesUnder(dir)).map((path) => path.slice(dir.length + 1));
}

describe('writeReport', () => {
  it('--by district: one folder per district beside the network report, readable by others (0644)', async () => {
    const dir = join(await tempDir(), 'report');
    const written = await writeReport(dir, inputs(), { byDistrict: true });
    expect(written.map((w) => [w.dir.slice(dir.length), w.data.scope.kind, w.data.scope.district ?? null])).toEqual([
      ['', 'network', null],
      ['/districts/D01', 'district', 'D01'],
      ['/districts/D02', 'district', 'D02'],
      ['/districts/D_3', 'district', 'D/3'],
    ]);
    const files = await listFiles(dir);
    for (const folder of ['', 'districts/D01/', 'districts/D02/', 'districts/D_3/']) {
      expect(files).toContain(`${folder}report.html`);
      expect(files).toContain(`${folder}report.json`);
      expect(files).toContain(`${folder}posterior.vl.json`);
    }
    for (const f of files) expect((await stat(join(dir, f))).mode & 0o777).toBe(0o644);
    const d2 = JSON.parse(await readFile(join(dir, 'districts/D02/report.json'), 'utf8'));
    expect(d2.headline).toMatch(/^In D02 Unified, /);
    expect(d2.network_effect.estimate.median).toBe(0.024);
  });

  it('district folder names keep only safe characters', () => {
    expect([districtFolder('D/3'), districtFolder('..'), districtFolder('Pine Valley #2'), districtFolder('')]).toEqual([
      'D_3',
      '_',
      'Pine_Valley_2',
      '_',
    ]);
  });

  it('two district ids that make one folder name get two folders', async () => {
    const dir = join(await tempDir(), 'report');
    const districts = [DISTRICTS[0], { ...DISTRICTS[1], id: 'D/3' }, { ...DISTRICTS[2], id: 'D_3' }];
    const written = await writeReport(dir, { analysis: makeAnalysis({ districts }) }, { byDistrict: true });
    expect(written.map((w) => w.dir.slice(dir.length))).toEqual(['', '/districts/D01', '/districts/D_3', '/districts/D_3-2']);
  });

  it('writes all or nothing: a failure leaves the earlier report intact and no temporary files', async () => {
    const dir = join(await tempDir(), 'report');
    await writeReport(dir, inputs());
    const before = await readFile(join(dir, 'report.html'), 'utf8');
    // A file where the districts folder must go: the district reports cannot be written.
    await writeFile(join(dir, 'districts'), 'in the way');
    await expect(
      writeReport(dir, { ...inputs(), analysis: makeAnalysis({ districts: DISTRICTS, median: 0.05 }) }, { byDistrict: true, force: true }),
    ).rejects.toThrow();
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe(before);
    expect((await listFiles(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('asking for a PDF without Chromium writes nothing', async () => {
    const dir = join(await tempDir(), 'report');
    await expect(writeReport(dir, inputs(), { pdf: true, chromiumPath: join(dir, 'no-chromium') })).rejects.toThrow(PilotError);
    await expect(stat(dir)).rejects.toThrow();
  });

  it("replaces a report only with force, removing the earlier report's files it does not write, and nothing else", async () => {
    const dir = join(await tempDir(), 'report');
    await writeReport(dir, inputs());
    expect(await listFiles(dir)).toContain('attendance-tiers.vl.json');
    // Files the report did not write: a PDF someone saved there, and notes.
    await writeFile(join(dir, 'report.pdf'), '%PDF-old');
    await mkdir(join(dir, 'notes'));
    await writeFile(join(dir, 'notes', 'mine.txt'), 'kept');
    await expect(writeReport(dir, { analysis: makeAnalysis({ districts: DISTRICTS }) })).rejects.toThrow(
      `${join(dir, 'report.html')} already exists: give --force to replace it, or write elsewhere`,
    );
    await writeReport(dir, { analysis: makeAnalysis({ districts: DISTRICTS }) }, { force: true });
    expect((await listFiles(dir)).filter((name) => !name.startsWith('.'))).toEqual([
      'district-forest.vl.json',
      'notes/mine.txt',
      'posterior.vl.json',
      'report.html',
      'report.json',
      'report.pdf',
    ]);
    expect(await readFile(join(dir, 'report.pdf'), 'utf8')).toBe('%PDF-old');
  });
});
