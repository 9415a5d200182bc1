import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { MODEL_TABLE_COLUMNS } from '../../src/data/model-table.js';
import { formatCsvObjects } from '../../src/io/write-csv.js';
import { createRng } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';
import { tempDir } from '../helpers/temp-dir.js';

async function tableFile(dir: string): Promise<string> {
  const { table } = simulateModelTable(createRng('cli'), { districts: 1, studentsPerDistrict: 300 });
  const path = join(dir, 'model_input.csv');
  await writeFile(path, formatCsvObjects([...MODEL_TABLE_COLUMNS], table));
  return path;
}

describe('pilot analyze', () => {
  it('writes analysis.json and draws.csv and prints a short summary', async () => {
    const dir = await tempDir();
    const table = await tableFile(dir);
    const io = memoryIo();
    const code = await run(
      ['analyze', '--table', table, '--out', join(dir, 'out'), '--seed', '5', '--warmup', '200', '--draws-per-chain', '150', '--draws-csv'],
      io,
    );
    expect(io.err.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const result = JSON.parse(await readFile(join(dir, 'out', 'analysis.json'), 'utf8'));
    expect(result.seed).toBe(5);
    expect(result.inputs.table).toMatch(/^[0-9a-f]{64}$/);
    expect(result.model.draws).toBe(150);
    const draws = (await readFile(join(dir, 'out', 'draws.csv'), 'utf8')).trim().split('\n');
    expect(draws[0]).toMatch(/^chain,iteration,alpha\[/);
    expect(draws).toHaveLength(1 + 4 * 150);
    const text = io.out.join('\n');
    expect(text).toMatch(/^Effect of sending the messages: /);
    expect(text).toMatch(/Certainty: P\(effect > 0\) = /);
    expect(text).toMatch(/Decision \(low effort\)/);
    expect(text).toMatch(/Seed 5/);
  });

  it('--json prints the summary as JSON; a generated seed is printed', async () => {
    const dir = await tempDir();
    const table = await tableFile(dir);
    const io = memoryIo();
    expect(await run(['analyze', '--table', table, '--out', dir, '--method', 'laplace', '--json'], io)).toBe(0);
    const summary = JSON.parse(io.out.join('\n'));
    expect(summary.approximate).toBe(true);
    expect(Number.isInteger(summary.seed)).toBe(true);
  });

  it('refuses a bad table, naming rows and columns, and writes nothing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'model_input.csv');
    await writeFile(path, 'student_id,y,e,treat,block,district\nS1,x,40,1,B1,D1\nS2,1,40,3,B1,D1\n');
    const io = memoryIo();
    expect(await run(['analyze', '--table', path, '--out', join(dir, 'out'), '--seed', '1'], io)).toBe(1);
    const message = io.err.join('\n');
    expect(message).toMatch(/row 2, column y/);
    expect(message).toMatch(/row 3, column treat/);
    await expect(readFile(join(dir, 'out', 'analysis.json'))).rejects.toThrow();
  });
});
