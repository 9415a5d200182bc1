import type { BalanceRow } from '../assignment/balance.js';
import type { DateWindow } from '../types.js';

/** Days enrolled and absent over a window (absences may be fractional). */
export interface DayTotals {
  readonly days_enrolled: number;
  readonly days_absent: number;
}

/**
 * One randomized student as a report sees them: district, arm and attendance totals, and
 * deliberately no id or name, so nothing downstream can print one.
 */
export interface StudyStudent {
  readonly district: string;
  readonly arm: string;
  /** The outcome window; enrolled 0 when the student has no records in it (attrition). */
  readonly outcome: DayTotals;
  /** One entry per period of `ReportStudy.periods`; undefined when not enrolled in it. */
  readonly periods: readonly (DayTotals | undefined)[];
  /** The baseline the analysis uses (last year, or the baseline window), when the student has one. */
  readonly baseline?: DayTotals;
}

/** A labelled period of the outcome window (a month or a week) for the chart over time. */
export interface StudyPeriod extends DateWindow {
  readonly label: string;
}

/**
 * Everything a report draws from the study's own data, besides the analysis (named apart
 * from the data layer's `StudyData`, which holds ids and names and never reaches a report).
 */
export interface ReportStudy {
  readonly window: DateWindow;
  readonly periods: readonly StudyPeriod[];
  /** Arm names, control first. */
  readonly arms: readonly string[];
  readonly controlArm: string;
  readonly students: readonly StudyStudent[];
  /** Baseline balance (computeBalance) of the whole study and of each district. */
  readonly balance: { readonly all: readonly BalanceRow[]; readonly byDistrict: Readonly<Record<string, readonly BalanceRow[]>> };
  /** Display names of districts, from the roster's `district_name` where given. */
  readonly districtNames: Readonly<Record<string, string>>;
  /** SHA-256 of each input file, by role. */
  readonly inputs: Readonly<Record<string, string>>;
}
