import type { Issue } from '../errors.js';
import type { CsvTable } from '../io/read-csv.js';
import { parseIsoDate } from './parse-values.js';

/**
 * A mapping file says how another system's export reads as one of our files: which of
 * its columns is each of ours, what its codes mean in our vocabulary, and how it writes
 * dates. Attendance uses it (`attendance-mapping.ts`); any export of rows in another
 * layout (a delivery log) can, with its own list of columns.
 *
 * ```json
 * { "columns": { "student_id": "StudentNumber", "date": "attendance_date", "status": "code" },
 *   "values": { "status": { "P": "present", "A": "absent" } },
 *   "date_format": "D/M/YYYY" }
 * ```
 */
export interface ColumnMapping {
  /** For each of our columns, the export's column name. */
  readonly columns: Readonly<Record<string, string>>;
  /** For each of our columns, the export's codes and ours; matched ignoring case and spaces around. */
  readonly values: Readonly<Record<string, ReadonlyMap<string, string>>>;
  /** How the export writes dates (`YYYY-MM-DD` unless the file says otherwise). */
  readonly dateFormat: string;
}

/** What a kind of file takes from a mapping: its columns, and which may have codes mapped. */
export interface MappingShape {
  /** What the mapping maps to, for messages ("attendance"). */
  readonly kind: string;
  readonly required: readonly string[];
  readonly optional: readonly string[];
  /** Our values each coded column may map to (the codes' targets are checked against them). */
  readonly vocabularies: Readonly<Record<string, readonly string[]>>;
  /** Further top-level keys the kind reads itself (such as `period_rule`). */
  readonly extraKeys: readonly string[];
}

/** The top-level keys every mapping may have. */
const KEYS = ['columns', 'values', 'date_format', 'description'] as const;

/**
 * Checks one section of a parsed mapping file against a shape, collecting every problem:
 * unknown keys, a missing or unknown column, a code mapped to a value outside our
 * vocabulary, a date format we cannot read. Issues name the mapping `file` and the key
 * (`attendance.columns.date`), the section's name being `shape.kind`.
 */
export function parseColumnMapping(json: unknown, file: string, shape: MappingShape): { mapping?: ColumnMapping; issues: Issue[] } {
  const issues: Issue[] = [];
  const fail = (column: string | undefined, message: string) =>
    issues.push({ file, column: column === undefined ? shape.kind : `${shape.kind}.${column}`, message });
  if (!isObject(json)) {
    fail(
      undefined,
      `a mapping's "${shape.kind}" is a JSON object with "columns" (and "values", "date_format"); this is ${Array.isArray(json) ? 'an array' : typeof json}`,
    );
    return { issues };
  }
  for (const key of Object.keys(json)) {
    if (![...KEYS, ...shape.extraKeys].includes(key))
      fail(key, `unknown key "${key}" in the ${shape.kind} mapping: expected ${[...KEYS, ...shape.extraKeys].join(', ')}`);
  }
  const known = [...shape.required, ...shape.optional];
  const columns: Record<string, string> = {};
  if (!isObject(json.columns))
    fail(
      'columns',
      `"columns" must be an object of our column names and the export's (${shape.kind}: ${shape.required.join(', ')} required)`,
    );
  else {
    for (const [ours, theirs] of Object.entries(json.columns)) {
      if (!known.includes(ours)) fail(`columns.${ours}`, `"${ours}" is not one of the ${shape.kind} columns: expected ${known.join(', ')}`);
      else if (typeof theirs !== 'string' || theirs.trim() === '')
        fail(`columns.${ours}`, `the export's column for "${ours}" must be a non-blank name`);
      else columns[ours] = theirs.trim();
    }
    for (const ours of shape.required)
      if (!(ours in json.columns)) fail('columns', `"columns" must name the export's column for "${ours}"`);
  }
  const values: Record<string, Map<string, string>> = {};
  if (json.values !== undefined && !isObject(json.values))
    fail('values', '"values" must be an object: for a column, the export\'s codes and ours');
  else if (isObject(json.values)) {
    for (const [ours, codes] of Object.entries(json.values)) {
      const vocabulary = shape.vocabularies[ours];
      if (!vocabulary) fail(`values.${ours}`, `codes can be mapped only for ${Object.keys(shape.vocabularies).join(', ')}, not "${ours}"`);
      else if (!isObject(codes)) fail(`values.${ours}`, `"values.${ours}" must be an object of the export's codes and ours`);
      else {
        const map = new Map<string, string>();
        for (const [code, value] of Object.entries(codes)) {
          if (typeof value !== 'string' || !vocabulary.includes(value))
            fail(`values.${ours}.${code}`, `code "${code}" maps to ${JSON.stringify(value)}: expected one of ${vocabulary.join(', ')}`);
          else map.set(codeKey(code), value);
        }
        values[ours] = map;
      }
    }
  }
  const dateFormat = json.date_format ?? 'YYYY-MM-DD';
  if (typeof dateFormat !== 'string' || datePattern(dateFormat) === undefined) {
    fail(
      'date_format',
      `date format ${JSON.stringify(dateFormat)} is not one we read: use D or DD, M or MM, and YYYY with one separator, as "D/M/YYYY", "MM/DD/YYYY" or "YYYY-MM-DD"`,
    );
  }
  return issues.length > 0 ? { issues } : { mapping: { columns, values, dateFormat: dateFormat as string }, issues };
}

