import { describe, it } from 'vitest';
import { checkAgainstStan, referenceCases } from './stan-reference.js';

const cases = referenceCases().filter((name) => name === 'network-8');

describe('estimateEffect agrees with Stan on the 8-district network (test/reference)', () => {
  if (cases.length === 0) it.skip('network-8 has no stan.json yet', () => undefined);
  for (const name of cases) {
    it(`${name}: effect within the spec's tolerances of Stan's posterior`, async () => {
      await checkAgainstStan(name);
    }, 1_200_000);
  }
});
