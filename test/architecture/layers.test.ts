import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, findLayerViolations, readSourceFiles } from './layers.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

describe('the layers of src/', () => {
  const files = readSourceFiles(SRC);

  it('reads the imports of every source file', () => {
    // A sanity check on the reader: a known file with known imports (type imports count).
    const table = files.find((f) => f.file === 'data/build-model-table.ts');
    expect(table?.imports).toContain('data/model-table.ts');
    expect(files.find((f) => f.file === 'cli/commands/report.ts')?.imports).toContain('report/write-report.ts'); // a dynamic import
    expect(files.length).toBeGreaterThan(150);
  });

  it('every import points from a higher layer down, or within a folder', () => {
    expect(findLayerViolations(files), 'imports that climb or cross between capabilities').toEqual([]);
  });

  it('no import cycles', () => {
    expect(findCycles(files), 'files that import each other, directly or around a loop').toEqual([]);
  });
});

describe('the layer checker', () => {
  it('flags an import that climbs, one that crosses between capabilities, and an unknown folder', () => {
    const problems = findLayerViolations([
      { file: 'data/build-model-table.ts', imports: ['analysis/model-table.ts', 'io/read-csv.ts', 'types.ts'] },
      { file: 'messages/read-inputs.ts', imports: ['assignment/assignment-files.ts', 'data/read-roster.ts'] },
      { file: 'cli/commands/assign.ts', imports: ['study/read-study-data.ts', 'assignment/assign-study.ts'] },
      { file: 'extras/thing.ts', imports: [] },
    ]);
    expect(problems).toEqual([
      'data/build-model-table.ts -> analysis/model-table.ts: upward (data is below analysis)',
      'messages/read-inputs.ts -> assignment/assignment-files.ts: sideways (messages and assignment are capabilities side by side)',
      'extras/thing.ts: extras is in no layer (add it to LAYERS in test/architecture/layers.ts)',
    ]);
  });

  it('finds the cycle demo -> run -> commands/index -> demo and leaves a chain alone', () => {
    const cycles = findCycles([
      { file: 'cli/commands/demo.ts', imports: ['cli/run.ts'] },
      { file: 'cli/run.ts', imports: ['cli/commands/index.ts'] },
      { file: 'cli/commands/index.ts', imports: ['cli/commands/demo.ts', 'cli/commands/assign.ts'] },
      { file: 'cli/commands/assign.ts', imports: ['assignment/assign-study.ts'] },
      { file: 'assignment/assign-study.ts', imports: [] },
    ]);
    expect(cycles).toEqual([['cli/commands/demo.ts', 'cli/commands/index.ts', 'cli/run.ts']]);
  });
});
