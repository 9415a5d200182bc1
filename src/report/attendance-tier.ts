/**
 * Attendance tiers by the share of enrolled days missed, as attendance research and
 * state dashboards use them (chronic absence is missing 10% or more; Attendance Works'
 * tiers): satisfactory below 5%, at risk 5 to 9.99%, moderate chronic 10 to 19.99%,
 * severe chronic 20 to 49.99%, extreme 50% or more.
 */
export const ATTENDANCE_TIERS = [
  { tier: 'satisfactory', label: 'Satisfactory (under 5%)', from: 0, below: 0.05 },
  { tier: 'at-risk', label: 'At risk (5 to 9.99%)', from: 0.05, below: 0.1 },
  { tier: 'moderate', label: 'Moderate chronic (10 to 19.99%)', from: 0.1, below: 0.2 },
  { tier: 'severe', label: 'Severe chronic (20 to 49.99%)', from: 0.2, below: 0.5 },
  { tier: 'extreme', label: 'Extreme chronic (50% or more)', from: 0.5, below: Infinity },
] as const;

export type AttendanceTier = (typeof ATTENDANCE_TIERS)[number]['tier'];

/**
 * The tier of a student who missed `daysAbsent` of `daysEnrolled` days.
 *
 * @example
 * attendanceTier(9, 180); // 'at-risk' (5.0%)
 * attendanceTier(18, 180); // 'moderate' (exactly 10%)
 */
export function attendanceTier(daysAbsent: number, daysEnrolled: number): AttendanceTier {
  if (!(daysEnrolled > 0)) throw new RangeError(`attendanceTier: days enrolled must be > 0, got ${daysEnrolled}`);
  const rate = daysAbsent / daysEnrolled;
  // Compare in basis points rounded to 1e-9 so 18/180 lands in "moderate", not below it.
  const r = Math.round(rate * 1e9) / 1e9;
  return ATTENDANCE_TIERS.find((t) => r >= t.from && r < t.below)!.tier;
}
