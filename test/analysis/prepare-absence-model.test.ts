import { describe, expect, it } from 'vitest';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import type { ModelTableRow } from '../../src/data/model-table.js';

const row = (student_id: string, y: number, e: number, treat: 0 | 1, extra: Partial<ModelTableRow> = {}): ModelTableRow => ({
  student_id,
  y,
  e,
  treat,
  block: 'B1',
  district: 'D1',
  ...extra,
});

describe('prepareAbsenceModel', () => {
  it('drops e = 0 rows as attrition by arm and rounds half days up', () => {
    const model = prepareAbsenceModel([
      row('a', 1.5, 10, 1),
      row('b', 2, 0, 1),
      row('c', 0.5, 10, 0),
      row('d', 3, 0, 0),
      row('e', 2.4, 10, 0),
      row('f', 4, 0, 1),
    ]);
    expect(model.info.attrition).toEqual({ treatment: 2, control: 1 });
    expect(model.info.n).toBe(3);
    expect(model.info.roundedHalfDays).toBe(3);
    // y = 2, 1, 2 after rounding (1.5 -> 2, 0.5 -> 1, 2.4 -> 2): counts above 0 and 1.
    expect([...model.data.countAbove]).toEqual([3, 2]);
  });

  it('standardizes the baseline over students in the fit and applies the drop rules', () => {
    const model = prepareAbsenceModel([
      row('a', 1, 10, 1, { baseline_absences: 1, baseline_days: 20 }),
      row('b', 1, 10, 0, { baseline_absences: 3, baseline_days: 20 }),
      row('c', 1, 10, 0),
      row('x', 1, 0, 0, { baseline_absences: 50, baseline_days: 20 }), // e = 0: not in the mean
    ]);
    const l1 = Math.log(1.5 / 21);
    const l2 = Math.log(3.5 / 21);
    expect(model.info.baseline).toBe('partial');
    expect(model.info.baselineMean).toBeCloseTo((l1 + l2) / 2, 12);
    expect(model.info.baselineSd).toBeCloseTo(Math.abs(l1 - l2) / Math.SQRT2, 12);
    expect([...model.data.zValues].sort()).toEqual([-Math.SQRT1_2, 0, Math.SQRT1_2].map((v) => expect.closeTo(v, 12)));
    expect(prepareAbsenceModel([row('a', 1, 10, 1), row('b', 1, 10, 0)]).info.baseline).toBe('none');
    const all = prepareAbsenceModel([
      row('a', 1, 10, 1, { baseline_absences: 1, baseline_days: 5 }),
      row('b', 1, 10, 0, { baseline_absences: 1, baseline_days: 5 }),
    ]);
    expect(all.info.baseline).toBe('all');
    expect(all.info.baselineSd).toBe(0);
    expect([...all.data.zValues]).toEqual([0]);
  });

  it('does not depend on row order', () => {
    const rows = [row('a', 1, 10, 1, { block: 'B2' }), row('b', 3, 8, 0), row('c', 0, 10, 1, { district: 'D2' })];
    expect(prepareAbsenceModel(rows)).toEqual(prepareAbsenceModel([...rows].reverse()));
  });
});
