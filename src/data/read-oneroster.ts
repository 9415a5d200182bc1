import type { Issue, Validation } from '../errors.js';
import { ValidationError, unwrap } from '../errors.js';
import type { CsvTable } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import { normalizeGrade } from './normalize-grade.js';
import type { OneRosterBundle } from './read-oneroster-bundle.js';
import { openOneRosterBundle } from './read-oneroster-bundle.js';
import { GuardianLinks } from './read-oneroster-households.js';
import type { Roster } from './read-roster.js';
import { validateRoster } from './read-roster.js';
import { optionalColumn, requireColumns } from './require-columns.js';

/**
 * OneRoster 1.1 and 1.2 CSV bundles as a roster. What is read from where:
 *
 * - students: `users.csv` rows whose role is `student` (1.1: the `role` column; 1.2:
 *   `roles.csv`), with `givenName` (or `preferredGivenName`) and `familyName`;
 * - grade: `users.csv` `grades` (CEDS codes: `PK`, `KG`, `01`..`12`), else the grades of
 *   the classes the student is enrolled in (`enrollments.csv`, `classes.csv`);
 * - school: the student's org of type `school` (1.1: `orgSourcedIds`; 1.2: the student
 *   role's `orgSourcedId` in `roles.csv`, the primary one first, then `primaryOrgSourcedId`),
 *   narrowed by the schools of the student's enrollments when there are several or none;
 * - district: the school's `parentSourcedId` chain in `orgs.csv`, up to an org of type
 *   `district`; names from `orgs.csv` `name`;
 * - households and contacts: guardians (`parent`, `guardian`, `relative`) linked by
 *   `agentSourcedIds` on the student's row or on the guardian's, either direction; the
 *   contact is the first guardian by `sourcedId` with an `sms`, `phone` or `email`;
 *   language and mode from the extension columns `metadata.preferredLanguage` (or
 *   `metadata.language`) and `metadata.preferredMode`, the guardian's row first.
 *
 * Rows whose `status` is `tobedeleted` (or 1.0's `inactive`) are ignored, as in the
 * standard's delta processing, and so are links to them. A delta export is refused: it
 * holds only what changed, not the roster. Columns are found by header name, in any order.
 */

export type OneRosterVersion = '1.1' | '1.2';

export interface OneRosterRoster extends Roster {
  readonly version: OneRosterVersion;
}

/** The bundle's tables, read by header name. Only `users` and `orgs` are required. */
export interface OneRosterTables {
  readonly manifest?: CsvTable;
  readonly users: CsvTable;
  readonly orgs: CsvTable;
  readonly roles?: CsvTable;
  readonly enrollments?: CsvTable;
  readonly classes?: CsvTable;
}

const LANGUAGE_COLUMNS = ['metadata.preferredLanguage', 'metadata.language'] as const;
const MODE_COLUMN = 'metadata.preferredMode';
const GUARDIAN_ROLES = new Set(['parent', 'guardian', 'relative']);
/** Statuses of rows a receiver must drop: 1.1/1.2 `tobedeleted`, and 1.0's `inactive`. */
const DELETED = new Set(['tobedeleted', 'inactive']);

/** The columns read from each file; the rest of a (wide) export is never kept. */
const KEEP: Readonly<Record<string, readonly string[]>> = {
  'manifest.csv': ['propertyName', 'value'],
  'users.csv': [
    'sourcedId', 'status', 'role', 'orgSourcedIds', 'primaryOrgSourcedId', 'givenName', 'preferredGivenName', 'familyName',
    'email', 'sms', 'phone', 'agentSourcedIds', 'grades', ...LANGUAGE_COLUMNS, MODE_COLUMN,
  ],
  'orgs.csv': ['sourcedId', 'status', 'name', 'type', 'parentSourcedId'],
  'roles.csv': ['userSourcedId', 'status', 'role', 'roleType', 'orgSourcedId'],
  'enrollments.csv': ['userSourcedId', 'status', 'role', 'schoolSourcedId', 'classSourcedId'],
  'classes.csv': ['sourcedId', 'status', 'grades'],
};

