import type { Grade } from '../types.js';
import { GRADES } from '../types.js';

const ALIASES: Readonly<Record<string, Grade>> = {
  PK: 'PK',
  PREK: 'PK',
  'PRE-K': 'PK',
  P: 'PK',
  KG: 'KG',
  K: 'KG',
  '0': 'KG',
  '00': 'KG',
  KINDERGARTEN: 'KG',
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

/**
 * The grade codes of the OneRoster 1.1/1.2 CSV binding (CEDS "Grade Level", element
 * 000100) that lie outside the study's grades: infant/toddler, preschool, transitional
 * kindergarten, grade 13, postsecondary, ungraded and other. A PowerSchool OneRoster
 * export writes `IT`, `PS` and `Other`; districts with TK classes write `TK`.
 */
export const GRADES_OUTSIDE_STUDY = ['IT', 'PR', 'TK', '13', 'PS', 'UG', 'Other'] as const;

/** Every standard OneRoster/CEDS grade code: `IT`, `PR`, `PK`, `TK`, `KG`, `01`..`13`, `PS`, `UG`, `Other`. */
export const STANDARD_GRADE_CODES: readonly string[] = [
  'IT',
  'PR',
  'PK',
  'TK',
  'KG',
  ...Array.from({ length: 13 }, (_, i) => String(i + 1).padStart(2, '0')),
  'PS',
  'UG',
  'Other',
];

/** A grade code placed: a grade of the study, or a standard code the study leaves out. */
export type ClassifiedGrade = { readonly grade: Grade } | { readonly outside: string };

/**
 * Places a grade code: one of the study's grades (`normalizeGrade`), else a standard
 * code outside them (returned in its standard spelling, `Other` whatever its case),
 * else undefined (not a grade code at all).
 *
 * @example classifyGrade('03') // { grade: '3' }
 * @example classifyGrade('tk') // { outside: 'TK' }
 * @example classifyGrade('G3') // undefined
 */
export function classifyGrade(code: string): ClassifiedGrade | undefined {
  const grade = normalizeGrade(code);
  if (grade) return { grade };
  const upper = code.trim().toUpperCase();
  const outside = GRADES_OUTSIDE_STUDY.find((standard) => standard.toUpperCase() === upper);
  return outside === undefined ? undefined : { outside };
}

/** Position in school order (PK = 0, KG = 1, 1 = 2, ...), for "lowest grade" rules. */
export function gradeIndex(grade: Grade): number {
  return GRADES.indexOf(grade);
}
