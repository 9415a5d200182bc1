import type { CsvCell } from '../io/write-csv.js';
import { formatCsv } from '../io/write-csv.js';
import type { RosterStudent } from '../types.js';

/** Which rows carry the guardian links: the students', the guardians', or both (the standard allows either). */
export type AgentLinks = 'students' | 'guardians' | 'both';

export interface FormatOneRosterOptions {
  readonly version: '1.1' | '1.2';
  readonly agents?: AgentLinks;
}

/** First calendar year of the school year the classes and enrollments belong to. */
const SCHOOL_YEAR = 2025;

/** OneRoster grade codes (CEDS): `PK`, `KG`, `01`..`12`. */
function cedsGrade(grade: string): string {
  return /^\d+$/.test(grade) ? grade.padStart(2, '0') : grade;
}

/** The 1.1 users.csv header (OneRoster 1.1 CSV Tables), then our two extension columns. */
const USERS_1_1 = [
  'sourcedId',
  'status',
  'dateLastModified',
  'enabledUser',
  'orgSourcedIds',
  'role',
  'username',
  'userIds',
  'givenName',
  'familyName',
  'middleName',
  'identifier',
  'email',
  'sms',
  'phone',
  'agentSourcedIds',
  'grades',
  'password',
];
/** 1.2 moved `role` and `orgSourcedIds` to roles.csv and added preferred names and a primary org (OneRoster 1.2 CSV Binding). */
const USERS_1_2 = [
  'sourcedId',
  'status',
  'dateLastModified',
  'enabledUser',
  'username',
  'userIds',
  'givenName',
  'familyName',
  'middleName',
  'identifier',
  'email',
  'sms',
  'phone',
  'agentSourcedIds',
  'grades',
  'password',
  'userMasterIdentifier',
  'resourceSourcedIds',
  'preferredGivenName',
  'preferredMiddleName',
  'preferredFamilyName',
  'primaryOrgSourcedId',
  'pronouns',
];
/** Extension columns go to the right of the standard ones, as the binding requires. */
const EXTENSIONS = ['metadata.preferredLanguage', 'metadata.preferredMode'];

interface User {
  readonly id: string;
  readonly role: 'student' | 'guardian';
  readonly org: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly email?: string;
  readonly sms?: string;
  readonly agents: readonly string[];
  readonly grade?: string;
  readonly language?: string;
  readonly mode?: string;
}

/**
 * A OneRoster 1.1 or 1.2 bulk CSV bundle holding the students of a roster: orgs (districts
 * and their schools), one school year, a homeroom course and class per school and grade,
 * every student enrolled in its homeroom, and one guardian per household (its
 * `sourcedId` is the household's id, so reading the bundle back gives the same
 * households) with the caregiver's contacts, language and preferred mode. Address and
 * baseline have no place in OneRoster and are left out. Returns file name -> CSV text.
 */