/** Reads a OneRoster folder or zip as a roster; throws ValidationError listing every problem. */
export async function readOneRoster(path: string): Promise<OneRosterRoster & { warnings: readonly Issue[] }> {
  const validation = await validateOneRosterBundle(path);
  return { ...unwrap(validation, `${path} is not a valid OneRoster roster`), warnings: validation.warnings };
}

/** Reads and validates a OneRoster folder or zip, collecting every problem of every file. */
export async function validateOneRosterBundle(path: string): Promise<Validation<OneRosterRoster>> {
  let bundle: OneRosterBundle;
  try {
    bundle = await openOneRosterBundle(path);
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, issues: error.issues, warnings: [] };
    throw error;
  }
  const issues: Issue[] = [];
  const tables: Record<string, CsvTable | undefined> = {};
  for (const [name, { label, source }] of bundle.files) {
    try {
      tables[name] = await readCsv(source, label, KEEP[name]);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      issues.push(...error.issues);
    }
  }
  if (!bundle.files.has('orgs.csv')) issues.push({ file: path, message: 'the bundle has no orgs.csv: schools and districts come from it' });
  if (issues.length > 0 || !tables['users.csv'] || !tables['orgs.csv']) return { ok: false, issues, warnings: [] };
  return validateOneRoster(path, {
    manifest: tables['manifest.csv'],
    users: tables['users.csv'],
    orgs: tables['orgs.csv'],
    roles: tables['roles.csv'],
    enrollments: tables['enrollments.csv'],
    classes: tables['classes.csv'],
  });
}

/** A place in the bundle a roster value came from: where its problems are reported. */
interface Origin {
  readonly file: string;
  readonly row: number;
  readonly column: string;
}

const split = (list: string): string[] =>
  list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');

/**
 * Maps OneRoster tables to roster students and checks them with the same rules as a
 * CSV roster (`validateRoster`); every problem names the file inside the bundle, its
 * row and its column.
 */
