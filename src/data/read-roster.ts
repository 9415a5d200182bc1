import type { Issue, Validation } from '../errors.js';
import { unwrap } from '../errors.js';
import type { CsvSource, CsvTable } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import { readCsvInParallel } from '../io/read-csv-in-parallel.js';
import type { Grade, MessageMode, RosterStudent } from '../types.js';
import { MESSAGE_MODES } from '../types.js';
import { idProblem } from './check-id.js';
import { normalizeGrade } from './normalize-grade.js';
import { parseLanguageTag, parseNonNegative } from './parse-values.js';
import { requireColumns } from './require-columns.js';
import type { RosterColumns } from './roster-columns.js';

/** The roster's columns (data-formats.md). Others are kept by nothing and noted. */
export const ROSTER_COLUMNS = [
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
  'caregiver_address',
  'preferred_language',
  'preferred_mode',
  'school_name',
  'district_name',
  'baseline_absences',
  'baseline_days',
] as const;

const REQUIRED = ['student_id', 'district_id', 'school_id', 'grade'] as const;

export interface Roster {
  readonly file: string;
  readonly students: readonly RosterStudent[];
  /** SHA-256 of the roster file's bytes, when it was read from a file. */
  readonly sha256?: string;
}

/**
 * Students grouped by `household_id` (a student with none is alone), groups numbered in
 * order of first appearance: `groupOf[i]` is the group of row `i` (student `i` of the
 * columns), and `firstOf[g]` the row of group `g`'s first student.
 */
export interface RosterHouseholds {
  readonly groupOf: Int32Array;
  readonly firstOf: readonly number[];
}

/** Rules of roster validation a study may relax. */
export interface RosterRules {
  /**
   * Accept a household whose students are in different districts (default: refused, since
   * ids from two districts' systems may collide). `pilot assign --households-across-districts`
   * then assigns it once, in its lowest-grade student's block.
   */
  readonly householdsAcrossDistricts?: boolean;
}

/**
 * Validates a roster read as CSV: every problem is collected (missing columns, blank or
 * duplicate ids, unknown grades, modes and languages, bad baselines, a household split
 * across districts unless `rules` allow it), and a valid roster comes back normalized.
 */
export function validateRoster(table: CsvTable, rules: RosterRules = {}): Validation<Roster> {
  const validation = validateRosterRows(table, rules);
  if (!validation.ok || validation.value === undefined) return { ok: false, issues: validation.issues, warnings: validation.warnings };
  const { columns, languages, modes } = validation.value;
  const roster = {
    file: table.file,
    students: studentsOf(table, columns, languages, modes),
    ...(table.sha256 === undefined ? {} : { sha256: table.sha256 }),
  };
  return { ok: true, value: roster, issues: validation.issues, warnings: validation.warnings };
}

/** A valid roster as the columns an assignment reads (`RosterColumns`), with no object per student. */
export interface RosterAsColumns {
  readonly file: string;
  readonly columns: RosterColumns;
  /** The students' households as validation found them, so that `assignRoster` need not group a million students again. */
  readonly households: RosterHouseholds;
  readonly sha256?: string;
}

/** `validateRoster`, by the same rules, for `pilot assign`: the roster comes back as columns. */
export function validateRosterColumns(table: CsvTable, rules: RosterRules = {}): Validation<RosterAsColumns> {
  const validation = validateRosterRows(table, rules);
  if (!validation.ok || validation.value === undefined) return { ok: false, issues: validation.issues, warnings: validation.warnings };
  const { columns, households } = validation.value;
  const roster = { file: table.file, columns, households, ...(table.sha256 === undefined ? {} : { sha256: table.sha256 }) };
  return { ok: true, value: roster, issues: validation.issues, warnings: validation.warnings };
}

/**
 * What validation makes of a roster table: the assignment's columns, the households, and
 * each student's language and mode where the roster has those columns.
 */
interface ValidatedRows {
  readonly columns: RosterColumns;
  readonly households: RosterHouseholds;
  readonly languages?: readonly string[];
  readonly modes?: readonly (MessageMode | undefined)[];
}

