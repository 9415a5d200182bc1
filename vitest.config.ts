import { defineConfig } from 'vitest/config';

// The default run: everything except the slow statistical suites (`*.slow.test.ts`),
// which `npm run test:slow` runs and CI runs as a separate step.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.slow.test.ts', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