export function formatOneRoster(students: readonly RosterStudent[], options: FormatOneRosterOptions): Record<string, string> {
  const { version } = options;
  const agents = options.agents ?? 'students';
  const year = SCHOOL_YEAR;
  const districts = new Map<string, string>();
  const schools = new Map<string, { name: string; district: string }>();
  const homerooms = new Map<string, { school: string; grade: string }>();
  const households = new Map<string, RosterStudent[]>();
  for (const s of students) {
    districts.set(s.district_id, s.district_name ?? s.district_id);
    schools.set(s.school_id, { name: s.school_name ?? s.school_id, district: s.district_id });
    homerooms.set(`${s.school_id}-HR-${cedsGrade(s.grade)}`, { school: s.school_id, grade: cedsGrade(s.grade) });
    households.set(s.household_id, [...(households.get(s.household_id) ?? []), s]);
  }
  const withGuardian = (s: RosterStudent) =>
    s.caregiver_name !== undefined || s.caregiver_phone !== undefined || s.caregiver_email !== undefined;
  const users: User[] = students.map((s) => ({
    id: s.student_id,
    role: 'student',
    org: s.school_id,
    givenName: s.first_name ?? '',
    familyName: s.last_name ?? '',
    grade: cedsGrade(s.grade),
    agents: agents !== 'guardians' && withGuardian(s) ? [s.household_id] : [],
  }));
  for (const [household, members] of households) {
    const first = members[0];
    if (!withGuardian(first)) continue;
    const [givenName, ...family] = (first.caregiver_name ?? '').split(' ');
    users.push({
      id: household,
      role: 'guardian',
      org: first.district_id,
      givenName,
      familyName: family.join(' '),
      email: first.caregiver_email,
      sms: first.caregiver_phone,
      agents: agents !== 'students' ? members.map((m) => m.student_id) : [],
      language: first.preferred_language,
      mode: first.preferred_mode,
    });
  }
  const session = `SY${year}`;
  const files: Record<string, string> = {
    'manifest.csv': formatCsv(['propertyName', 'value'], manifestRows(version)),
    'orgs.csv': formatCsv(
      ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
      [
        ...[...districts].map(([id, name]) => [id, '', '', name, 'district', id, '']),
        ...[...schools].map(([id, school]) => [id, '', '', school.name, 'school', id, school.district]),
      ],
    ),
    'academicSessions.csv': formatCsv(
      ['sourcedId', 'status', 'dateLastModified', 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'],
      [[session, '', '', `${year}-${year + 1}`, 'schoolYear', `${year}-08-01`, `${year + 1}-07-31`, '', String(year + 1)]],
    ),
    'courses.csv': formatCsv(
      [
        'sourcedId',
        'status',
        'dateLastModified',
        'schoolYearSourcedId',
        'title',
        'courseCode',
        'grades',
        'orgSourcedId',
        'subjects',
        'subjectCodes',
      ],
      [
        ...[...homerooms].map(([id, h]) => [
          `C-${id}`,
          '',
          '',
          session,
          `Homeroom grade ${h.grade}`,
          `HR${h.grade}`,
          h.grade,
          h.school,
          'homeroom',
          '',
        ]),
      ],
    ),
    'classes.csv': formatCsv(
      [
        'sourcedId',
        'status',
        'dateLastModified',
        'title',
        'grades',
        'courseSourcedId',
        'classCode',
        'classType',
        'location',
        'schoolSourcedId',
        'termSourcedIds',
        'subjects',
        'subjectCodes',
        'periods',
      ],
      [...homerooms].map(([id, h]) => [
        id,
        '',
        '',
        `Homeroom ${h.grade}`,
        h.grade,
        `C-${id}`,
        `HR${h.grade}`,
        'homeroom',
        '',
        h.school,
        session,
        'homeroom',
        '',
        '',
      ]),
    ),
    'enrollments.csv': formatCsv(
      [
        'sourcedId',
        'status',
        'dateLastModified',
        'classSourcedId',
        'schoolSourcedId',
        'userSourcedId',
        'role',
        'primary',
        'beginDate',
        'endDate',
      ],
      students.map((s) => [
        `E-${s.student_id}`,
        '',
        '',
        `${s.school_id}-HR-${cedsGrade(s.grade)}`,
        s.school_id,
        s.student_id,
        'student',
        'false',
        '',
        '',
      ]),
    ),
    'users.csv': formatCsv(
      [...(version === '1.1' ? USERS_1_1 : USERS_1_2), ...EXTENSIONS],
      users.map((u) => userRow(u, version)),
    ),
  };
  if (version === '1.2') {
    files['roles.csv'] = formatCsv(
      [
        'sourcedId',
        'status',
        'dateLastModified',
        'userSourcedId',
        'roleType',
        'role',
        'beginDate',
        'endDate',
        'orgSourcedId',
        'userProfileSourcedId',
      ],
      users.map((u) => [`R-${u.id}`, '', '', u.id, 'primary', u.role, '', '', u.org, '']),
    );
  }
  return files;
}

/**
 * The roster as a OneRoster bundle holds it: one guardian per household, so every
 * student has the contacts, language and mode of its household's first student; no
 * address or baseline. Reading `formatOneRoster(students)` back gives exactly this.
 */
export function oneRosterEquivalent(students: readonly RosterStudent[]): RosterStudent[] {
  const first = new Map<string, RosterStudent>();
  for (const s of students) if (!first.has(s.household_id)) first.set(s.household_id, s);
  return students.map((s) => {
    const { caregiver_address: _address, baseline_absences: _absences, baseline_days: _days, ...kept } = s;
    const head = first.get(s.household_id)!;
    return {
      ...kept,
      caregiver_name: head.caregiver_name,
      caregiver_phone: head.caregiver_phone,
      caregiver_email: head.caregiver_email,
      preferred_language: head.preferred_language,
      preferred_mode: head.preferred_mode,
    };
  });
}

function userRow(u: User, version: '1.1' | '1.2'): CsvCell[] {
  const username = u.id.toLowerCase();
  const contact = [u.email, u.sms, ''];
  const extensions = [u.language, u.mode];
  if (version === '1.1') {
    return [
      u.id,
      '',
      '',
      'true',
      u.org,
      u.role,
      username,
      '',
      u.givenName,
      u.familyName,
      '',
      u.id,
      ...contact,
      u.agents.join(','),
      u.grade,
      '',
      ...extensions,
    ];
  }
  return [
    u.id,
    '',
    '',
    'true',
    username,
    '',
    u.givenName,
    u.familyName,
    '',
    u.id,
    ...contact,
    u.agents.join(','),
    u.grade,
    '',
    '',
    '',
    '',
    '',
    '',
    u.org,
    '',
    ...extensions,
  ];
}

/** manifest.csv: a bulk export of the files we write; the rest marked absent. */
function manifestRows(version: '1.1' | '1.2'): string[][] {
  const bulk = ['academicSessions', 'classes', 'courses', 'enrollments', 'orgs', 'users', ...(version === '1.2' ? ['roles'] : [])];
  const absent = [
    'categories',
    'classResources',
    'courseResources',
    'demographics',
    'lineItems',
    'resources',
    'results',
    ...(version === '1.2' ? ['userProfiles'] : []),
  ];
  return [
    ['manifest.version', '1.0'],
    ['oneroster.version', version],
    ...[...bulk, ...absent].sort().map((name) => [`file.${name}`, bulk.includes(name) ? 'bulk' : 'absent']),
    ['source.systemName', 'attendance-pilot simulator'],
    ['source.systemCode', 'attendance-pilot'],
  ];
}
