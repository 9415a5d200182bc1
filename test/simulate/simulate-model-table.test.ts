import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';

describe('simulateModelTable', () => {
  it('draws full-enrolment and baseline days from a range when given one', () => {
    const { table } = simulateModelTable(createRng('ranges'), {
      districts: 2,
      studentsPerDistrict: 400,
      windowDays: [150, 170],
      baselineDays: [160, 180],
      attrition: 0,
      partialEnrolment: 0.1,
    });
    const full = table.filter((r) => r.e >= 150);
    const partial = table.filter((r) => r.e < 150);
    expect(full.every((r) => r.e <= 170)).toBe(true);
    expect(partial.every((r) => r.e >= 1 && r.e < 150)).toBe(true);
    // About 10% partial (binomial sd ~ 8.5 of 800).
    expect(partial.length).toBeGreaterThan(50);
    expect(partial.length).toBeLessThan(110);
    // Both ends of the ranges occur: inclusive ranges.
    expect(new Set(full.map((r) => r.e)).size).toBe(21);
    const baselineDays = table.filter((r) => r.baseline_days !== undefined).map((r) => r.baseline_days!);
    expect(Math.min(...baselineDays)).toBe(160);
    expect(Math.max(...baselineDays)).toBe(180);
  });

  it('keeps the random stream of fixed day counts (ranges are opt-in)', () => {
    const a = simulateModelTable(createRng('fixed'), { districts: 1, studentsPerDistrict: 50 });
    const b = simulateModelTable(createRng('fixed'), { districts: 1, studentsPerDistrict: 50, windowDays: 40, baselineDays: 60 });
    expect(b.table).toEqual(a.table);
    expect(a.table.filter((r) => r.baseline_days !== undefined).every((r) => r.baseline_days === 60)).toBe(true);
  });

  it('rejects a backwards or fractional day range, naming the function', () => {
    expect(() => simulateModelTable(createRng(1), { districts: 1, windowDays: [170, 150] })).toThrow(/simulateModelTable.*\[170, 150\]/);
    expect(() => simulateModelTable(createRng(1), { districts: 1, baselineDays: [1.5, 3] })).toThrow(/whole days/);
  });
});
