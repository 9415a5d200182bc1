/**
 * The shared vocabulary of attendance-pilot. Column names in files follow
 * `docs/data-formats.md` (snake_case); in memory we keep the same names so a
 * table read from disk and a table built in code look alike.
 */

/** A grade after normalization: `PK`, `KG`, or `1`..`12`. */
export type Grade = 'PK' | 'KG' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11' | '12';

/** The grades in school order; the index is used to compare grades. */
export const GRADES: readonly Grade[] = ['PK', 'KG', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'];

/** Contact modes a caregiver can prefer. */
export type MessageMode = 'text' | 'email' | 'robocall' | 'letter';
export const MESSAGE_MODES: readonly MessageMode[] = ['text', 'email', 'robocall', 'letter'];

/** One student of a roster, normalized. Optional fields are `undefined` when blank. */
export interface RosterStudent {
  readonly student_id: string;
  readonly district_id: string;
  readonly school_id: string;
  readonly grade: Grade;
  readonly first_name?: string;
  readonly last_name?: string;
  /** Always set after reading: a student without one is a household of one (`student_id`). */
  readonly household_id: string;
  readonly caregiver_name?: string;
  readonly caregiver_phone?: string;
  readonly caregiver_email?: string;
  readonly caregiver_address?: string;
  /** BCP 47 code, default `en`. */
  readonly preferred_language: string;
  readonly preferred_mode?: MessageMode;
  readonly school_name?: string;
  readonly district_name?: string;
  readonly baseline_absences?: number;
  readonly baseline_days?: number;
}

/** How a student came to be assigned: the first run, or a later `--add-late` run. */
export type AssignedAt = string;

/** One row of `assignments.csv`. */
export interface Assignment {
  readonly student_id: string;
  readonly household_id: string;
  readonly district_id: string;
  readonly school_id: string;
  readonly grade: Grade;
  readonly block: string;
  readonly arm: string;
  /** Probability that this student's household was assigned to `treatment` (or, with
   * more arms, to the arm named in the design's `treatment_arm`). */
  readonly p_treatment: number;
  readonly assigned_at: AssignedAt;
}

/** Attendance statuses after normalization. */
export type AttendanceStatus = 'present' | 'absent' | 'excused' | 'unexcused' | 'tardy' | 'early_departure';

/** One daily attendance record, normalized. */
export interface DailyRecord {
  readonly student_id: string;
  /** ISO `YYYY-MM-DD`. */
  readonly date: string;
  readonly status: AttendanceStatus;
  /** Fraction of the day absent, 0..1, from the status or `fraction_absent`. */
  readonly fraction_absent: number;
}

/** One row of period totals. */
export interface PeriodTotal {
  readonly student_id: string;
  readonly period_start: string;
  readonly period_end: string;
  readonly days_enrolled: number;
  readonly days_absent: number;
}

/** One row of a school calendar; `school_id` undefined means every school. */
export interface CalendarDay {
  readonly date: string;
  readonly school_id?: string;
  readonly instructional: boolean;
}

/** Days enrolled and absent for one student over a window. */
export interface StudentWindowTotals {
  readonly student_id: string;
  readonly days_enrolled: number;
  /** May be fractional (half days); the analysis rounds. */
  readonly days_absent: number;
}

/** A closed date window, ISO dates inclusive. */
export interface DateWindow {
  readonly from: string;
  readonly to: string;
}
