import { describe, it } from 'vitest';
import { checkAgainstStan, referenceCases } from './stan-reference.js';

// The two networks take 1-2 minutes each on one core (chains run in this thread under
// vitest): they run in stan-reference.slow.test.ts.
const SLOW_REFERENCE_CASES = new Set(['network-8', 'network-small-district']);
const cases = referenceCases().filter((name) => !SLOW_REFERENCE_CASES.has(name));

describe('estimateEffect agrees with Stan (test/reference)', () => {
  if (cases.length === 0) it.skip('no reference case has a stan.json yet', () => undefined);
  for (const name of cases) {
    it(`${name}: effect within the spec's tolerances of Stan's posterior`, async () => {
      await checkAgainstStan(name);
    }, 300_000);
  }
});
