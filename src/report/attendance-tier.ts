/**
 * Attendance tiers by the share of enrolled days missed, as attendance research and
 * state dashboards use them (chronic absence is missing 10% or more; Attendance Works'
 * tiers): satisfactory below 5%, at risk 5 to 9.99%, moderate chronic 10 to 19.99%,
 * severe chronic 20 to 49.99%, extreme 50% or more.
 */
export const ATTENDANCE_TIERS = [
  { tier: 'satisfactory', label: 'Satisfactory (under 5%)', short: 'Under 5%', from: 0, below: 0.05 },
  { tier: 'at-risk', label: 'At risk (5 to 9.99%)', short: '5–9.99%', from: 0.05, below: 0.1 },
  { tier: 'moderate', label: 'Moderate chronic (10 to 19.99%)', short: '10–19.99%', from: 0.1, below: 0.2 },
  { tier: 'severe', label: 'Severe chronic (20 to 49.99%)', short: '20–49.99%', from: 0.2, below: 0.5 },
  { tier: 'extreme', label: 'Extreme chronic (50% or more)', short: '50% or more', from: 0.5, below: Infinity },
] as const;

/**
 * The top tiers merged when too few students fall in them to show them apart (see
 * `mergeAttendanceTiers`): first severe and extreme ("20% or more"), then every chronic
 * tier ("10% or more", which is chronic absence itself). Never below 10%: a merged tier
 * that mixed chronic and non-chronic students would lose the one line policy counts on.
 */
export const MERGED_ATTENDANCE_TIERS = [
  {
    tier: 'severe-or-extreme',
    label: 'Severe or extreme chronic (20% or more)',
    short: '20% or more',
    from: 0.2,
    below: Infinity,
    merges: ['severe', 'extreme'],
  },
  {
    tier: 'chronic',
    label: 'Chronic (10% or more)',
    short: '10% or more',
    from: 0.1,
    below: Infinity,
    merges: ['moderate', 'severe', 'extreme'],
  },
] as const;

export type AttendanceTier = (typeof ATTENDANCE_TIERS)[number]['tier'];

/** A tier as a report shows it: one of `ATTENDANCE_TIERS`, or one of `MERGED_ATTENDANCE_TIERS`. */
export type ShownAttendanceTier = AttendanceTier | (typeof MERGED_ATTENDANCE_TIERS)[number]['tier'];

/** The first tier a merge may take in: moderate chronic (10%), the chronic absence line. */
export const FIRST_MERGEABLE_TIER = ATTENDANCE_TIERS.findIndex((t) => t.tier === 'moderate');

/**
 * The tier that stands for a run of adjacent tiers merged into one (`tiers` in scale
 * order, ending with "extreme"): a single tier stands for itself.
 *
 * @example
 * attendanceTierGroup(['severe', 'extreme']).short; // '20% or more'
 */
export function attendanceTierGroup(tiers: readonly AttendanceTier[]): {
  readonly tier: ShownAttendanceTier;
  readonly label: string;
  readonly short: string;
} {
  if (tiers.length === 1) return ATTENDANCE_TIERS.find((t) => t.tier === tiers[0])!;
  const merged = MERGED_ATTENDANCE_TIERS.find((m) => m.merges.length === tiers.length && m.merges.every((t, i) => t === tiers[i]));
  if (!merged) throw new RangeError(`attendanceTierGroup: tiers ${tiers.join(', ')} are not merged in reports`);
  return merged;
}

/** The short label of a tier (as the chart's axis shows it), for a tier or a merged tier. */
export function attendanceTierShortLabel(tier: string): string {
  return [...ATTENDANCE_TIERS, ...MERGED_ATTENDANCE_TIERS].find((t) => t.tier === tier)?.short ?? tier;
}

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
