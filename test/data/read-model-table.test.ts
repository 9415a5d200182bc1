import { describe, expect, it } from 'vitest';
import { readModelTable } from '../../src/data/read-model-table.js';

const HEADER = 'student_id,y,e,treat,block,district,baseline_absences,baseline_days';

describe('readModelTable', () => {
  it('reads rows, with blank baselines as absent', async () => {
    const v = await readModelTable({ text: `${HEADER}\nS1,2,40,1,B1,D1,3,60\nS2,1.5,38,0,B1,D1,,\n` }, 'model_input.csv');
    expect(v.ok).toBe(true);
    expect(v.value).toEqual([
      { student_id: 'S1', y: 2, e: 40, treat: 1, block: 'B1', district: 'D1', baseline_absences: 3, baseline_days: 60 },
      { student_id: 'S2', y: 1.5, e: 38, treat: 0, block: 'B1', district: 'D1' },
    ]);
  });

  it('reads the optional household column; a blank one is a household of one', async () => {
    const text = `${HEADER},household\nS1,2,40,1,B1,D1,3,60,H7\nS2,1,38,0,B1,D1,,,\n`;
    const v = await readModelTable({ text }, 'model_input.csv');
    expect(v.value).toEqual([
      { student_id: 'S1', y: 2, e: 40, treat: 1, block: 'B1', district: 'D1', baseline_absences: 3, baseline_days: 60, household: 'H7' },
      { student_id: 'S2', y: 1, e: 38, treat: 0, block: 'B1', district: 'D1' },
    ]);
  });

  it('accepts a file without the baseline columns', async () => {
    const v = await readModelTable({ text: 'student_id,y,e,treat,block,district\nS1,2,40,1,B1,D1\n' }, 'model_input.csv');
    expect(v.ok).toBe(true);
    expect(v.value?.[0]).toEqual({ student_id: 'S1', y: 2, e: 40, treat: 1, block: 'B1', district: 'D1' });
  });

  it('reports every bad cell with file, row and column', async () => {
    const text = [HEADER, 'S1,-1,40,1,B1,D1,,', 'S2,2,4.5,2,,D1,,', 'S1,2,40,0,B1,,x,60'].join('\n');
    const v = await readModelTable({ text }, 'model_input.csv');
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => [i.row, i.column])).toEqual([
      [2, 'y'],
      [3, 'e'],
      [3, 'treat'],
      [3, 'block'],
      [4, 'student_id'],
      [4, 'district'],
      [4, 'baseline_absences'],
    ]);
    expect(v.issues.every((i) => i.file === 'model_input.csv')).toBe(true);
  });

  it('reads numbers as the other readers do (parseNonNegative): no hexadecimal', async () => {
    const v = await readModelTable({ text: `${HEADER}\nS1,0x10,40,1,B1,D1,,\n` }, 'm.csv');
    expect(v.issues.map((i) => [i.row, i.column])).toEqual([[2, 'y']]);
  });

  it('names missing columns', async () => {
    const v = await readModelTable({ text: 'student_id,y,e\nS1,1,2\n' }, 'm.csv');
    expect(v.issues).toEqual([{ file: 'm.csv', row: 1, message: expect.stringContaining('missing columns treat, block, district') }]);
  });

  it('warns about half a baseline and about more absences than days', async () => {
    const v = await readModelTable({ text: `${HEADER}\nS1,50,40,1,B1,D1,3,\n` }, 'm.csv');
    expect(v.ok).toBe(true);
    expect(v.warnings.map((w) => w.column)).toEqual(['y', 'baseline_days']);
  });
});