/** The rules of `validateRoster`, applied row by row into columns. */
function validateRosterRows(table: CsvTable, rules: RosterRules): Validation<ValidatedRows> {
  const file = table.file;
  const issues: Issue[] = requireColumns(table, REQUIRED, 'a roster');
  const warnings: Issue[] = [];
  const extra = table.header.filter((name) => !(ROSTER_COLUMNS as readonly string[]).includes(name));
  if (extra.length > 0) warnings.push({ file, row: 1, message: `columns not used by the toolkit are ignored: ${extra.join(', ')}` });
  if (issues.length > 0) return { ok: false, issues, warnings };

  // Absent optional columns stay undefined rather than a million blanks each.
  const col = (name: (typeof ROSTER_COLUMNS)[number]): readonly string[] | undefined => table.columns[name];
  const [ids, districts, schools, grades] = [col('student_id')!, col('district_id')!, col('school_id')!, col('grade')!];
  const [households, modes, languages, baselineAbsences, baselineDays] = [
    col('household_id'),
    col('preferred_mode'),
    col('preferred_language'),
    col('baseline_absences'),
    col('baseline_days'),
  ];
  const issue = (row: number, column: string, message: string) => issues.push({ file, row, column, message });
  // A roster repeats a few dozen grade codes, modes and languages a million times: each
  // distinct code is checked once.
  const grade = memoize(normalizeGrade);
  const language = memoize((tag: string) => (tag === '' ? 'en' : parseLanguageTag(tag)));
  const mode = memoize((code: string) => code.toLowerCase());

  const count = table.rowCount;
  const columns = {
    count,
    studentIds: ids,
    districtIds: districts,
    schoolIds: schools,
    grades: new Array<Grade>(count),
    householdIds: households === undefined ? ids : new Array<string>(count),
    baselineAbsences: new Float64Array(count).fill(NaN),
    baselineDays: new Float64Array(count).fill(NaN),
  };
  const languageOf = languages === undefined ? undefined : new Array<string>(count);
  const modeOf = modes === undefined ? undefined : new Array<MessageMode | undefined>(count);

  // A student without a household_id is a household of one, keyed by its student_id.
  if (households !== undefined) {
    const householdIds = columns.householdIds as string[];
    for (let i = 0; i < count; i++) householdIds[i] = households[i] === '' ? ids[i] : households[i];
  }
  // Exports usually come sorted by id; then no id can repeat, and a million-entry map is spared.
  let idsIncrease = true;
  for (let i = 1; i < count && idsIncrease; i++) idsIncrease = ids[i - 1] < ids[i];
  // Sorted by household as well (siblings together, households in order), a household's
  // students are one run of rows, and a 400,000-entry map of households is spared too.
  let householdsInOrder = true;
  for (let i = 1; i < count && householdsInOrder; i++) householdsInOrder = columns.householdIds[i - 1] <= columns.householdIds[i];
  const firstRowOfId = new Map<string, number>();
  // Each household's group, and the first row index of each group, whose district the
  // others must share; the grouping is handed on to the assignment (`RosterAsColumns.households`).
  const groupOfHousehold = new Map<string, number>();
  const groupOf = new Int32Array(count);
  const firstOf: number[] = [];
  let previousHousehold = '';
  let previousGroup = 0;
  for (let i = 0; i < count; i++) {
    const row = table.lines[i];
    const id = ids[i];
    const badId = idProblem('student_id', id) ?? idProblem('household_id', columns.householdIds[i]);
    if (id === '') issue(row, 'student_id', 'blank student_id');
    else if (badId !== undefined) issue(row, badId.startsWith('student_id') ? 'student_id' : 'household_id', badId);
    else if (!idsIncrease) {
      const first = firstRowOfId.get(id);
      if (first !== undefined) issue(row, 'student_id', `duplicate student_id "${id}" (first on row ${first})`);
      else firstRowOfId.set(id, row);
    }
    if (districts[i] === '') issue(row, 'district_id', 'blank district_id');
    if (schools[i] === '') issue(row, 'school_id', 'blank school_id');
    const gradeCode = grade(grades[i]);
    if (!gradeCode) issue(row, 'grade', `unknown grade "${grades[i]}": expected PK, KG (or K, 0), or 1 to 12 (or 01 to 12)`);
    columns.grades[i] = gradeCode!;
    if (modeOf !== undefined) {
      const modeCode = mode(modes![i]);
      if (modeCode !== '' && !(MESSAGE_MODES as readonly string[]).includes(modeCode))
        issue(row, 'preferred_mode', `unknown mode "${modes![i]}": expected ${MESSAGE_MODES.join(', ')}`);
      modeOf[i] = modeCode === '' ? undefined : (modeCode as MessageMode);
    }
    if (languageOf !== undefined) {
      const languageCode = language(languages![i]);
      if (!languageCode) issue(row, 'preferred_language', `"${languages![i]}" is not a language code such as en or es`);
      languageOf[i] = languageCode!;
    }
    const absencesText = baselineAbsences === undefined ? '' : baselineAbsences[i];
    const daysText = baselineDays === undefined ? '' : baselineDays[i];
    if (absencesText !== '' || daysText !== '') parseBaselineInto(columns, i, absencesText, daysText, row, issue);
    const household = columns.householdIds[i];
    // Siblings often sit on adjacent rows: the previous row's answer is reused without a lookup.
    let group = i > 0 && household === previousHousehold ? previousGroup : householdsInOrder ? undefined : groupOfHousehold.get(household);
    previousHousehold = household;
    const first = group === undefined ? undefined : firstOf[group];
    if (group === undefined) {
      group = firstOf.length;
      firstOf.push(i);
      if (!householdsInOrder) groupOfHousehold.set(household, group);
    }
    groupOf[i] = previousGroup = group;
    if (first !== undefined && districts[first] !== districts[i] && !rules.householdsAcrossDistricts) {
      issue(
        row,
        'household_id',
        `household "${household}" is split across districts "${districts[first]}" (row ${table.lines[first]}) and "${districts[i]}": a household must be in one district`,
      );
    }
  }
  if (count === 0) issues.push({ file, row: 2, message: 'the roster has no students' });
  if (issues.length > 0) return { ok: false, issues, warnings };
  const value = {
    columns,
    households: { groupOf, firstOf },
    ...(languageOf === undefined ? {} : { languages: languageOf }),
    ...(modeOf === undefined ? {} : { modes: modeOf }),
  };
  return { ok: true, value, issues, warnings };
}

