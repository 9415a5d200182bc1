import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import { readCsv } from '../io/read-csv.js';

/** A block-probabilities file: each block's probability of treatment, and the line it is on. */
export interface BlockProbabilities {
  readonly file: string;
  readonly sha256: string;
  readonly byBlock: ReadonlyMap<string, { readonly p_treatment: number; readonly row: number }>;
}

/**
 * Reads the probability of treatment per block for an imported assignment
 * (`pilot assign --import ... --block-p FILE`): columns `block` and `prob_treatment` (or
 * `p_treatment`), one row per block. Each probability must lie strictly between 0 and 1,
 * and a block may be listed once. Every bad row is reported at once.
 */
export async function readBlockProbabilities(path: string): Promise<BlockProbabilities> {
  const table = await readCsv({ path }, path);
  const pColumn = ['prob_treatment', 'p_treatment'].find((name) => name in table.columns);
  const issues: Issue[] = [];
  if (!('block' in table.columns) || pColumn === undefined) {
    issues.push({
      file: path,
      row: 1,
      column: 'block' in table.columns ? 'prob_treatment' : 'block',
      message: `a block-probabilities file needs the columns "block" and "prob_treatment" (the header has: ${table.header.join(', ')})`,
    });
    throw new ValidationError(issues, `${path} is not a block-probabilities file`);
  }
  const byBlock = new Map<string, { p_treatment: number; row: number }>();
  for (let i = 0; i < table.rowCount; i++) {
    const row = table.lines[i];
    const block = table.columns.block[i];
    const text = table.columns[pColumn][i];
    const p = Number(text);
    if (block === '') issues.push({ file: path, row, column: 'block', message: 'blank block' });
    else if (byBlock.has(block))
      issues.push({
        file: path,
        row,
        column: 'block',
        message: `block "${block}" is listed twice (first on row ${byBlock.get(block)!.row})`,
      });
    if (text === '' || !(p > 0 && p < 1))
      issues.push({ file: path, row, column: pColumn, message: `"${text}" is not a probability strictly between 0 and 1` });
    else if (block !== '' && !byBlock.has(block)) byBlock.set(block, { p_treatment: p, row });
  }
  if (issues.length > 0) throw new ValidationError(issues, `${path} is not a valid block-probabilities file`);
  return { file: path, sha256: table.sha256!, byBlock };
}
