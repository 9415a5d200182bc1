import type { AttendanceStatus } from '../types.js';

/**
 * Status names as SIS exports write them, to our six. Ed-Fi's attendance event category
 * descriptors (`Excused Absence`, `Unexcused Absence`, `Tardy`, `Early departure`,
 * `In Attendance`) are accepted; matching ignores case, spaces, hyphens and underscores.
 */
const STATUS_NAMES: Readonly<Record<string, AttendanceStatus>> = {
  present: 'present', inattendance: 'present', p: 'present',
  absent: 'absent', a: 'absent', absence: 'absent',
  excused: 'excused', excusedabsence: 'excused',
  unexcused: 'unexcused', unexcusedabsence: 'unexcused',
  tardy: 'tardy', late: 'tardy',
  earlydeparture: 'early_departure',
};

export function normalizeStatus(text: string): AttendanceStatus | undefined {
  return STATUS_NAMES[text.toLowerCase().replace(/[\s_-]+/g, '')];
}

/** The fraction of the day a status means when `fraction_absent` is not given. */
export function defaultFractionAbsent(status: AttendanceStatus): number {
  return status === 'absent' || status === 'excused' || status === 'unexcused' ? 1 : 0;
}