export function validateOneRoster(path: string, tables: OneRosterTables): Validation<OneRosterRoster> {
  const { users, orgs } = tables;
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const at = (table: CsvTable, i: number, column: string): Origin => ({ file: table.file, row: table.lines[i], column });
  const fail = (origin: Origin, message: string) => issues.push({ ...origin, message });

  const version = readManifest(tables, issues);
  issues.push(...requireColumns(users, ['sourcedId', 'grades'], 'OneRoster users'), ...requireColumns(orgs, ['sourcedId', 'type'], 'OneRoster orgs'));
  if (tables.roles) issues.push(...requireColumns(tables.roles, ['userSourcedId', 'role', 'orgSourcedId'], 'OneRoster roles'));
  if (!('role' in users.columns) && !tables.roles) {
    issues.push({ file: users.file, row: 1, column: 'role', message: 'users.csv has no role column and the bundle has no roles.csv (OneRoster 1.2): students cannot be told from staff' });
  }
  if (issues.length > 0) return { ok: false, issues, warnings };

  const live = (table: CsvTable) => {
    const status = optionalColumn(table, 'status');
    return (i: number) => !DELETED.has(status[i].toLowerCase());
  };

  // Orgs by id, and each school's district up its parent chain.
  const orgRow = new Map<string, number>();
  const [orgIds, orgTypes, orgNames, orgParents] = ['sourcedId', 'type', 'name', 'parentSourcedId'].map((c) => optionalColumn(orgs, c));
  const orgLive = live(orgs);
  for (let i = 0; i < orgs.rowCount; i++) {
    if (!orgLive(i) || orgIds[i] === '') continue;
    if (orgRow.has(orgIds[i])) fail(at(orgs, i, 'sourcedId'), `duplicate org sourcedId "${orgIds[i]}" (first on row ${orgs.lines[orgRow.get(orgIds[i])!]})`);
    else orgRow.set(orgIds[i], i);
  }
  const typeOf = (org: string) => (orgRow.has(org) ? orgTypes[orgRow.get(org)!].toLowerCase() : undefined);
  const districtOfSchool = new Map<string, string | undefined>();
  const districtOf = (school: string): string | undefined => {
    if (districtOfSchool.has(school)) return districtOfSchool.get(school);
    let org: string | undefined = school;
    const visited = new Set<string>();
    while (org !== undefined && typeOf(org) !== 'district' && !visited.has(org)) {
      visited.add(org);
      const parent: string = orgParents[orgRow.get(org)!] ?? '';
      org = parent !== '' && orgRow.has(parent) ? parent : undefined;
    }
    const district = org !== undefined && typeOf(org) === 'district' ? org : undefined;
    if (district === undefined) {
      const i = orgRow.get(school)!;
      fail(at(orgs, i, 'parentSourcedId'), `school "${school}" has no district above it: its parentSourcedId ("${orgParents[i]}") should name an org of type district`);
    }
    districtOfSchool.set(school, district);
    return district;
  };

  // Users: who is live, their roles (1.1 column, 1.2 roles.csv), and their rows.
  const userIds = users.columns.sourcedId;
  const userLive = live(users);
  const userRow = new Map<string, number>();
  const deletedUsers = new Set<string>();
  for (let i = 0; i < users.rowCount; i++) {
    const id = userIds[i];
    if (id === '') fail(at(users, i, 'sourcedId'), 'blank sourcedId');
    else if (!userLive(i)) deletedUsers.add(id);
    else if (userRow.has(id)) fail(at(users, i, 'sourcedId'), `duplicate sourcedId "${id}" (first on row ${users.lines[userRow.get(id)!]})`);
    else userRow.set(id, i);
  }
  const rolesOf = new Map<string, Set<string>>();
  const addRole = (user: string, role: string) => {
    let set = rolesOf.get(user);
    if (!set) rolesOf.set(user, (set = new Set()));
    set.add(role.toLowerCase());
  };
  const roleColumn = optionalColumn(users, 'role');
  for (const [id, i] of userRow) if (roleColumn[i] !== '') addRole(id, roleColumn[i]);
  const studentOrgs = new Map<string, { org: string; origin: Origin; primary: boolean }[]>();
  const addOrg = (user: string, org: string, origin: Origin, primary: boolean) => {
    let list = studentOrgs.get(user);
    if (!list) studentOrgs.set(user, (list = []));
    list.push({ org, origin, primary });
  };
  if (tables.roles) {
    const roles = tables.roles;
    const roleLive = live(roles);
    const [roleUsers, roleNames, roleTypes, roleOrgs] = ['userSourcedId', 'role', 'roleType', 'orgSourcedId'].map((c) => optionalColumn(roles, c));
    for (let i = 0; i < roles.rowCount; i++) {
      if (!roleLive(i) || !userRow.has(roleUsers[i])) continue;
      addRole(roleUsers[i], roleNames[i]);
      if (roleNames[i].toLowerCase() === 'student' && roleOrgs[i] !== '') addOrg(roleUsers[i], roleOrgs[i], at(roles, i, 'orgSourcedId'), roleTypes[i].toLowerCase() === 'primary');
    }
  }
  const isStudent = (id: string) => rolesOf.get(id)?.has('student') ?? false;
  const isGuardian = (id: string) => [...(rolesOf.get(id) ?? [])].some((role) => GUARDIAN_ROLES.has(role));
  const students = [...userRow.keys()].filter(isStudent);
  const orgSourcedIds = optionalColumn(users, 'orgSourcedIds');
  const primaryOrg = optionalColumn(users, 'primaryOrgSourcedId');
  for (const id of students) {
    const i = userRow.get(id)!;
    for (const org of split(orgSourcedIds[i])) addOrg(id, org, at(users, i, 'orgSourcedIds'), false);
    if (primaryOrg[i] !== '') addOrg(id, primaryOrg[i], at(users, i, 'primaryOrgSourcedId'), true);
  }

  // Enrollments give schools (and, through classes, grades) when users.csv does not settle them.
  const enrolledSchools = new Map<string, { school: string; origin: Origin }[]>();
  const enrolledClasses = new Map<string, string[]>();
  if (tables.enrollments) {
    const enrollments = tables.enrollments;
    const enrollmentLive = live(enrollments);
    const [who, roles, schools, classes] = ['userSourcedId', 'role', 'schoolSourcedId', 'classSourcedId'].map((c) => optionalColumn(enrollments, c));
    for (let i = 0; i < enrollments.rowCount; i++) {
      if (!enrollmentLive(i) || (roles[i] !== '' && roles[i].toLowerCase() !== 'student')) continue;
      if (schools[i] !== '') enrolledSchools.set(who[i], [...(enrolledSchools.get(who[i]) ?? []), { school: schools[i], origin: at(enrollments, i, 'schoolSourcedId') }]);
      if (classes[i] !== '') enrolledClasses.set(who[i], [...(enrolledClasses.get(who[i]) ?? []), classes[i]]);
    }
  }
  const classGrades = new Map<string, { grades: string[]; origin: Origin }>();
  if (tables.classes) {
    const classes = tables.classes;
    const classLive = live(classes);
    const [ids, grades] = ['sourcedId', 'grades'].map((c) => optionalColumn(classes, c));
    for (let i = 0; i < classes.rowCount; i++) if (classLive(i)) classGrades.set(ids[i], { grades: split(grades[i]), origin: at(classes, i, 'grades') });
  }

  // Guardian links, from either side.
  const links = new GuardianLinks();
  const linkOrigin = new Map<string, Origin>();
  const agents = optionalColumn(users, 'agentSourcedIds');
  if (!('agentSourcedIds' in users.columns)) warnings.push({ file: users.file, row: 1, message: 'users.csv has no agentSourcedIds column: every student is a household of one' });
  for (const [id, i] of userRow) {
    const student = isStudent(id);
    if (!student && !isGuardian(id)) continue;
    for (const agent of split(agents[i])) {
      if (deletedUsers.has(agent)) continue;
      const origin = at(users, i, 'agentSourcedIds');
      const known = userRow.has(agent);
      if (student && (!known || (isGuardian(agent) && !isStudent(agent)))) {
        // An unknown agent still links the siblings who name it: households stay whole.
        if (!known) warnings.push({ ...origin, message: `agent "${agent}" is not in users.csv: the link is kept for the household, but there is no contact` });
        links.link(id, agent);
        if (!linkOrigin.has(id)) linkOrigin.set(id, origin);
      } else if (!student && known && isStudent(agent)) {
        links.link(agent, id);
        if (!linkOrigin.has(agent)) linkOrigin.set(agent, origin);
      } else {
        warnings.push({ ...origin, message: `agent "${agent}" is ${known ? 'not a guardian of a student (a parent, guardian or relative)' : 'not in users.csv'}: ignored` });
      }
    }
  }
  const households = links.householdIds(students);

  // The roster table handed to validateRoster: one row per student, on its users.csv line.
  const text = (column: string) => optionalColumn(users, column);
  const [givenNames, preferredNames, familyNames, emails, smss, phones, gradeLists, modes] = [
    'givenName', 'preferredGivenName', 'familyName', 'email', 'sms', 'phone', 'grades', MODE_COLUMN,
  ].map(text);
  const languageColumns = LANGUAGE_COLUMNS.map((column) => ({ column, values: text(column) }));
  const languageOf = (i: number): { value: string; origin: Origin } | undefined => {
    for (const { column, values } of languageColumns) if (values[i] !== '') return { value: values[i], origin: at(users, i, column) };
    return undefined;
  };
  const columns: Record<string, string[]> = Object.fromEntries(ROSTER_TABLE_COLUMNS.map((c) => [c, []]));
  const lines: number[] = [];
  const origins: Partial<Record<string, Origin>>[] = [];
  const schoolsWithoutDistrict = new Set<string>();
  for (const id of students) {
    const i = userRow.get(id)!;
    const before = issues.length;
    const school = chooseSchool(id, studentOrgs.get(id) ?? [], enrolledSchools.get(id) ?? [], typeOf, at(users, i, 'orgSourcedIds' in users.columns ? 'orgSourcedIds' : 'sourcedId'), fail);
    const grade = chooseGrade(gradeLists[i], at(users, i, 'grades'), (enrolledClasses.get(id) ?? []).map((c) => classGrades.get(c)).filter((c) => c !== undefined), fail);
    const district = school && !schoolsWithoutDistrict.has(school.org) ? districtOf(school.org) : undefined;
    if (school && district === undefined) schoolsWithoutDistrict.add(school.org);
    if (issues.length > before || !school || !grade || district === undefined) continue;
    const guardian = links.guardiansOfStudent(id).filter((g) => userRow.has(g)).map((g) => userRow.get(g)!).find((g) => smss[g] !== '' || phones[g] !== '' || emails[g] !== '')
      ?? links.guardiansOfStudent(id).filter((g) => userRow.has(g)).map((g) => userRow.get(g)!)[0];
    const language = (guardian !== undefined ? languageOf(guardian) : undefined) ?? languageOf(i);
    const modeRow = guardian !== undefined && modes[guardian] !== '' ? guardian : i;
    const row: Record<(typeof ROSTER_TABLE_COLUMNS)[number], string> = {
      student_id: id,
      district_id: district,
      school_id: school.org,
      grade: grade.value,
      first_name: preferredNames[i] || givenNames[i],
      last_name: familyNames[i],
      household_id: households.get(id)!,
      caregiver_name: guardian === undefined ? '' : [preferredNames[guardian] || givenNames[guardian], familyNames[guardian]].filter((n) => n !== '').join(' '),
      caregiver_phone: guardian === undefined ? '' : smss[guardian] || phones[guardian],
      caregiver_email: guardian === undefined ? '' : emails[guardian],
      preferred_language: language?.value ?? '',
      preferred_mode: modes[modeRow],
      school_name: orgNames[orgRow.get(school.org)!] ?? '',
      district_name: orgNames[orgRow.get(district)!] ?? '',
    };
    for (const column of ROSTER_TABLE_COLUMNS) columns[column].push(row[column]);
    lines.push(users.lines[i]);
    origins.push({
      student_id: at(users, i, 'sourcedId'),
      school_id: school.origin,
      grade: grade.origin,
      household_id: linkOrigin.get(id) ?? at(users, i, 'agentSourcedIds'),
      preferred_language: language?.origin,
      preferred_mode: at(users, modeRow, MODE_COLUMN),
    });
  }
  if (students.length === 0) issues.push({ file: users.file, row: 2, column: 'role', message: 'users.csv has no students (users whose role is student)' });
  if (lines.length === 0) return { ok: false, issues: inFileOrder(issues), warnings: inFileOrder(warnings) };

  // The students mapped so far get the CSV roster's checks too, so every problem shows at once.
  const table: CsvTable = { file: users.file, header: ROSTER_TABLE_COLUMNS, columns, lines, rowCount: lines.length };
  const validation = validateRoster(table);
  const indexOfLine = new Map(lines.map((line, index) => [line, index]));
  for (const issue of validation.issues) {
    const origin = issue.row === undefined || issue.column === undefined ? undefined : origins[indexOfLine.get(issue.row) ?? -1]?.[issue.column];
    issues.push(origin ? { ...issue, ...origin } : issue);
  }
  warnings.push(...validation.warnings);
  if (issues.length > 0 || !validation.value) return { ok: false, issues: inFileOrder(issues), warnings: inFileOrder(warnings) };
  return { ok: true, value: { file: path, students: validation.value.students, version }, issues: [], warnings: inFileOrder(warnings) };
}

