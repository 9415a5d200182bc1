import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisResult } from '../analysis/analysis-result.js';
import type { Issue } from '../errors.js';
import { PilotError, ValidationError } from '../errors.js';

/** `analysis.json` itself, or the folder `pilot analyze --out` wrote it into. */
export async function resolveAnalysisPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => {
    throw new PilotError(`${path}: no such file or folder (give analysis.json or the folder \`pilot analyze --out\` wrote)`);
  });
  return info.isDirectory() ? join(path, 'analysis.json') : path;
}

const SUMMARY = ['mean', 'sd', 'median', 'q025', 'q05', 'q95', 'q975'] as const;

/** Every place the object lacks a field a report shows, as issues naming the field. */
function checkAnalysis(value: unknown, file: string): Issue[] {
  const issues: Issue[] = [];
  const at = (path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
  const need = (path: string, ok: (v: unknown) => boolean, what: string) => {
    if (!ok(at(path))) issues.push({ file, column: path, message: `must be ${what}, got ${JSON.stringify(at(path)) ?? 'nothing'}` });
  };
  const number = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const probability = (v: unknown) => number(v) && (v as number) >= 0 && (v as number) <= 1;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return [{ file, message: 'is not a JSON object (is it the analysis.json of `pilot analyze`?)' }];
  need('version', (v) => typeof v === 'string', 'a version string');
  need('seed', number, 'a number');
  need('method', (v) => v === 'nuts' || v === 'laplace', '"nuts" or "laplace"');
  for (const summary of ['effect', 'effect_parameter', 'days_avoided.per_treated_student', 'days_avoided.per_100_treated']) {
    for (const key of SUMMARY) need(`${summary}.${key}`, number, 'a number');
  }
  need('certainty.0', probability, 'a probability');
  need('decision.effort', (v) => v === 'low' || v === 'high', '"low" or "high"');
  for (const level of ['low', 'high']) {
    need(`decision.rules.${level}.certainty`, probability, 'a probability');
    need(`decision.rules.${level}.met`, (v) => typeof v === 'boolean', 'true or false');
  }
  need('districts', (v) => Array.isArray(v) && v.length > 0, 'a list of districts');
  const districts = at('districts');
  if (Array.isArray(districts)) {
    districts.forEach((_, i) => {
      need(`districts.${i}.district`, (v) => typeof v === 'string', 'a district id');
      for (const key of ['n_treatment', 'n_control']) need(`districts.${i}.${key}`, number, 'a number');
      for (const key of SUMMARY) need(`districts.${i}.effect.${key}`, number, 'a number');
      need(`districts.${i}.certainty.0`, probability, 'a probability');
      // A district report shows the district's own days not missed, never the network's in their place.
      for (const days of ['per_treated_student', 'per_100_treated'])
        for (const key of SUMMARY) need(`districts.${i}.days_avoided.${days}.${key}`, number, 'a number');
    });
  }
  for (const key of ['rhat_max', 'ess_bulk_min', 'ess_tail_min', 'ess_bulk_effect', 'divergences', 'adapt_delta'])
    need(`diagnostics.${key}`, number, 'a number');
  need('diagnostics.flagged', (v) => typeof v === 'boolean', 'true or false');
  need('diagnostics.refits', Array.isArray, 'a list');
  need('diagnostics.warnings', Array.isArray, 'a list');
  need('model.network', (v) => typeof v === 'boolean', 'true or false');
  need('model.baseline', (v) => v === 'all' || v === 'partial' || v === 'none', '"all", "partial" or "none"');
  need('model.priors', (v) => v !== null && typeof v === 'object', 'the priors');
  for (const key of [
    'n',
    'n_blocks',
    'n_districts',
    'chains',
    'warmup',
    'draws',
    'rounded_half_days',
    'attrition.treatment',
    'attrition.control',
  ])
    need(`model.${key}`, number, 'a number');
  return issues;
}

/**
 * Reads a finished `pilot analyze` result: `analysis.json`, or the folder holding it.
 * Every missing or malformed field a report needs is reported at once, by name.
 */
export async function readAnalysisResult(path: string): Promise<{ analysis: AnalysisResult; file: string }> {
  const file = await resolveAnalysisPath(path);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new PilotError(`${file}: cannot be read (run \`pilot analyze\` first, or give its analysis.json)`);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError([{ file, message: `is not valid JSON (${(error as Error).message})` }], `${file} cannot be reported on`);
  }
  const issues = checkAnalysis(value, file);
  if (issues.length > 0) throw new ValidationError(issues, `${file} is not a complete analysis result`);
  return { analysis: value as AnalysisResult, file };
}
