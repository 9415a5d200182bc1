/**
 * The plan's approximation against the full fit (docs/validation.md, "Planning"): on
 * small simulated studies, where a normal approximation is at its worst, every study is
 * also fitted by `estimateEffect` (4 chains, 1000 + 1000, refits as `pilot analyze`) and
 * the two certainties and decisions compared. Brute force: the plan's power at each
 * effect is also counted from the NUTS decisions of the same studies.
 */
import { describe, expect, it } from 'vitest';
import { planDesignFromSizes } from '../../src/planning/plan-design-from-sizes.js';
import { planStudy } from '../../src/planning/plan-study.js';
import { createRng } from '../../src/random.js';

const CASES = [
  { name: 'one district, 400 students', students: 400, districts: 1 },
  { name: '3 districts, 1,200 students', students: 1200, districts: 3 },
];

describe('the plan approximation against full NUTS fits', () => {
  it.each(CASES)(
    '$name: 40 studies at effects 0 and 0.1',
    async ({ students, districts }) => {
      const design = planDesignFromSizes(createRng(`validation-${students}`), { students, districts, windowDays: 40 });
      const plan = await planStudy(design, { seed: 17, effects: [0.1], simulations: 20, check: 40 });
      const check = plan.check!;
      const nutsPower = (effect: number, key: 'low' | 'high', min: number) =>
        check.rows.filter((r) => r.effect === effect && r[`nuts_${key}`] >= min).length / 20;
      const approxPower = (effect: number, key: 'low' | 'high', min: number) =>
        check.rows.filter((r) => r.effect === effect && r[`approximate_${key}`] >= min).length / 20;
      console.log(
        JSON.stringify({
          students,
          districts,
          studies: check.studies,
          mean_difference: [check.mean_difference_low, check.mean_difference_high].map((v) => +v.toFixed(4)),
          max_difference: [check.max_difference_low, check.max_difference_high].map((v) => +v.toFixed(4)),
          decisions_agree: [check.decisions_agree_low, check.decisions_agree_high],
          flagged: check.flagged,
          power_low_at_0_and_0_1: {
            approximate: [approxPower(0, 'low', 0.8), approxPower(0.1, 'low', 0.8)],
            nuts: [nutsPower(0, 'low', 0.8), nutsPower(0.1, 'low', 0.8)],
          },
          power_high_at_0_and_0_1: {
            approximate: [approxPower(0, 'high', 0.9), approxPower(0.1, 'high', 0.9)],
            nuts: [nutsPower(0, 'high', 0.9), nutsPower(0.1, 'high', 0.9)],
          },
        }),
      );
      expect(check.studies).toBe(40);
      // NUTS' own Monte Carlo error on a certainty is about 0.01 (4,000 draws).
      expect(check.mean_difference_low).toBeLessThan(0.015);
      expect(check.mean_difference_high).toBeLessThan(0.015);
      expect(check.max_difference_low).toBeLessThan(0.05);
      expect(check.max_difference_high).toBeLessThan(0.05);
      expect(check.decisions_agree_low).toBeGreaterThanOrEqual(37);
      expect(check.decisions_agree_high).toBeGreaterThanOrEqual(37);
    },
    1_800_000,
  );
});