/**
 * The students of a validated roster as objects. One fixed object shape for every
 * student keeps a million of them fast and small; without names and contacts (the columns
 * an assignment reads), a shape without them.
 */
function studentsOf(
  table: CsvTable,
  columns: RosterColumns,
  languages: readonly string[] | undefined,
  modes: readonly (MessageMode | undefined)[] | undefined,
): RosterStudent[] {
  const col = (name: (typeof ROSTER_COLUMNS)[number]): readonly string[] | undefined => table.columns[name];
  const [firstNames, lastNames, caregiverNames, phones, emails, addresses, schoolNames, districtNames] = (
    [
      'first_name',
      'last_name',
      'caregiver_name',
      'caregiver_phone',
      'caregiver_email',
      'caregiver_address',
      'school_name',
      'district_name',
    ] as const
  ).map(col);
  const contactless = [firstNames, lastNames, caregiverNames, phones, emails, addresses, schoolNames, districtNames].every(
    (values) => values === undefined,
  );
  const text = (values: readonly string[] | undefined, i: number) => (values === undefined || values[i] === '' ? undefined : values[i]);
  const number = (values: Float64Array, i: number) => (Number.isNaN(values[i]) ? undefined : values[i]);
  const students: RosterStudent[] = [];
  for (let i = 0; i < columns.count; i++) {
    if (contactless) {
      students.push({
        student_id: columns.studentIds[i],
        district_id: columns.districtIds[i],
        school_id: columns.schoolIds[i],
        grade: columns.grades[i],
        household_id: columns.householdIds[i],
        preferred_language: languages === undefined ? 'en' : languages[i],
        preferred_mode: modes === undefined ? undefined : modes[i],
        baseline_absences: number(columns.baselineAbsences, i),
        baseline_days: number(columns.baselineDays, i),
      });
      continue;
    }
    students.push({
      student_id: columns.studentIds[i],
      district_id: columns.districtIds[i],
      school_id: columns.schoolIds[i],
      grade: columns.grades[i],
      first_name: text(firstNames, i),
      last_name: text(lastNames, i),
      household_id: columns.householdIds[i],
      caregiver_name: text(caregiverNames, i),
      caregiver_phone: text(phones, i),
      caregiver_email: text(emails, i),
      caregiver_address: text(addresses, i),
      preferred_language: languages === undefined ? 'en' : languages[i],
      preferred_mode: modes === undefined ? undefined : modes[i],
      school_name: text(schoolNames, i),
      district_name: text(districtNames, i),
      baseline_absences: number(columns.baselineAbsences, i),
      baseline_days: number(columns.baselineDays, i),
    });
  }
  return students;
}

