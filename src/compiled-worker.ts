import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The URL of a compiled worker module beside the calling module, or undefined where there
 * is none to start. In dist/ every worker sits beside its caller as a .js file; run from the
 * TypeScript sources (vitest) there is none, and callers do the same work in their own
 * thread, by the same code and with the same result.
 */
export function compiledWorkerUrl(fileName: string, callerUrl: string): URL | undefined {
  const url = new URL(fileName, callerUrl);
  return url.protocol === 'file:' && existsSync(fileURLToPath(url)) ? url : undefined;
}
