import { join } from 'node:path';

/** The shipped fixtures folder (a simulated 3-district, 1,500-student network). */
export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** The fixtures' study files, as `readStudyData` and `readModelTableFromStudy` take them. */
export const FIXTURE_STUDY = {
  roster: join(FIXTURES, 'roster.csv'),
  assignments: join(FIXTURES, 'study', 'assignments.csv'),
  attendance: join(FIXTURES, 'attendance.csv.gz'),
  calendar: join(FIXTURES, 'calendar.csv'),
} as const;