/**
 * Issues by file and row, each once: a guardian's bad value is found once per child, and
 * the bundle's checks and the roster rules find problems in different orders.
 */
function inFileOrder(issues: readonly Issue[]): Issue[] {
  const seen = new Set<string>();
  const unique = issues.filter((issue) => {
    const key = JSON.stringify([issue.file, issue.row, issue.column, issue.message]);
    return !seen.has(key) && Boolean(seen.add(key));
  });
  return unique.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.row ?? 0) - (b.row ?? 0)));
}

/** The roster columns a OneRoster bundle fills (no address or baseline: OneRoster has neither). */
const ROSTER_TABLE_COLUMNS = [
  'student_id', 'district_id', 'school_id', 'grade', 'first_name', 'last_name', 'household_id', 'caregiver_name',
  'caregiver_phone', 'caregiver_email', 'preferred_language', 'preferred_mode', 'school_name', 'district_name',
] as const;

/** The bundle's version from `manifest.csv` (else told by the files), refusing delta exports. */
function readManifest(tables: OneRosterTables, issues: Issue[]): OneRosterVersion {
  const inferred: OneRosterVersion = tables.roles || !('role' in tables.users.columns) ? '1.2' : '1.1';
  const manifest = tables.manifest;
  if (!manifest) return inferred;
  const missing = requireColumns(manifest, ['propertyName', 'value'], 'a OneRoster manifest');
  if (missing.length > 0) {
    issues.push(...missing);
    return inferred;
  }
  let version = inferred;
  for (let i = 0; i < manifest.rowCount; i++) {
    const [property, value] = [manifest.columns.propertyName[i], manifest.columns.value[i]];
    const where = { file: manifest.file, row: manifest.lines[i], column: 'value' };
    if (property === 'oneroster.version') {
      if (/^1\.1(\.|$)/.test(value)) version = '1.1';
      else if (/^1\.2(\.|$)/.test(value)) version = '1.2';
      else issues.push({ ...where, message: `OneRoster version "${value}" is not supported: expected 1.1 or 1.2` });
    }
    const file = /^file\.(users|orgs|roles|enrollments|classes)$/.exec(property)?.[1];
    if (file && value.toLowerCase() === 'delta') {
      issues.push({ ...where, message: `${file}.csv is a delta export (only what changed since the last one): a roster needs a bulk export` });
    }
  }
  return version;
}

