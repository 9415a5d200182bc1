import type { WindowTotals } from '../../src/data/read-window-totals.js';
import type { MessageListInput } from '../../src/messages/build-message-list.js';
import type { MessageSettings } from '../../src/messages/read-message-settings.js';
import { parseMessageSettings } from '../../src/messages/read-message-settings.js';
import type { Assignment, RosterStudent } from '../../src/types.js';

/** A hand-made school of six students, four treated, with absences chosen to hit every template. */
export const TINY_STUDENTS: RosterStudent[] = [
  student('S1', 'H1', 'Ana', 'en', { caregiver_name: 'Rosa Díaz' }),
  student('S2', 'H2', 'Luis', 'es'),
  student('S3', 'H3', 'Maya', 'en'),
  student('S4', 'H4', 'Sofía', 'es'),
  student('S5', 'H5', 'Cal', 'en'),
  student('S6', 'H6', 'Dee', 'en'),
];

/** Days absent in the window: S1 and S2 get the 2+ templates, S3 and S4 thank-you (0 and 1). */
export const TINY_ABSENCES: Record<string, number> = { S1: 3, S2: 2.5, S3: 0, S4: 1, S5: 4, S6: 1.5 };

export const TINY_ARMS: Record<string, string> = {
  S1: 'treatment',
  S2: 'treatment',
  S3: 'treatment',
  S4: 'treatment',
  S5: 'control',
  S6: 'control',
};

export const TINY_SETTINGS: MessageSettings = parseMessageSettings(
  {
    defaults: { sender_name: 'Ms. Rivera', sender_role: 'Attendance Coordinator', school_phone: '(555) 010-2000' },
    schools: { ELM: { school_name: 'Elm Elementary' } },
  },
  'settings.json',
);

export function student(id: string, household: string, first: string, language: string, extra: Partial<RosterStudent> = {}): RosterStudent {
  return {
    student_id: id,
    district_id: 'D1',
    school_id: 'ELM',
    grade: '3',
    household_id: household,
    first_name: first,
    last_name: 'Lopez',
    caregiver_phone: `(555) 010-000${id.slice(1)}`,
    caregiver_email: `family${id.slice(1)}@example.org`,
    caregiver_address: `${id.slice(1)} Main St, Elm, ST 00001`,
    preferred_language: language,
    preferred_mode: 'text',
    school_name: 'Elm School (roster)',
    district_name: 'Elm County Schools',
    ...extra,
  };
}

export function assignmentsFor(students: readonly RosterStudent[], arms: Record<string, string>): Assignment[] {
  return students
    .filter((s) => arms[s.student_id] !== undefined)
    .map((s) => ({
      student_id: s.student_id,
      household_id: s.household_id,
      district_id: s.district_id,
      school_id: s.school_id,
      grade: s.grade,
      block: 'b',
      arm: arms[s.student_id],
      p_treatment: 0.5,
      assigned_at: 'initial',
    }));
}

export function totalsFor(absences: Record<string, number>, enrolled = 20): WindowTotals {
  return new Map(Object.entries(absences).map(([id, days]) => [id, { days_enrolled: enrolled, days_absent: days }]));
}

/** The tiny study as buildMessageList input; `kind` picks the window. */
export function tinyInput(kind: 'initial' | 'recurring', overrides: Partial<MessageListInput> = {}): MessageListInput {
  const window = kind === 'initial' ? { from: '2025-08-18', to: '2025-09-12' } : { from: '2025-09-13', to: '2025-10-17' };
  return {
    students: TINY_STUDENTS,
    assignments: assignmentsFor(TINY_STUDENTS, TINY_ARMS),
    controlArm: 'control',
    kind,
    asOf: window.to,
    window,
    totals: totalsFor(TINY_ABSENCES),
    settings: TINY_SETTINGS,
    ...overrides,
  };
}
