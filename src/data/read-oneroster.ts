import type { Issue, Validation } from '../errors.js';
import { ValidationError, unwrap } from '../errors.js';
import type { CsvTable } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import type { OneRosterBundle } from './read-oneroster-bundle.js';
import { openOneRosterBundle } from './read-oneroster-bundle.js';
import type { EnrollmentIndex } from './read-oneroster-enrollments.js';
import { indexEnrollments } from './read-oneroster-enrollments.js';
import type { Households } from './read-oneroster-households.js';
import { linkGuardians } from './read-oneroster-households.js';
import type { OneRosterVersion } from './read-oneroster-manifest.js';
import { readManifest } from './read-oneroster-manifest.js';
import type { OrgIndex } from './read-oneroster-orgs.js';
import { indexOrgs } from './read-oneroster-orgs.js';
import { chooseGrade, chooseSchool } from './read-oneroster-placement.js';
import type { Fail, OneRosterTables, Origin } from './read-oneroster-tables.js';
import { originOf } from './read-oneroster-tables.js';
import type { UserIndex } from './read-oneroster-users.js';
import { indexUsers } from './read-oneroster-users.js';
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

export interface OneRosterRoster extends Roster {
  readonly version: OneRosterVersion;
}

const LANGUAGE_COLUMNS = ['metadata.preferredLanguage', 'metadata.language'] as const;
const MODE_COLUMN = 'metadata.preferredMode';

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
  const validation = validateOneRoster(path, {
    manifest: tables['manifest.csv'],
    users: tables['users.csv'],
    orgs: tables['orgs.csv'],
    roles: tables['roles.csv'],
    enrollments: tables['enrollments.csv'],
    classes: tables['classes.csv'],
  });
  return validation.value && bundle.sha256 ? { ...validation, value: { ...validation.value, sha256: bundle.sha256 } } : validation;
}

/**
 * Maps OneRoster tables to roster students and checks them with the same rules as a
 * CSV roster (`validateRoster`); every problem names the file inside the bundle, its
 * row and its column, and all are reported at once.
 */
export function validateOneRoster(path: string, tables: OneRosterTables): Validation<OneRosterRoster> {
  const { users, orgs } = tables;
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const fail: Fail = (origin, message) => issues.push({ ...origin, message });
  const version = readManifest(tables, issues);
  issues.push(...requireColumns(users, ['sourcedId', 'grades'], 'OneRoster users'), ...requireColumns(orgs, ['sourcedId', 'type'], 'OneRoster orgs'));
  if (tables.roles) issues.push(...requireColumns(tables.roles, ['userSourcedId', 'role', 'orgSourcedId'], 'OneRoster roles'));
  if (!('role' in users.columns) && !tables.roles) {
    issues.push({ file: users.file, row: 1, column: 'role', message: 'users.csv has no role column and the bundle has no roles.csv (OneRoster 1.2): students cannot be told from staff' });
  }
  if (issues.length > 0) return { ok: false, issues, warnings };

  const userIndex = indexUsers(users, tables.roles, fail);
  const mapped = mapStudents(users, indexOrgs(orgs, fail), userIndex, indexEnrollments(tables.enrollments, tables.classes), linkGuardians(users, userIndex, warnings), fail);
  if (userIndex.students.length === 0) issues.push({ file: users.file, row: 2, column: 'role', message: 'users.csv has no students (users whose role is student)' });
  if (mapped.table.rowCount === 0) return { ok: false, issues: inFileOrder(issues), warnings: inFileOrder(warnings) };

  // The students mapped so far get the CSV roster's checks too, each problem moved to
  // where its value came from in the bundle.
  const validation = validateRoster(mapped.table);
  const indexOfLine = new Map(mapped.table.lines.map((line, index) => [line, index]));
  for (const issue of validation.issues) {
    const origin = issue.row === undefined || issue.column === undefined ? undefined : mapped.origins[indexOfLine.get(issue.row) ?? -1]?.[issue.column];
    issues.push(origin ? { ...issue, ...origin } : issue);
  }
  warnings.push(...validation.warnings);
  if (issues.length > 0 || !validation.value) return { ok: false, issues: inFileOrder(issues), warnings: inFileOrder(warnings) };
  return { ok: true, value: { file: path, students: validation.value.students, version }, issues: [], warnings: inFileOrder(warnings) };
}

