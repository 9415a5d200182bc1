import type { StudyStudent } from './report-study.js';
import { SUPPRESSION_THRESHOLD } from './suppress-small-cells.js';

/**
 * The raw share of enrolled days missed in the outcome window by the control arm and by
 * every other arm together, over students enrolled at least a day: what the charts of
 * absences show before any adjustment. Null when either side has fewer than ten
 * students (its rate would describe a small group).
 *
 * @example
 * rawAbsenceRates(students, ['control', 'treatment']) // { control: 0.061, treated: 0.064 }
 */
export function rawAbsenceRates(
  students: readonly StudyStudent[],
  arms: readonly string[],
): { readonly control: number; readonly treated: number } | null {
  const [controlArm] = arms;
  const sums = { control: { n: 0, absent: 0, enrolled: 0 }, treated: { n: 0, absent: 0, enrolled: 0 } };
  for (const s of students) {
    if (s.outcome.days_enrolled <= 0 || !arms.includes(s.arm)) continue;
    const side = s.arm === controlArm ? sums.control : sums.treated;
    side.n++;
    side.absent += s.outcome.days_absent;
    side.enrolled += s.outcome.days_enrolled;
  }
  if (sums.control.n < SUPPRESSION_THRESHOLD || sums.treated.n < SUPPRESSION_THRESHOLD) return null;
  return { control: sums.control.absent / sums.control.enrolled, treated: sums.treated.absent / sums.treated.enrolled };
}
