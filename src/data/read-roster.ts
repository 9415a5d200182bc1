import type { Issue, Validation } from '../errors.js';
import { unwrap } from '../errors.js';
import type { CsvSource, CsvTable } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import type { MessageMode, RosterStudent } from '../types.js';
import { MESSAGE_MODES } from '../types.js';
import { normalizeGrade } from './normalize-grade.js';
import { parseLanguageTag, parseNonNegative } from './parse-values.js';
import { optionalColumn, requireColumns } from './require-columns.js';

/** The roster's columns (data-formats.md). Others are kept by nothing and noted. */
export const ROSTER_COLUMNS = [
  'student_id', 'district_id', 'school_id', 'grade', 'first_name', 'last_name', 'household_id',
  'caregiver_name', 'caregiver_phone', 'caregiver_email', 'caregiver_address', 'preferred_language',
  'preferred_mode', 'school_name', 'district_name', 'baseline_absences', 'baseline_days',
] as const;

const REQUIRED = ['student_id', 'district_id', 'school_id', 'grade'] as const;

export interface Roster {
  readonly file: string;
  readonly students: readonly RosterStudent[];
}

/**
 * Validates a roster read as CSV: every problem is collected (missing columns, blank or
 * duplicate ids, unknown grades, modes and languages, bad baselines, a household split
 * across districts), and a valid roster comes back normalized.
 */
export function validateRoster(table: CsvTable): Validation<Roster> {
  const file = table.file;
  const issues: Issue[] = requireColumns(table, REQUIRED, 'a roster');
  const warnings: Issue[] = [];
  const extra = table.header.filter((name) => !(ROSTER_COLUMNS as readonly string[]).includes(name));
  if (extra.length > 0) warnings.push({ file, row: 1, message: `columns not used by the toolkit are ignored: ${extra.join(', ')}` });
  if (issues.length > 0) return { ok: false, issues, warnings };

  const col = (name: (typeof ROSTER_COLUMNS)[number]) => optionalColumn(table, name);
  const [ids, districts, schools, grades, households] = [col('student_id'), col('district_id'), col('school_id'), col('grade'), col('household_id')];
  const [modes, languages, baselineAbsences, baselineDays] = [col('preferred_mode'), col('preferred_language'), col('baseline_absences'), col('baseline_days')];
  const [firstNames, lastNames, caregiverNames, phones, emails, addresses, schoolNames, districtNames] = (
    ['first_name', 'last_name', 'caregiver_name', 'caregiver_phone', 'caregiver_email', 'caregiver_address', 'school_name', 'district_name'] as const
  ).map(col);

  const firstRowOfId = new Map<string, number>();
  const districtOfHousehold = new Map<string, { district: string; row: number }>();
  const students: RosterStudent[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const row = table.lines[i];
    const issue = (column: string, message: string) => issues.push({ file, row, column, message });
    const id = ids[i];
    if (id === '') issue('student_id', 'blank student_id');
    else if (firstRowOfId.has(id)) issue('student_id', `duplicate student_id "${id}" (first on row ${firstRowOfId.get(id)})`);
    else firstRowOfId.set(id, row);
    if (districts[i] === '') issue('district_id', 'blank district_id');
    if (schools[i] === '') issue('school_id', 'blank school_id');
    const grade = normalizeGrade(grades[i]);
    if (!grade) issue('grade', `unknown grade "${grades[i]}": expected PK, KG (or K, 0), or 1 to 12 (or 01 to 12)`);
    const mode = modes[i].toLowerCase();
    if (mode !== '' && !(MESSAGE_MODES as readonly string[]).includes(mode)) issue('preferred_mode', `unknown mode "${modes[i]}": expected ${MESSAGE_MODES.join(', ')}`);
    const language = languages[i] === '' ? 'en' : parseLanguageTag(languages[i]);
    if (!language) issue('preferred_language', `"${languages[i]}" is not a language code such as en or es`);
    const baseline = parseBaseline(baselineAbsences[i], baselineDays[i], issue);
    const household = households[i] === '' ? id : households[i];
    const seen = districtOfHousehold.get(household);
    if (seen === undefined) districtOfHousehold.set(household, { district: districts[i], row });
    else if (seen.district !== districts[i]) {
      issue('household_id', `household "${household}" is split across districts "${seen.district}" (row ${seen.row}) and "${districts[i]}": a household must be in one district`);
    }
    if (issues.length > 0) continue;
    // One fixed object shape for every student keeps a million of them fast and small.
    const text = (values: readonly string[]) => (values[i] === '' ? undefined : values[i]);
    students.push({
      student_id: id,
      district_id: districts[i],
      school_id: schools[i],
      grade: grade!,
      first_name: text(firstNames),
      last_name: text(lastNames),
      household_id: household,
      caregiver_name: text(caregiverNames),
      caregiver_phone: text(phones),
      caregiver_email: text(emails),
      caregiver_address: text(addresses),
      preferred_language: language!,
      preferred_mode: mode === '' ? undefined : (mode as MessageMode),
      school_name: text(schoolNames),
      district_name: text(districtNames),
      baseline_absences: baseline.baseline_absences,
      baseline_days: baseline.baseline_days,
    });
  }
  if (table.rowCount === 0) issues.push({ file, row: 2, message: 'the roster has no students' });
  return issues.length > 0 ? { ok: false, issues, warnings } : { ok: true, value: { file, students }, issues, warnings };
}

function parseBaseline(
  absencesText: string,
  daysText: string,
  issue: (column: string, message: string) => void,
): { baseline_absences?: number; baseline_days?: number } {
  if (absencesText === '' && daysText === '') return {};
  const absences = parseNonNegative(absencesText);
  const days = parseNonNegative(daysText);
  if (absencesText === '' || daysText === '') {
    issue(absencesText === '' ? 'baseline_absences' : 'baseline_days', 'baseline_absences and baseline_days go together: give both or leave both blank');
  } else if (absences === undefined) issue('baseline_absences', `"${absencesText}" is not a count of days >= 0`);
  else if (days === undefined) issue('baseline_days', `"${daysText}" is not a count of days >= 0`);
  else if (absences > days) issue('baseline_absences', `${absences} days absent is more than the ${days} days enrolled`);
  else return { baseline_absences: absences, baseline_days: days };
  return {};
}

/** The roster columns an assignment needs; reading only these keeps a million-row roster light. */
export const ASSIGNMENT_ROSTER_COLUMNS = ['student_id', 'district_id', 'school_id', 'grade', 'household_id', 'baseline_absences', 'baseline_days'] as const;

/**
 * Reads and validates a roster CSV; throws ValidationError listing every problem. With
 * `columns`, only those are read (and validated); the others stay undefined.
 */
export async function readRoster(source: CsvSource, file: string, columns?: readonly string[]): Promise<Roster & { warnings: readonly Issue[] }> {
  const validation = validateRoster(await readCsv(source, file, columns));
  return { ...unwrap(validation, `${file} is not a valid roster`), warnings: validation.warnings };
}
