import type { Grade } from '../types.js';
import { GRADES } from '../types.js';

const ALIASES: Readonly<Record<string, Grade>> = {
  PK: 'PK', PREK: 'PK', 'PRE-K': 'PK', P: 'PK',
  KG: 'KG', K: 'KG', '0': 'KG', '00': 'KG', KINDERGARTEN: 'KG',
};

/**
 * Normalizes a grade code as data-formats.md lists them: `PK`; `KG` (also `K`, `0`);
 * `1`..`12` (also `01`..`12`). Returns undefined for anything else.
 *
 * @example normalizeGrade('01') // '1'
 * @example normalizeGrade('k')  // 'KG'
 */
export function normalizeGrade(code: string): Grade | undefined {
  const upper = code.trim().toUpperCase();
  const alias = ALIASES[upper];
  if (alias) return alias;
  if (/^\d{1,2}$/.test(upper)) {
    const n = Number(upper);
    if (n >= 1 && n <= 12) return String(n) as Grade;
  }
  return undefined;
}

/** Position in school order (PK = 0, KG = 1, 1 = 2, ...), for "lowest grade" rules. */
export function gradeIndex(grade: Grade): number {
  return GRADES.indexOf(grade);
}
