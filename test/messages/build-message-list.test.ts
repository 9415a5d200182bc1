import { describe, expect, it } from 'vitest';
import { assignBlocked } from '../../src/assignment/assign-blocked.js';
import { normalizeDesign } from '../../src/assignment/design.js';
import { SchoolCalendar } from '../../src/data/read-calendar.js';
import { ValidationError } from '../../src/errors.js';
import { buildMessageList } from '../../src/messages/build-message-list.js';
import { countUpcomingDays } from '../../src/messages/count-upcoming-days.js';
import { findSharedContacts } from '../../src/messages/find-shared-contacts.js';
import { parseMessageSettings } from '../../src/messages/read-message-settings.js';
import { createRng } from '../../src/random.js';
import { simulateRoster } from '../../src/simulate/simulate-roster.js';
import { assignmentsFor, student, TINY_ARMS, TINY_STUDENTS, tinyInput, totalsFor } from './tiny-study.js';

describe('buildMessageList never messages control', () => {
  it('keeps every control student out and every treated student in the list or on the skip list, over 40 random assignments', () => {
    const roster = simulateRoster({ students: 240, districts: 2 }, createRng(5));
    const settings = parseMessageSettings({ defaults: { school_phone: '(555) 010-9999' } }, 'settings.json');
    for (let seed = 1; seed <= 40; seed++) {
      const arms = seed % 4 === 0 ? ['control', 'texts', 'letters'] : undefined;
      const run = assignBlocked(roster, normalizeDesign({ arms }), seed);
      const rng = createRng(`absences-${seed}`);
      const totals = totalsFor(
        Object.fromEntries(roster.filter(() => rng() > 0.05).map((s) => [s.student_id, Math.floor(rng() * 6) / (rng() < 0.2 ? 2 : 1)])),
      );
      const kind = seed % 2 === 0 ? 'initial' : 'recurring';
      const list = buildMessageList(
        {
          students: roster,
          assignments: run.assignments,
          controlArm: 'control',
          kind,
          asOf: '2025-10-17',
          window: { from: '2025-09-13', to: '2025-10-17' },
          totals,
          settings,
        },
        { per: seed % 3 === 0 ? 'household' : 'student', specialCircumstances: seed % 5 === 0 },
      );
      const armOf = new Map(run.assignments.map((a) => [a.student_id, a.arm]));
      const messaged = list.messages.flatMap((m) => m.student_id.split(';'));
      expect(messaged.filter((id) => armOf.get(id) === 'control')).toEqual([]);
      const treated = run.assignments
        .filter((a) => a.arm !== 'control')
        .map((a) => a.student_id)
        .sort();
      expect([...messaged, ...list.skipped.map((s) => s.student_id)].sort()).toEqual(treated);
      expect(list.controlExcluded).toBe(run.assignments.length - treated.length);
      // Placeholders are always filled: no `{name}` survives in any message.
      expect(list.messages.filter((m) => /[{}]/.test(m.message))).toEqual([]);
    }
  });
});

describe('buildMessageList skip list', () => {
  it('lists each treated student it cannot message with the reason, and never drops one silently', () => {
    const students = [
      student('S1', 'H1', 'Ana', 'en'),
      student('S2', 'H2', 'Luis', 'en', { caregiver_phone: undefined }),
      student('S3', 'H3', 'Maya', 'en', { preferred_mode: undefined }),
      student('S4', 'H4', 'Sofía', 'es', { first_name: undefined }),
      student('S5', 'H5', 'Cal', 'en'),
      student('S6', 'H6', 'Dee', 'en'),
      student('S7', 'H7', 'Eve', 'en', { preferred_mode: 'letter', caregiver_address: undefined }),
    ];
    const arms = { S1: 'treatment', S2: 'treatment', S3: 'treatment', S4: 'treatment', S5: 'treatment', S7: 'treatment', S9: 'treatment' };
    const assignments = [...assignmentsFor(students, arms), { ...assignmentsFor([student('S9', 'H9', 'Gone', 'en')], arms)[0] }];
    const totals = totalsFor({ S1: 2, S2: 0, S3: 1, S4: 3, S6: 0, S7: 2 });
    const list = buildMessageList({ ...tinyInput('initial'), students, assignments, totals });
    expect(list.messages.map((m) => m.student_id)).toEqual(['S1']);
    expect(list.skipped.map((s) => [s.student_id, s.reason, s.detail])).toEqual([
      ['S2', 'no_contact', 'no caregiver_phone for mode text'],
      ['S3', 'no_mode', 'no preferred_mode and no --mode'],
      ['S4', 'no_first_name', 'no first_name to address the message with'],
      ['S5', 'no_attendance', 'no attendance records in the window (not enrolled in it)'],
      ['S6', 'not_assigned', 'in the roster but not in the assignment (enrolled later? run `pilot assign --add-late`)'],
      ['S7', 'no_contact', 'no caregiver_address for mode letter'],
      ['S9', 'not_in_roster', 'treated in the assignment but not in the roster, so there is no contact (withdrawn?)'],
    ]);
  });

  it('uses --mode over preferred_mode, so a caregiver without that contact is skipped', () => {
    const students = TINY_STUDENTS.map((s) => (s.student_id === 'S3' ? { ...s, caregiver_email: undefined } : s));
    const list = buildMessageList({ ...tinyInput('initial'), students }, { mode: 'email' });
    expect(list.messages.map((m) => [m.student_id, m.mode, m.recipient])).toEqual([
      ['S1', 'email', 'family1@example.org'],
      ['S2', 'email', 'family2@example.org'],
      ['S4', 'email', 'family4@example.org'],
    ]);
    expect(list.skipped.map((s) => [s.student_id, s.reason])).toEqual([['S3', 'no_contact']]);
  });
});

