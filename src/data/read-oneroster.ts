import type { Issue, Validation } from '../errors.js';
import { unwrap, ValidationError } from '../errors.js';
import type { CsvTable } from '../io/read-csv.js';
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
import type { Fail, LeftOutReason, LeftOutStudent, OneRosterTables, Origin } from './read-oneroster-tables.js';
import { originOf, readBundleCsv } from './read-oneroster-tables.js';
import type { UserIndex } from './read-oneroster-users.js';
import { indexUsers } from './read-oneroster-users.js';
import type { Roster, RosterRules } from './read-roster.js';
import { validateRoster } from './read-roster.js';
import { optionalColumn, requireColumns } from './require-columns.js';

/**
 * OneRoster 1.1 and 1.2 CSV bundles as a roster. What is read from where:
 *
 * - students: `users.csv` rows whose role is `student` (1.1: the `role` column; 1.2:
 *   `roles.csv`), with `givenName` (or `preferredGivenName`) and `familyName`;
 * - grade: `users.csv` `grades` (CEDS codes: `PK`, `KG`, `01`..`12`), else (the column
 *   blank or absent) the grades of the classes the student is enrolled in
 *   (`enrollments.csv`, `classes.csv`); other standard codes (`TK`, `PS`, ...) leave the
 *   student out, counted in a note;
 * - school: the student's org of type `school` (1.1: `orgSourcedIds`; 1.2: the student
 *   role's `orgSourcedId` in `roles.csv`, the primary one first, then `primaryOrgSourcedId`),
 *   narrowed by the schools of the student's enrollments when there are several or none;
 * - district: the school's `parentSourcedId` chain in `orgs.csv`, up to an org of type
 *   `district`; a school with none above it is its own district (or `options.district`);
 *   names from `orgs.csv` `name`;
 * - households and contacts: guardians (`parent`, `guardian`, `relative`) linked by
 *   `agentSourcedIds` on the student's row or on the guardian's, either direction; the
 *   contact is the first guardian by `sourcedId` with an `sms`, `phone` or `email`;
 *   language and mode from the extension columns `metadata.preferredLanguage` (or
 *   `metadata.language`) and `metadata.preferredMode`, the guardian's row first.
 *
 * Rows whose `status` is `tobedeleted` (or 1.0's `inactive`) are ignored, as in the
 * standard's delta processing, and so are links to them. Students whose `enabledUser`
 * is `false`, or whom no enrollment names (when the bundle has enrollments.csv), are
 * left out unless `options.includeDisabled`. A delta export is refused: it holds only
 * what changed, not the roster. Columns are found by header name, in any order.
 */

export interface OneRosterRoster extends Roster {
  readonly version: OneRosterVersion;
  /** Students of the bundle the roster leaves out, and why (the notes give only counts). */
  readonly leftOut: readonly LeftOutStudent[];
}

/** How a bundle is read, where the standard leaves a choice to the reader. */
export interface OneRosterOptions extends RosterRules {
  /** Keep students whose `enabledUser` is `false` or whom no enrollment names (default: left out). */
  readonly includeDisabled?: boolean;
  /** The district of schools with no district above them (default: each is its own). */
  readonly district?: string;
}

const LANGUAGE_COLUMNS = ['metadata.preferredLanguage', 'metadata.language'] as const;
const MODE_COLUMN = 'metadata.preferredMode';

/** The columns read from each file; the rest of a (wide) export is never kept. */
const KEEP: Readonly<Record<string, readonly string[]>> = {
  'manifest.csv': ['propertyName', 'value'],
  'users.csv': [
    'sourcedId',
    'status',
    'enabledUser',
    'role',
    'orgSourcedIds',
    'primaryOrgSourcedId',
    'givenName',
    'preferredGivenName',
    'familyName',
    'email',
    'sms',
    'phone',
    'agentSourcedIds',
    'grades',
    ...LANGUAGE_COLUMNS,
    MODE_COLUMN,
  ],
  'orgs.csv': ['sourcedId', 'status', 'name', 'type', 'parentSourcedId'],
  'roles.csv': ['userSourcedId', 'status', 'role', 'roleType', 'orgSourcedId'],
  'enrollments.csv': ['userSourcedId', 'status', 'role', 'schoolSourcedId', 'classSourcedId'],
  'classes.csv': ['sourcedId', 'status', 'grades'],
};

/** Reads a OneRoster folder or zip as a roster; throws ValidationError listing every problem. */
export async function readOneRoster(
  path: string,
  options: OneRosterOptions = {},
): Promise<OneRosterRoster & { warnings: readonly Issue[] }> {
  const validation = await validateOneRosterBundle(path, options);
  return { ...unwrap(validation, `${path} is not a valid OneRoster roster`), warnings: validation.warnings };
}