/** `f` with its answers remembered by argument. */
function memoize<T>(f: (code: string) => T): (code: string) => T {
  const answers = new Map<string, T>();
  return (code) => {
    let answer = answers.get(code);
    if (answer === undefined && !answers.has(code)) {
      answer = f(code);
      answers.set(code, answer);
    }
    return answer as T;
  };
}

/**
 * Reads a student's baseline (at least one of the two cells given) into `columns` at `i`,
 * or reports why it cannot: both cells go together, and absences cannot exceed the days.
 */
function parseBaselineInto(
  columns: { readonly baselineAbsences: Float64Array; readonly baselineDays: Float64Array },
  i: number,
  absencesText: string,
  daysText: string,
  row: number,
  issue: (row: number, column: string, message: string) => void,
): void {
  const absences = parseDays(absencesText);
  const days = parseDays(daysText);
  if (absencesText === '' || daysText === '') {
    issue(
      row,
      absencesText === '' ? 'baseline_absences' : 'baseline_days',
      'baseline_absences and baseline_days go together: give both or leave both blank',
    );
  } else if (absences === undefined) issue(row, 'baseline_absences', `"${absencesText}" is not a count of days >= 0`);
  else if (days === undefined) issue(row, 'baseline_days', `"${daysText}" is not a count of days >= 0`);
  else if (absences > days) issue(row, 'baseline_absences', `${absences} days absent is more than the ${days} days enrolled`);
  else {
    columns.baselineAbsences[i] = absences;
    columns.baselineDays[i] = days;
  }
}

/**
 * `parseNonNegative`, with whole numbers of up to 9 digits (nearly every baseline) read
 * digit by digit: the same value, without a regular expression per cell.
 */
function parseDays(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 9) return parseNonNegative(text);
  let value = 0;
  for (let i = 0; i < n; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return parseNonNegative(text);
    value = value * 10 + digit;
  }
  return value;
}

/** The roster columns an assignment needs; reading only these keeps a million-row roster light. */
export const ASSIGNMENT_ROSTER_COLUMNS = [
  'student_id',
  'district_id',
  'school_id',
  'grade',
  'household_id',
  'baseline_absences',
  'baseline_days',
] as const;

/**
 * Reads and validates a roster CSV; throws ValidationError listing every problem. With
 * `columns`, only those are read (and validated); the others stay undefined.
 */
export async function readRoster(
  source: CsvSource,
  file: string,
  columns?: readonly string[],
  rules: RosterRules = {},
): Promise<Roster & { warnings: readonly Issue[] }> {
  const { table, sha256 } = await readRosterTable(source, file, columns);
  const validation = validateRoster(table, rules);
  const roster = unwrap(validation, `${file} is not a valid roster`);
  return { ...roster, ...(sha256 === undefined ? {} : { sha256: await sha256 }), warnings: validation.warnings };
}

/** `readRoster` for `pilot assign`: the same reading and rules, the roster as columns (`validateRosterColumns`). */
export async function readRosterColumns(
  source: CsvSource,
  file: string,
  columns?: readonly string[],
  rules: RosterRules = {},
): Promise<RosterAsColumns & { warnings: readonly Issue[] }> {
  const { table, sha256 } = await readRosterTable(source, file, columns);
  const validation = validateRosterColumns(table, rules);
  const roster = unwrap(validation, `${file} is not a valid roster`);
  return { ...roster, ...(sha256 === undefined ? {} : { sha256: await sha256 }), warnings: validation.warnings };
}

/** A roster file as a table: a large one is parsed on two threads, and hashed while it is validated. */
async function readRosterTable(
  source: CsvSource,
  file: string,
  columns?: readonly string[],
): Promise<{ table: CsvTable; sha256?: Promise<string> }> {
  const parallel = 'path' in source ? await readCsvInParallel(source.path, file, columns) : undefined;
  return parallel ?? { table: await readCsv(source, file, columns) };
}
