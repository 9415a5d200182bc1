import { describe, it } from 'vitest';
import { checkAgainstStan, referenceCases } from './stan-reference.js';

// The two networks run in stan-reference.slow.test.ts.
const cases = referenceCases(false);

describe('estimateEffect agrees with Stan (test/reference)', () => {
  if (cases.length === 0) it.skip('no reference case has a stan.json yet', () => undefined);
  for (const name of cases) {
    it(`${name}: effect within the spec's tolerances of Stan's posterior`, async () => {
      await checkAgainstStan(name);
    }, 300_000);
  }
});
