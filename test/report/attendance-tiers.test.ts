import { describe, expect, it } from 'vitest';
import { attendanceTier, attendanceTierGroup, attendanceTierShortLabel } from '../../src/report/attendance-tier.js';
import type { StudyStudent } from '../../src/report/report-study.js';
import { countAttendanceTiers } from '../../src/report/summarize-study.js';

/** `count` students of `arm` who each missed `absent` of 170 days. */
function students(arm: string, count: number, absent: number): StudyStudent[] {
  return Array.from({ length: count }, () => ({ district: 'D01', arm, outcome: { days_enrolled: 170, days_absent: absent }, periods: [] }));
}

/** An arm of 2,000 students spread over the tiers as `counts` (satisfactory to extreme). */
function arm(name: string, counts: readonly number[]): StudyStudent[] {
  // 4, 12, 25, 50 and 100 of 170 days: 2.4%, 7.1%, 14.7%, 29.4% and 58.8%.
  return counts.flatMap((n, tier) => students(name, n, [4, 12, 25, 50, 100][tier]));
}

describe('attendance tiers', () => {
  it('tiers by share of days missed, at their edges (Attendance Works)', () => {
    expect([8, 9, 17, 34, 85].map((d) => attendanceTier(d, 170))).toEqual(['satisfactory', 'at-risk', 'moderate', 'severe', 'extreme']);
    expect([8.49, 16.9, 33.9, 84.9].map((d) => attendanceTier(d, 170))).toEqual(['satisfactory', 'at-risk', 'moderate', 'severe']);
  });

  it('2,000 students per arm with 6 and 4 at 50% or more: "20% or more" is printed instead of two hidden tiers', () => {
    const tiers = countAttendanceTiers(
      [...arm('control', [1180, 480, 250, 84, 6]), ...arm('treatment', [1230, 460, 230, 76, 4])],
      ['control', 'treatment'],
    );
    expect(tiers.categories.map((c) => c.category)).toEqual(['satisfactory', 'at-risk', 'moderate', 'severe-or-extreme']);
    expect(tiers.categories[3].label).toBe('Severe or extreme chronic (20% or more)');
    expect(tiers.categories[3].counts.map((n) => n.students)).toEqual([90, 80]);
    expect(tiers.categories[3].counts[0].share).toBeCloseTo(90 / 2000, 12);
    expect(tiers.suppressed).toBe(0);
  });

  it('when "20% or more" is still small it joins moderate as "10% or more"; tiers are never merged below it', () => {
    const tiers = countAttendanceTiers(
      [...arm('control', [150, 40, 20, 5, 1]), ...arm('treatment', [160, 30, 25, 3, 0])],
      ['control', 'treatment'],
    );
    expect(tiers.categories.map((c) => c.category)).toEqual(['satisfactory', 'at-risk', 'chronic']);
    expect(tiers.categories[2].counts.map((n) => n.students)).toEqual([26, 28]);
    // A small at-risk tier is left to suppression (with its complement), not merged.
    const small = countAttendanceTiers(
      [...arm('control', [150, 5, 40, 20, 15]), ...arm('treatment', [160, 30, 25, 12, 11])],
      ['control', 'treatment'],
    );
    expect(small.categories.map((c) => c.category)).toEqual(['satisfactory', 'at-risk', 'moderate', 'severe', 'extreme']);
    expect(small.categories[1].counts[0].students).toBeNull();
    expect(small.suppressed).toBeGreaterThanOrEqual(2);
  });

  it('merged tiers have their own labels; other runs of tiers are not merged', () => {
    expect(attendanceTierGroup(['severe', 'extreme'])).toMatchObject({ tier: 'severe-or-extreme', short: '20% or more' });
    expect(attendanceTierGroup(['moderate', 'severe', 'extreme'])).toMatchObject({ tier: 'chronic', short: '10% or more' });
    expect(attendanceTierGroup(['moderate'])).toMatchObject({ tier: 'moderate', short: '10–19.99%' });
    expect(() => attendanceTierGroup(['at-risk', 'moderate'])).toThrow(RangeError);
    expect(attendanceTierShortLabel('chronic')).toBe('10% or more');
  });
});
