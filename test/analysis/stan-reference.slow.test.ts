import { describe, it } from 'vitest';
import { checkAgainstStan, referenceCases } from './stan-reference.js';

// The network cases: 8 districts and 7,512 students in the fit; and 6 districts, one of
// them 35 students, where Stan itself needed adapt_delta 0.95 (its stan.json says so and
// our fit uses the same target). Our fit may refit at a higher target acceptance, as
// `pilot analyze` would (network-8 did, at seed 20261123: 0.8 -> 0.95 -> 0.99), so allow
// for three fits of 4 x 3000 iterations in one thread: up to 25 minutes on a busy machine.
const cases = referenceCases(true);

describe('estimateEffect agrees with Stan on the networks (test/reference)', () => {
  if (cases.length === 0) it.skip('no network case has a stan.json yet', () => undefined);
  for (const name of cases) {
    it(`${name}: effect within the spec's tolerances of Stan's posterior`, async () => {
      await checkAgainstStan(name);
    }, 2_400_000);
  }
});