/**
 * Where each of our columns sits in an export's header, by the mapping (our own name
 * when the mapping does not name the column); issues for the required columns, and those
 * the mapping names, that the header lacks.
 */
export function locateColumns(
  header: readonly string[],
  mapping: ColumnMapping,
  shape: MappingShape,
  file: string,
): { at: Record<string, number>; issues: Issue[] } {
  const at: Record<string, number> = {};
  const issues: Issue[] = [];
  for (const ours of [...shape.required, ...shape.optional]) {
    const theirs = mapping.columns[ours] ?? ours;
    at[ours] = header.indexOf(theirs);
    if (at[ours] < 0 && (shape.required.includes(ours) || ours in mapping.columns)) {
      issues.push({
        file,
        row: 1,
        column: theirs,
        message: `the mapping's column "${theirs}" (for ${ours}) is not in the header (the header has: ${header.join(', ')})`,
      });
    }
  }
  return { at, issues };
}

/** The value of our vocabulary an export's code means, by the mapping; undefined when the mapping has no such code. */
export function mapCode(mapping: ColumnMapping, column: string, code: string): string | undefined {
  return mapping.values[column]?.get(codeKey(code));
}

/** Codes match whatever their case and spaces around (`EX`, `ex `). */
function codeKey(code: string): string {
  return code.trim().toLowerCase();
}

/**
 * Reads a date written in `format` (tokens `D`/`DD`, `M`/`MM`, `YYYY`, any one-character
 * separators) as an ISO date; undefined when it does not match or is no calendar date.
 *
 * @example parseDateAs('3/9/2025', 'D/M/YYYY') // '2025-09-03'
 */
export function parseDateAs(text: string, format: string): string | undefined {
  if (format === 'YYYY-MM-DD') return parseIsoDate(text);
  const pattern = datePattern(format);
  const match = pattern?.regex.exec(text.trim());
  if (!pattern || !match) return undefined;
  const part = (name: 'Y' | 'M' | 'D') => match[pattern.order.indexOf(name) + 1];
  return parseIsoDate(`${part('Y')}-${part('M').padStart(2, '0')}-${part('D').padStart(2, '0')}`);
}

const patterns = new Map<string, { regex: RegExp; order: string } | undefined>();

/** The regular expression for a date format, and the order of its parts; undefined for a format we do not read. */
function datePattern(format: string): { regex: RegExp; order: string } | undefined {
  if (patterns.has(format)) return patterns.get(format);
  const tokens = /^(YYYY|DD?|MM?)([^A-Za-z0-9])(YYYY|DD?|MM?)\2(YYYY|DD?|MM?)$/.exec(format);
  let pattern: { regex: RegExp; order: string } | undefined;
  if (tokens) {
    const parts = [tokens[1], tokens[3], tokens[4]];
    const order = parts.map((t) => t[0]).join('');
    if ([...order].sort().join('') === 'DMY') {
      const separator = tokens[2].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const regex = new RegExp(
        `^${parts.map((t) => (t === 'YYYY' ? '(\\d{4})' : t.length === 2 ? '(\\d{2})' : '(\\d{1,2})')).join(separator)}$`,
      );
      pattern = { regex, order };
    }
  }
  patterns.set(format, pattern);
  return pattern;
}

/**
 * An export's table with our column names: each of our columns the export has (by the
 * mapping's name, else ours), its codes turned into ours where the mapping has them
 * (others are left for the validator to name). Rows keep their lines in the export.
 */
export function renameTable(table: CsvTable, mapping: ColumnMapping, shape: MappingShape): CsvTable {
  const columns: Record<string, string[]> = {};
  for (const ours of [...shape.required, ...shape.optional]) {
    const values = table.columns[mapping.columns[ours] ?? ours];
    if (values === undefined) continue;
    const codes = mapping.values[ours];
    columns[ours] = codes ? values.map((value) => codes.get(codeKey(value)) ?? value) : [...values];
  }
  return { ...table, header: Object.keys(columns), columns };
}

/** Where a problem found in a renamed table sits in the export: our column's name turned back into the export's. */
export function issueInExport(issue: Issue, mapping: ColumnMapping): Issue {
  const theirs = issue.column === undefined ? undefined : mapping.columns[issue.column];
  return theirs === undefined ? issue : { ...issue, column: theirs };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
