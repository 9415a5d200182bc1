import { existsSync } from 'node:fs';
import { it } from 'vitest';
import { CHROMIUM_PATH } from '../../src/report/write-report-pdf.js';

/**
 * Whether the browser tests can run. Without Debian's Chromium they are skipped on a
 * developer's machine, but in CI (which installs it with scripts/ci-install-chromium.sh)
 * its absence is a failure: a skipped browser test there would hide a broken install.
 */
export const hasChromium = existsSync(CHROMIUM_PATH);

/** Registers a failing test when CI lacks Chromium; call at the top of a browser test file. */
export function requireChromiumInCi(): void {
  if (!hasChromium && process.env.CI) {
    it('CI has Debian\'s Chromium', () => {
      throw new Error(`${CHROMIUM_PATH} is missing in CI: .ci/run must run scripts/ci-install-chromium.sh before the tests`);
    });
  }
}
