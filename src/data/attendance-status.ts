import type { AttendanceStatus } from '../types.js';

/**
 * Status names as SIS exports write them, to our six. Ed-Fi's attendance event category
 * descriptors (`In Attendance`, `Excused Absence`, `Unexcused Absence`, `Tardy`,
 * `Early departure`) are accepted, bare or as descriptor URIs; matching ignores case,
 * spaces, hyphens and underscores.
 */
const STATUS_NAMES: Readonly<Record<string, AttendanceStatus>> = {
  present: 'present',
  inattendance: 'present',
  p: 'present',
  absent: 'absent',
  a: 'absent',
  absence: 'absent',
  excused: 'excused',
  excusedabsence: 'excused',
  unexcused: 'unexcused',
  unexcusedabsence: 'unexcused',
  tardy: 'tardy',
  late: 'tardy',
  earlydeparture: 'early_departure',
};

/** Ed-Fi's `Partial`: absent for part of the day, the part given by the event's duration. */
const PARTIAL = 'partial';

/**
 * The code of an Ed-Fi descriptor: Ed-Fi 3 and later write descriptors as URIs
 * (`uri://ed-fi.org/AttendanceEventCategoryDescriptor#Excused Absence`), whose code is
 * the part after `#`; any other text is its own code.
 *
 * @example descriptorCode('uri://ed-fi.org/AttendanceEventCategoryDescriptor#Tardy') // 'Tardy'
 */
export function descriptorCode(text: string): string {
  const hash = text.lastIndexOf('#');
  return hash < 0 ? text : text.slice(hash + 1);
}

const key = (text: string) =>
  descriptorCode(text)
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/** One of our six statuses for a status name or descriptor; undefined for anything else (`Partial` included: see `readStatus`). */
export function normalizeStatus(text: string): AttendanceStatus | undefined {
  return STATUS_NAMES[key(text)];
}

/** A status as read: ours, and whether it was Ed-Fi's `Partial` (absent for the part of the day its duration gives). */
export interface StatusRead {
  readonly status: AttendanceStatus;
  readonly partial: boolean;
}

/**
 * Reads a status name, descriptor or descriptor URI, `Partial` included (as `absent`,
 * flagged: its fraction of the day must come from the record). Undefined for anything else.
 */
export function readStatus(text: string): StatusRead | undefined {
  if (key(text) === PARTIAL) return { status: 'absent', partial: true };
  const status = normalizeStatus(text);
  return status === undefined ? undefined : { status, partial: false };
}

/** The fraction of the day a status means when `fraction_absent` is not given. */
export function defaultFractionAbsent(status: AttendanceStatus): number {
  return status === 'absent' || status === 'excused' || status === 'unexcused' ? 1 : 0;
}