/**
 * Reads and validates a OneRoster folder or zip, collecting every problem of every file:
 * each file's structure and header are checked before any stops the reading.
 */
export async function validateOneRosterBundle(path: string, options: OneRosterOptions = {}): Promise<Validation<OneRosterRoster>> {
  let bundle: OneRosterBundle;
  try {
    bundle = await openOneRosterBundle(path);
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, issues: error.issues, warnings: [] };
    throw error;
  }
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const tables: Record<string, CsvTable | undefined> = {};
  for (const [name, { label, source }] of bundle.files) {
    const read = await readBundleCsv(source, label, KEEP[name]);
    tables[name] = read.table;
    issues.push(...read.issues);
    warnings.push(...read.warnings);
  }
  if (!bundle.files.has('orgs.csv')) issues.push({ file: path, message: 'the bundle has no orgs.csv: schools and districts come from it' });
  const { 'users.csv': users, 'orgs.csv': orgs } = tables;
  const others = {
    manifest: tables['manifest.csv'],
    roles: tables['roles.csv'],
    enrollments: tables['enrollments.csv'],
    classes: tables['classes.csv'],
  };
  issues.push(...checkHeaders({ ...others, users, orgs }));
  if (issues.length > 0 || !users || !orgs) return { ok: false, issues: inFileOrder(issues), warnings };
  const validation = validateOneRoster(path, { ...others, users, orgs }, options);
  const all = { ...validation, warnings: [...warnings, ...validation.warnings] };
  return all.value && bundle.sha256 ? { ...all, value: { ...all.value, sha256: bundle.sha256 } } : all;
}

/** The problems of every file's header, all at once; `users` and `orgs` may be missing (already reported). */
function checkHeaders(tables: Partial<OneRosterTables>): Issue[] {
  const { users, orgs, roles } = tables;
  const issues: Issue[] = [];
  if (users) issues.push(...requireColumns(users, ['sourcedId'], 'OneRoster users'));
  if (orgs) issues.push(...requireColumns(orgs, ['sourcedId', 'type'], 'OneRoster orgs'));
  if (roles) issues.push(...requireColumns(roles, ['userSourcedId', 'role', 'orgSourcedId'], 'OneRoster roles'));
  if (tables.manifest) issues.push(...requireColumns(tables.manifest, ['propertyName', 'value'], 'a OneRoster manifest'));
  if (users && !('role' in users.columns) && !roles) {
    issues.push({
      file: users.file,
      row: 1,
      column: 'role',
      message: 'users.csv has no role column and the bundle has no roles.csv (OneRoster 1.2): students cannot be told from staff',
    });
  }
  return issues;
}

/**
 * Maps OneRoster tables to roster students and checks them with the same rules as a
 * CSV roster (`validateRoster`); every problem names the file inside the bundle, its
 * row and its column, and all are reported at once.
 */
export function validateOneRoster(path: string, tables: OneRosterTables, options: OneRosterOptions = {}): Validation<OneRosterRoster> {
  const { users, orgs } = tables;
  const warnings: Issue[] = [];
  const issues: Issue[] = checkHeaders(tables);
  const fail: Fail = (origin, message) => issues.push({ ...origin, message });
  const note: Fail = (origin, message) => warnings.push({ ...origin, message });
  const version = readManifest(tables, issues);
  if (issues.length > 0) return { ok: false, issues: inFileOrder(issues), warnings };

  const userIndex = indexUsers(users, tables.roles, fail);
  const orgIndex = indexOrgs(orgs, fail, note, options.district);
  const enrollments = indexEnrollments(tables.enrollments, tables.classes);
  const mapped = mapStudents(users, orgIndex, userIndex, enrollments, linkGuardians(users, userIndex, warnings), {
    fail,
    note,
    includeDisabled: options.includeDisabled ?? false,
  });
  if (userIndex.students.length === 0)
    issues.push({ file: users.file, row: 2, column: 'role', message: 'users.csv has no students (users whose role is student)' });
  warnings.push(...leftOutNotes(users.file, mapped.leftOut));
  if (mapped.table.rowCount === 0) {
    if (userIndex.students.length > 0 && issues.length === 0)
      issues.push({
        file: users.file,
        message: `every one of the ${userIndex.students.length} students was left out (see the notes): the roster would be empty`,
      });
    return { ok: false, issues: inFileOrder(issues), warnings: inFileOrder(warnings) };
  }

  // The students mapped so far get the CSV roster's checks too, each problem moved to
  // where its value came from in the bundle.
  const validation = validateRoster(mapped.table, options);
  const indexOfLine = new Map(mapped.table.lines.map((line, index) => [line, index]));
  for (const issue of validation.issues) {
    const origin =
      issue.row === undefined || issue.column === undefined ? undefined : mapped.origins[indexOfLine.get(issue.row) ?? -1]?.[issue.column];
    issues.push(origin ? { ...issue, ...origin } : issue);
  }
  warnings.push(...validation.warnings);
  if (issues.length > 0 || !validation.value) return { ok: false, issues: inFileOrder(issues), warnings: inFileOrder(warnings) };
  return {
    ok: true,
    value: { file: path, students: validation.value.students, version, leftOut: mapped.leftOut },
    issues: [],
    warnings: inFileOrder(warnings),
  };
}

