import { existsSync } from 'node:fs';
import { it } from 'vitest';
import { CHROMIUM_PATH } from '../../src/report/write-report-pdf.js';
import { hasPdftotext } from './report-layout.js';

/**
 * Whether the browser tests can run. Without Debian's Chromium they are skipped on a
 * developer's machine, but in CI (which installs it with scripts/ci-install-chromium.sh)
 * its absence is a failure: a skipped browser test there would hide a broken install.
 */
export const hasChromium = existsSync(CHROMIUM_PATH);

/**
 * A browser suite's name: on a machine without Chromium (outside CI) the name says why
 * its tests are skipped and how to run them, so the skip is seen in the test output.
 */
export function browserSuite(name: string, needs: { pdftotext?: boolean } = {}): string {
  const missing = [...(hasChromium ? [] : [CHROMIUM_PATH]), ...(needs.pdftotext && !hasPdftotext() ? ['pdftotext (poppler-utils)'] : [])];
  return missing.length === 0
    ? name
    : `${name} [SKIPPED: ${missing.join(' and ')} not installed; bash scripts/ci-install-chromium.sh installs them]`;
}

/** Registers a failing test when CI lacks Chromium; call at the top of a browser test file. */
export function requireChromiumInCi(needs: { pdftotext?: boolean } = {}): void {
  if (!hasChromium && process.env.CI) {
    it("CI has Debian's Chromium", () => {
      throw new Error(`${CHROMIUM_PATH} is missing in CI: .ci/run must run scripts/ci-install-chromium.sh before the tests`);
    });
  }
  if (needs.pdftotext && !hasPdftotext() && process.env.CI) {
    it("CI has pdftotext (Debian's poppler-utils)", () => {
      throw new Error('pdftotext is missing in CI: scripts/ci-install-chromium.sh must install poppler-utils');
    });
  }
  if (!process.env.CI && (!hasChromium || (needs.pdftotext && !hasPdftotext()))) {
    console.warn(
      `browser tests skipped: ${[!hasChromium ? CHROMIUM_PATH : '', needs.pdftotext && !hasPdftotext() ? 'pdftotext' : ''].filter(Boolean).join(' and ')} not installed (bash scripts/ci-install-chromium.sh)`,
    );
  }
}