type Fail = (origin: Origin, message: string) => void;

/**
 * The student's school: the one school among its orgs (a primary one first), else the one
 * its enrollments name (among its orgs when it has several).
 */
function chooseSchool(
  student: string,
  orgs: readonly { org: string; origin: Origin; primary: boolean }[],
  enrolled: readonly { school: string; origin: Origin }[],
  typeOf: (org: string) => string | undefined,
  where: Origin,
  fail: Fail,
): { org: string; origin: Origin } | undefined {
  const schools = orgs.filter(({ org, origin }) => {
    const type = typeOf(org);
    if (type === undefined) fail(origin, `org "${org}" is not in orgs.csv`);
    return type === 'school';
  });
  const distinct = (list: readonly { org: string }[]) => [...new Set(list.map((s) => s.org))];
  const primary = distinct(schools.filter((s) => s.primary));
  if (primary.length === 1) return schools.find((s) => s.org === primary[0]);
  if (distinct(schools).length === 1) return schools[0];
  const candidates = new Set(distinct(schools));
  const viaEnrollment = enrolled.filter((e) => typeOf(e.school) === 'school' && (candidates.size === 0 || candidates.has(e.school)));
  const enrolledSchools = [...new Set(viaEnrollment.map((e) => e.school))];
  if (enrolledSchools.length === 1) return { org: enrolledSchools[0], origin: viaEnrollment[0].origin };
  const origin = schools[0]?.origin ?? orgs[0]?.origin ?? where;
  if (candidates.size === 0 && enrolledSchools.length === 0) fail(origin, `student "${student}" belongs to no school: none of its orgs (or enrollments) is an org of type school`);
  else fail(origin, `student "${student}" belongs to several schools (${[...(candidates.size > 0 ? candidates : enrolledSchools)].join(', ')}) and its enrollments do not settle on one`);
  return undefined;
}

/**
 * The student's grade: its `grades` in users.csv, else the grades of its classes. Several
 * different grades are refused (a roster has one per student); an unknown code is passed
 * on for validateRoster to name.
 */
function chooseGrade(
  own: string,
  where: Origin,
  classes: readonly { grades: string[]; origin: Origin }[],
  fail: Fail,
): { value: string; origin: Origin } | undefined {
  const pick = (codes: readonly string[], origin: Origin, what: string) => {
    const unknown = codes.find((code) => normalizeGrade(code) === undefined);
    if (unknown !== undefined) return { value: unknown, origin };
    const grades = [...new Set(codes.map((code) => normalizeGrade(code)))];
    if (grades.length === 1) return { value: codes[0], origin };
    fail(origin, `${what} several grades (${grades.join(', ')}): a roster needs one grade per student`);
    return undefined;
  };
  if (split(own).length > 0) return pick(split(own), where, 'grades lists');
  const fromClasses = classes.flatMap((c) => c.grades);
  if (fromClasses.length > 0) return pick(fromClasses, classes.find((c) => c.grades.length > 0)!.origin, "the student's classes give");
  fail(where, 'no grade: grades is blank and no class the student is enrolled in gives one');
  return undefined;
}