/** What each reason a student is left out says in its note (the students are counted, never named). */
const LEFT_OUT_NOTES: Readonly<Record<LeftOutReason, string>> = {
  disabled: 'enabledUser is false (how SIS exports mark withdrawn and graduated students); --include-disabled keeps them',
  'not enrolled': 'no enrollment in enrollments.csv names them; --include-disabled keeps them',
  'grade outside the study': "their grade is outside the study's grades (PK, KG, 1 to 12)",
  'several grades': 'their classes give several grades and no grade they all share',
};

/** One note per reason: how many students were left out, with each grade's count for grades outside the study. */
function leftOutNotes(file: string, leftOut: readonly LeftOutStudent[]): Issue[] {
  return (Object.keys(LEFT_OUT_NOTES) as LeftOutReason[]).flatMap((reason) => {
    const these = leftOut.filter((s) => s.reason === reason);
    if (these.length === 0) return [];
    const byGrade = new Map<string, number>();
    for (const s of these) byGrade.set(s.detail, (byGrade.get(s.detail) ?? 0) + 1);
    const counts = reason === 'grade outside the study' ? `: ${[...byGrade].map(([grade, n]) => `${grade} ${n}`).join(', ')}` : '';
    return [{ file, message: `${these.length} student${these.length === 1 ? '' : 's'} left out: ${LEFT_OUT_NOTES[reason]}${counts}` }];
  });
}

/** The roster columns a OneRoster bundle fills (no address or baseline: OneRoster has neither). */
const ROSTER_TABLE_COLUMNS = [
  'student_id',
  'district_id',
  'school_id',
  'grade',
  'first_name',
  'last_name',
  'household_id',
  'caregiver_name',
  'caregiver_phone',
  'caregiver_email',
  'preferred_language',
  'preferred_mode',
  'school_name',
  'district_name',
] as const;

/**
 * One roster row per student that could be placed (a school, its district, one grade),
 * on the student's users.csv line, with where each checked value came from.
 */
function mapStudents(
  users: CsvTable,
  orgs: OrgIndex,
  index: UserIndex,
  enrollments: EnrollmentIndex,
  households: Households,
  { fail, note, includeDisabled }: { fail: Fail; note: Fail; includeDisabled: boolean },
) {
  const text = (column: string) => optionalColumn(users, column);
  const [givenNames, preferredNames, familyNames, emails, smss, phones, gradeLists, modes] = [
    'givenName',
    'preferredGivenName',
    'familyName',
    'email',
    'sms',
    'phone',
    'grades',
    MODE_COLUMN,
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
  const leftOut: LeftOutStudent[] = [];
  const leave = (student_id: string, reason: LeftOutReason, detail: string, origin: Origin) =>
    leftOut.push({ student_id, reason, detail, file: origin.file, row: origin.row });
  const noOrg = 'orgSourcedIds' in users.columns ? 'orgSourcedIds' : 'sourcedId';
  for (const id of index.students) {
    const i = index.rowOf.get(id)!;
    if (!includeDisabled && index.disabled.has(id)) {
      leave(id, 'disabled', 'enabledUser false', originOf(users, i, 'enabledUser'));
      continue;
    }
    if (!includeDisabled && enrollments.known && !enrollments.isEnrolled(id)) {
      leave(id, 'not enrolled', 'no enrollment', originOf(users, i, 'sourcedId'));
      continue;
    }
    const grade = chooseGrade(gradeLists[i], originOf(users, i, 'grades'), enrollments.classGradesOf(id), fail, note);
    if (grade && 'leftOut' in grade) {
      // The list points at the student's own row, wherever its grades were read.
      leave(id, grade.leftOut, grade.detail, originOf(users, i, 'grades'));
      continue;
    }
    const school = chooseSchool(id, index.studentOrgs.get(id) ?? [], enrollments, orgs, originOf(users, i, noOrg), fail);
    const district = school ? orgs.districtOf(school.value) : undefined;
    if (!school || !grade || district === undefined) continue;
    // The contact: the first guardian by id who has one, else the first guardian.
    const guardians = households.links
      .guardiansOfStudent(id)
      .filter((g) => index.rowOf.has(g))
      .map((g) => index.rowOf.get(g)!);
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
      caregiver_name:
        guardian === undefined
          ? ''
          : [preferredNames[guardian] || givenNames[guardian], familyNames[guardian]].filter((n) => n !== '').join(' '),
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
  return { table, origins, leftOut };
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
