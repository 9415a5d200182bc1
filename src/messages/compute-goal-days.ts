import { UsageError } from '../errors.js';

export interface GoalOptions {
  /** Attendance counts as satisfactory while absences stay under this share (default 0.05). */
  readonly rate?: number;
  /** The goal is never lower than this (default 1: a goal of zero reads as a reprimand). */
  readonly minimum?: number;
}

/**
 * The goal for the next month: the most days a student can miss in the coming
 * `upcomingDays` instructional days and still be under `rate` absent (5% is the usual
 * line for satisfactory attendance, half the 10% that defines chronic absence), at least
 * `minimum`. "Under" is strict: 20 days allow 0 at 5% (1/20 is not under 5%), so the
 * minimum of 1 applies; 41 days allow 2.
 *
 * @example computeGoalDays(20) // 1
 * @example computeGoalDays(60) // 2
 */
export function computeGoalDays(upcomingDays: number, options: GoalOptions = {}): number {
  const rate = options.rate ?? 0.05;
  const minimum = options.minimum ?? 1;
  if (!(upcomingDays >= 0) || !Number.isInteger(upcomingDays))
    throw new UsageError('computeGoalDays', `upcomingDays must be a whole number >= 0, got ${upcomingDays}`);
  if (!(rate > 0 && rate < 1)) throw new UsageError('computeGoalDays', `rate must be between 0 and 1, got ${rate}`);
  // The largest whole g with g < rate * days; the epsilon keeps 0.05 * 20 from passing as 1.0000001.
  const most = Math.ceil(rate * upcomingDays - 1e-9) - 1;
  return Math.max(minimum, most);
}