describe('buildMessageList values', () => {
  it('fills messages.csv values: goal for initial, the school average for recurring, SMS segments for texts', () => {
    const initial = buildMessageList(tinyInput('initial'));
    expect(
      initial.messages.map((m) => [m.student_id, m.template, m.absences, m.goal_days, m.average_absences, m.sms_segments, m.sms_encoding]),
    ).toEqual([
      ['S1', 'initial', '3', '1', '', 2, 'GSM-7'],
      ['S2', 'initial', '2.5', '1', '', 3, 'UCS-2'],
      ['S3', 'thank_you', '0', '', '', 2, 'GSM-7'],
      ['S4', 'thank_you', '1', '', '', 3, 'UCS-2'],
    ]);
    const recurring = buildMessageList(tinyInput('recurring'), { compare: 'district' });
    expect(recurring.messages[0]).toMatchObject({
      template: 'recurring',
      average_absences: '2',
      period_start: '2025-09-13',
      period_end: '2025-10-17',
    });
    expect(recurring.messages[0].message).toContain('students in Elm County Schools missed 2 days on average');
  });

  it('takes the goal from the calendar: the coming 4 weeks of instructional days, and a fixed goal when asked', () => {
    // A calendar marking every day from 09-13 to 10-10 instructional: 28 days, where weekdays alone give 20.
    const days = [];
    for (let d = 13; d <= 30; d++) days.push({ date: `2025-09-${d}`, instructional: true });
    for (let d = 1; d <= 10; d++) days.push({ date: `2025-10-${String(d).padStart(2, '0')}`, instructional: true });
    const calendar = new SchoolCalendar(days);
    expect(countUpcomingDays('2025-09-12', { calendar })).toBe(28);
    expect(countUpcomingDays('2025-09-12')).toBe(20);
    expect(countUpcomingDays('2025-09-12', { calendar, weeks: 8 })).toBe(28);
    const goals = (options = {}) =>
      buildMessageList({ ...tinyInput('initial'), calendar }, { goalWeeks: 8, ...options }).messages[0].goal_days;
    expect(goals()).toBe('1'); // 28 days: 1/28 = 3.6% < 5%, 2/28 = 7.1%
    expect(goals({ goalRate: 0.1 })).toBe('2'); // 2/28 = 7.1% < 10%
    expect(goals({ goalDays: 3 })).toBe('3');
  });

  it('writes in English for a language without templates, and says so', () => {
    const students = TINY_STUDENTS.map((s) => (s.student_id === 'S1' ? { ...s, preferred_language: 'vi' } : s));
    const list = buildMessageList({ ...tinyInput('initial'), students });
    expect(list.messages[0]).toMatchObject({ student_id: 'S1', language: 'en' });
    expect(list.warnings).toContain(
      '1 message(s) for caregivers who prefer "vi" are in English: there are no built-in vi templates; add custom ones in the settings file',
    );
  });
});

