import { compareStudentIds } from '../data/compare-student-ids.js';
import type { Rng } from '../random.js';
import { randomGamma, randomInt, randomNormal } from '../random.js';
import type { AttendanceStatus, CalendarDay, RosterStudent } from '../types.js';
import { meanAbsenceRate, STUDENT_RATE_SHAPE } from './absence-rates.js';

export interface SimulateAttendanceOptions {
  /** True percent reduction in absences for students in any arm but control (0.024 = 2.4%). */
  readonly effect: number;
  /** Per-district true effects, overriding `effect` for the districts named. */
  readonly districtEffects?: Readonly<Record<string, number>>;
  /** The arm that gets no message; every other arm is treated. */
  readonly controlArm?: string;
  /**
   * The treated students whose caregivers received the messages (the compliers, e.g.
   * `simulateSendLog(...).received`): when given, the effect applies to them only, so
   * `effect` is the complier effect and the assignment effect is smaller by the share
   * reached. Without it every treated student gets the effect.
   */
  readonly received?: ReadonlySet<string>;
}

/** One simulated daily record. `fraction_absent` is set only for half days. */
export interface SimulatedRecord {
  readonly student_id: string;
  readonly date: string;
  readonly status: AttendanceStatus;
  readonly fraction_absent?: number;
}

/**
 * A student's absence rate this year given last year's record: the Gamma prior of the
 * synthetic world updated by the baseline (gamma-Poisson conjugacy), times a year-to-year
 * drift. This keeps outcomes correlated with the baseline as in real data.
 */
function currentRate(student: RosterStudent, rng: Rng): number {
  const mean = meanAbsenceRate(student.district_id, student.grade);
  const absences = student.baseline_absences ?? 0;
  const days = student.baseline_days ?? 0;
  const rate = randomGamma(rng, STUDENT_RATE_SHAPE + absences) / (STUDENT_RATE_SHAPE / mean + days);
  return Math.min(0.9, rate * Math.exp(0.25 * randomNormal(rng) - 0.03));
}

/** The days a simulated year has records for: the instructional days of every school, in order. */
export function simulatedSchoolDays(calendar: readonly CalendarDay[]): string[] {
  return calendar.filter((d) => d.instructional && d.school_id === undefined).map((d) => d.date);
}

/**
 * Simulates one school year of daily attendance after assignment, with a known true
 * effect: each treated student's daily absence probability is multiplied by
 * (1 - effect), so expected absences fall by exactly that share (with `received`, only
 * the treated students reached are: a known complier effect). Records go to `emit`
 * one at a time, student by student, so millions of rows never sit in memory.
 *
 * The mix is realistic: excused and unexcused absences, some half days (early
 * departures counted as half absent), tardies, winter months a little worse, and a few
 * students who enroll late, leave early, or never attend (attrition).
 */
export function simulateAttendance(
  students: readonly RosterStudent[],
  armOf: ReadonlyMap<string, string>,
  calendar: readonly CalendarDay[],
  options: SimulateAttendanceOptions,
  rng: Rng,
  emit: (record: SimulatedRecord) => void,
): void {
  const control = options.controlArm ?? 'control';
  // The arms apply from the first of these days: `pilot simulate attendance` records it in the manifest.
  const days = simulatedSchoolDays(calendar);
  const season = days.map((date) => 1 + 0.15 * Math.cos(((Number(date.slice(5, 7)) - 1) / 12) * 2 * Math.PI));
  const sorted = [...students].sort(compareStudentIds);
  for (const student of sorted) {
    const arm = armOf.get(student.student_id);
    const effect = options.districtEffects?.[student.district_id] ?? options.effect;
    const treated = arm !== undefined && arm !== control && (options.received?.has(student.student_id) ?? true);
    const multiplier = treated ? 1 - effect : 1;
    const rate = currentRate(student, rng) * multiplier;
    const enrollment = rng();
    if (enrollment < 0.003) continue; // never attended: 0 days enrolled
    const start = enrollment < 0.033 ? randomInt(rng, Math.floor(days.length / 2)) : 0;
    const end = enrollment > 0.98 ? days.length - randomInt(rng, Math.floor(days.length / 2)) : days.length;
    for (let d = start; d < end; d++) {
      const date = days[d];
      if (rng() < Math.min(0.95, rate * season[d])) {
        const kind = rng();
        if (kind < 0.03) emit({ student_id: student.student_id, date, status: 'early_departure', fraction_absent: 0.5 });
        else emit({ student_id: student.student_id, date, status: kind < 0.58 ? 'excused' : 'unexcused' });
      } else {
        emit({ student_id: student.student_id, date, status: rng() < 0.03 ? 'tardy' : 'present' });
      }
    }
  }
}
