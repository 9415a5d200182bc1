import { describe, expect, it } from 'vitest';
import { binomialTestPValue } from './calibration.js';

// The calibration suites (calibration-*.slow.test.ts) judge coverage with this test, so it
// is checked here, in the fast suite, against R 4 (`binom.test(k, n, p)$p.value`).
describe('binomialTestPValue', () => {
  it('matches R binom.test for coverage counts out of 100 at p = 0.9', () => {
    expect(binomialTestPValue(90, 100, 0.9)).toBeCloseTo(1, 12);
    expect(binomialTestPValue(84, 100, 0.9)).toBeCloseTo(0.06360161, 7);
    expect(binomialTestPValue(81, 100, 0.9)).toBeCloseTo(0.006525639, 8);
    expect(binomialTestPValue(80, 100, 0.9)).toBeCloseTo(0.002300249, 8);
    expect(binomialTestPValue(95, 100, 0.9)).toBeCloseTo(0.1301499, 6);
    expect(binomialTestPValue(97, 100, 0.9)).toBeCloseTo(0.01784377, 7);
  });

  it('matches R binom.test for one-tail misses at p = 0.05 and for 200 trials', () => {
    expect(binomialTestPValue(2, 100, 0.05)).toBeCloseTo(0.2462235, 6);
    expect(binomialTestPValue(12, 100, 0.05)).toBeCloseTo(0.004274182, 8);
    expect(binomialTestPValue(170, 200, 0.9)).toBeCloseTo(0.02439782, 7);
  });
});
