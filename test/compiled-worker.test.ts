import { describe, expect, it } from 'vitest';
import { compiledWorkerUrl } from '../src/compiled-worker.js';

describe('compiledWorkerUrl', () => {
  it('finds a file beside the caller, and nothing where there is none (as for a .js worker under vitest)', () => {
    expect(compiledWorkerUrl('./compiled-worker.test.ts', import.meta.url)?.href).toBe(
      new URL('./compiled-worker.test.ts', import.meta.url).href,
    );
    expect(compiledWorkerUrl('./compiled-worker.test.js', import.meta.url)).toBeUndefined();
  });

  it('starts nothing for a module that is not a file', () => {
    expect(compiledWorkerUrl('./worker.js', 'https://example.org/lib/module.js')).toBeUndefined();
  });
});