/** The roster columns a OneRoster bundle fills (no address or baseline: OneRoster has neither). */
const ROSTER_TABLE_COLUMNS = [
  'student_id', 'district_id', 'school_id', 'grade', 'first_name', 'last_name', 'household_id', 'caregiver_name',
  'caregiver_phone', 'caregiver_email', 'preferred_language', 'preferred_mode', 'school_name', 'district_name',
] as const;

/**
 * One roster row per student that could be placed (a school, its district, one grade),
 * on the student's users.csv line, with where each checked value came from.
 */
function mapStudents(users: CsvTable, orgs: OrgIndex, index: UserIndex, enrollments: EnrollmentIndex, households: Households, fail: Fail) {
  const text = (column: string) => optionalColumn(users, column);
  const [givenNames, preferredNames, familyNames, emails, smss, phones, gradeLists, modes] = [
    'givenName', 'preferredGivenName', 'familyName', 'email', 'sms', 'phone', 'grades', MODE_COLUMN,
  ].map(text);
  const languageColumns = LANGUAGE_COLUMNS.map((column) => ({ column, values: text(column) }));
  const languageOf = (i: number): { value: string; origin: Origin } | undefined => {
    for (const { column, values } of languageColumns) if (values[i] !== '') return { value: values[i], origin: originOf(users, i, column) };
    return undefined;
  };
  const hasContact = (g: number) => smss[g] !== '' || phones[g] !== '' || emails[g] !== '';
  const householdOf = households.links.householdIds(index.students);
  const columns: Record<string, string[]> = Object.fromEntries(ROSTER_TABLE_COLUMNS.map((c) => [c, []]));
  const lines: number[] = [];
  const origins: Partial<Record<string, Origin>>[] = [];
  const noOrg = 'orgSourcedIds' in users.columns ? 'orgSourcedIds' : 'sourcedId';
  for (const id of index.students) {
    const i = index.rowOf.get(id)!;
    const school = chooseSchool(id, index.studentOrgs.get(id) ?? [], enrollments, orgs, originOf(users, i, noOrg), fail);
    const grade = chooseGrade(gradeLists[i], originOf(users, i, 'grades'), enrollments.classGradesOf(id), fail);
    const district = school ? orgs.districtOf(school.value) : undefined;
    if (!school || !grade || district === undefined) continue;
    // The contact: the first guardian by id who has one, else the first guardian.
    const guardians = households.links.guardiansOfStudent(id).filter((g) => index.rowOf.has(g)).map((g) => index.rowOf.get(g)!);
    const guardian = guardians.find(hasContact) ?? guardians[0];
    const language = (guardian !== undefined ? languageOf(guardian) : undefined) ?? languageOf(i);
    const modeRow = guardian !== undefined && modes[guardian] !== '' ? guardian : i;
    const row: Record<(typeof ROSTER_TABLE_COLUMNS)[number], string> = {
      student_id: id,
      district_id: district,
      school_id: school.value,
      grade: grade.value,
      first_name: preferredNames[i] || givenNames[i],
      last_name: familyNames[i],
      household_id: householdOf.get(id)!,
      caregiver_name: guardian === undefined ? '' : [preferredNames[guardian] || givenNames[guardian], familyNames[guardian]].filter((n) => n !== '').join(' '),
      caregiver_phone: guardian === undefined ? '' : smss[guardian] || phones[guardian],
      caregiver_email: guardian === undefined ? '' : emails[guardian],
      preferred_language: language?.value ?? '',
      preferred_mode: modes[modeRow],
      school_name: orgs.nameOf(school.value),
      district_name: orgs.nameOf(district),
    };
    for (const column of ROSTER_TABLE_COLUMNS) columns[column].push(row[column]);
    lines.push(users.lines[i]);
    origins.push({
      student_id: originOf(users, i, 'sourcedId'),
      school_id: school.origin,
      grade: grade.origin,
      household_id: households.linkOrigin.get(id) ?? originOf(users, i, 'agentSourcedIds'),
      preferred_language: language?.origin,
      preferred_mode: originOf(users, modeRow, MODE_COLUMN),
    });
  }
  const table: CsvTable = { file: users.file, header: ROSTER_TABLE_COLUMNS, columns, lines, rowCount: lines.length };
  return { table, origins };
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
