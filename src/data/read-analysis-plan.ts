import { readFile } from 'node:fs/promises';
import { PilotError } from '../errors.js';
import { sha256 } from '../io/hash.js';
import type { AnalysisPlan } from './analysis-plan.js';
import { analysisPlanProblems } from './analysis-plan.js';

/**
 * Reads `analysis-plan.json` and checks every field (`analysisPlanProblems`); returns the
 * plan, its text and the SHA-256 of its bytes (what a manifest records). Refused, naming
 * the file and each problem, when it is missing, not JSON, or not a plan.
 */
export async function readAnalysisPlan(path: string): Promise<{ plan: AnalysisPlan; text: string; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new PilotError(`${path}: cannot read the analysis plan: it does not exist or is not readable`);
  }
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new PilotError(`${path}: the analysis plan is not valid JSON (${(error as Error).message})`);
  }
  const problems = analysisPlanProblems(json);
  if (problems.length > 0)
    throw new PilotError(`${path} is not an analysis plan as \`pilot plan --lock\` writes it: ${problems.join('; ')}`);
  return { plan: json as AnalysisPlan, text, sha256: sha256(bytes) };
}