describe('custom templates', () => {
  const settingsWith = (template: object) =>
    parseMessageSettings({ defaults: { school_phone: '(555) 010-2000', templates: [template] } }, 'settings.json');

  it('replace the built-in template for their kind, language and mode', () => {
    const settings = settingsWith({
      name: 'short-thanks',
      kind: 'thank_you',
      language: 'en',
      mode: 'text',
      body: 'Thanks, {caregiver_name}? No: thanks {student_name}! {absences} absences. {{braces}}',
    });
    const students = TINY_STUDENTS.map((s) => ({ ...s, caregiver_name: 'Pat' }));
    const list = buildMessageList({ ...tinyInput('initial'), students, settings });
    expect(list.messages.find((m) => m.student_id === 'S3')).toMatchObject({
      template: 'short-thanks',
      message: 'Thanks, Pat? No: thanks Maya! 0 absences. {braces}',
      sms_segments: 1,
    });
    expect(list.messages.find((m) => m.student_id === 'S4')!.template).toBe('thank_you'); // Spanish: built-in
  });

  it('stop at reading when a template uses an unknown placeholder, naming the template', () => {
    expect(() => settingsWith({ name: 'oops', kind: 'initial', language: 'en', body: 'Hi {student_nmae}, call {phone}' })).toThrow(
      ValidationError,
    );
    try {
      settingsWith({ name: 'oops', kind: 'initial', language: 'en', body: 'Hi {student_nmae}, call {phone}' });
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.message)).toEqual([
        'template "oops": unknown placeholder {student_nmae}',
        'template "oops": unknown placeholder {phone}',
      ]);
    }
    expect(() => settingsWith({ name: 'bad-kind', kind: 'weekly', language: 'en', body: 'x' })).toThrow(
      /"kind" must be one of initial, recurring, thank_you/,
    );
  });

  it('stop the list when a value is missing, naming the template and every student', () => {
    const settings = settingsWith({
      name: 'formal',
      kind: 'initial',
      language: 'en',
      body: 'Dear {caregiver_name}: {student_name} missed {days_missed}.',
    });
    const students = [
      ...TINY_STUDENTS.slice(0, 4),
      student('S7', 'H7', 'Eve', 'en', { caregiver_name: undefined }),
      student('S8', 'H8', 'Fay', 'en', { caregiver_name: undefined }),
    ];
    const absences = totalsFor({ S1: 3, S2: 3, S3: 0, S4: 0, S7: 2, S8: 5 });
    const input = {
      ...tinyInput('initial'),
      students,
      totals: absences,
      assignments: assignmentsFor(students, { ...TINY_ARMS, S7: 'treatment', S8: 'treatment' }),
      settings,
    };
    expect(() => buildMessageList(input)).toThrow(ValidationError);
    try {
      buildMessageList(input);
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { file: 'settings.json', message: 'template formal (custom, en text): no value for {caregiver_name} for 2 message(s): S7, S8' },
      ]);
    }
  });

  it('stop a household list when a per-student value differs between siblings', () => {
    const settings = settingsWith({ name: 'count', kind: 'initial', language: 'en', body: '{student_name}: {absences} days.' });
    const students = TINY_STUDENTS.map((s) => (s.student_id === 'S5' ? { ...s, household_id: 'H1' } : s));
    const input = { ...tinyInput('initial'), students, settings, assignments: assignmentsFor(students, { ...TINY_ARMS, S5: 'treatment' }) };
    expect(() => buildMessageList(input, { per: 'household' })).toThrow(
      /template count \(custom, en text\): no value for \{absences\} for 1 message\(s\): S1\+S5/,
    );
  });
});

describe('findSharedContacts', () => {
  it('reports a phone or email shared by households in different arms, however it is written', () => {
    const students = [
      student('S1', 'H1', 'Ana', 'en', { caregiver_phone: '(555) 010-1234', caregiver_email: 'Pat@Example.org' }),
      student('S2', 'H2', 'Bo', 'en', { caregiver_phone: '+1 555.010.1234', caregiver_email: 'x@example.org' }),
      student('S3', 'H3', 'Cy', 'en', { caregiver_phone: '555 010 9999', caregiver_email: 'pat@example.org' }),
      student('S4', 'H4', 'Di', 'en', { caregiver_phone: '555 010 9999', caregiver_email: 'y@example.org' }),
    ];
    const arms = new Map([
      ['S1', 'treatment'],
      ['S2', 'control'],
      ['S3', 'control'],
      ['S4', 'control'],
    ]);
    expect(findSharedContacts(students, arms)).toEqual([
      { contact_type: 'email', contact: 'pat@example.org', households: ['H1', 'H3'], arms: ['control', 'treatment'] },
      { contact_type: 'phone', contact: '5550101234', households: ['H1', 'H2'], arms: ['control', 'treatment'] },
    ]);
  });

  it("takes a household's arm from its last student listed, and ignores students without an arm", () => {
    const phone = { caregiver_phone: '555 010 7777', caregiver_email: 'same@example.org' };
    // Siblings split across arms (a design without clustering): H1 ends in control, as H2 is.
    const students = [
      student('S1', 'H1', 'Ana', 'en', phone),
      student('S2', 'H1', 'Bo', 'en', phone),
      student('S3', 'H2', 'Cy', 'en', phone),
      student('S4', 'H3', 'Di', 'en', phone),
    ];
    const arms = new Map([
      ['S1', 'treatment'],
      ['S2', 'control'],
      ['S3', 'control'],
    ]);
    expect(findSharedContacts(students, arms)).toEqual([]);
    arms.set('S2', 'treatment');
    expect(findSharedContacts(students, arms)).toEqual([
      { contact_type: 'email', contact: 'same@example.org', households: ['H1', 'H2'], arms: ['control', 'treatment'] },
      { contact_type: 'phone', contact: '5550107777', households: ['H1', 'H2'], arms: ['control', 'treatment'] },
    ]);
  });
});
