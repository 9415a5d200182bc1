import { gradeIndex } from '../data/normalize-grade.js';
import type { Grade } from '../types.js';

/**
 * The synthetic world's daily absence rates. A student's rate is Gamma-distributed around
 * a mean that depends on grade (kindergarten and high school miss more, as national
 * chronic-absence data show) and on the district; the shape sets the heterogeneity
 * between students (smaller = more overdispersed).
 */
export const STUDENT_RATE_SHAPE = 1.6;

/** A stable number in [0, 1) from a label, so a district's character needs no seed. */
function unitHash(label: string): number {
  let h = 2166136261;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

/** Mean daily absence rate for a grade in a district (about 0.04 to 0.11). */
export function meanAbsenceRate(districtId: string, grade: Grade): number {
  const g = gradeIndex(grade);
  const byGrade = g <= 1 ? 0.075 : g <= 7 ? 0.055 : g <= 10 ? 0.065 : 0.085;
  return byGrade * (0.8 + 0.45 * unitHash(districtId));
}
