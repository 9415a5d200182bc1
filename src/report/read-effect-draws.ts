import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import { readCsv } from '../io/read-csv.js';
import { isEffectQuantity } from './effect-draws.js';

/**
 * Reads the effect's posterior draws from a `draws.csv` written by `pilot analyze
 * --draws-csv` (columns `chain`, `iteration`, then every quantity): the `effect` column
 * and each `effect[<district>]`, chains concatenated. Other columns are not kept.
 */
export async function readEffectDraws(path: string): Promise<Record<string, number[]>> {
  const table = await readCsv({ path }, path);
  const wanted = table.header.filter(isEffectQuantity);
  if (!wanted.includes('effect'))
    throw new ValidationError(
      [{ file: path, row: 1, column: 'effect', message: 'draws.csv has no "effect" column' }],
      `${path} has no effect draws`,
    );
  const draws: Record<string, number[]> = {};
  const issues: Issue[] = [];
  for (const name of wanted) {
    const values = table.columns[name].map((text) => (text.trim() === '' ? NaN : Number(text)));
    values.forEach((v, i) => {
      if (!Number.isFinite(v) && issues.length < 100)
        issues.push({ file: path, row: table.lines[i], column: name, message: `"${table.columns[name][i]}" is not a number` });
    });
    draws[name] = values;
  }
  if (issues.length > 0) throw new ValidationError(issues, `${path} has draws that are not numbers`);
  return draws;
}
