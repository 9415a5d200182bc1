import { stringify } from 'csv-stringify/sync';

/** A cell value we write: strings are neutralized, numbers written as they are. */
export type CsvCell = string | number | boolean | null | undefined;

// Apostrophes before a formula character are counted too, so that neutralizing is undone
// exactly on reading (`restoreNeutralizedCell`): `'=x` is written `''=x` and reads back `'=x`.
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Neutralizes CSV formula injection (OWASP): a text cell that begins with `=`, `+`, `-`,
 * `@`, tab or carriage return gets a leading apostrophe, so a spreadsheet shows it as
 * text instead of running it. Numbers we computed are not text and pass unchanged.
 */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * Undoes `neutralizeCell` on a cell read back: one leading apostrophe before a formula
 * character is dropped (`'=SUM(A1)` -> `=SUM(A1)`), as a spreadsheet reads it.
 */
export function restoreNeutralizedCell(value: string): string {
  return value.charCodeAt(0) === 39 && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;
}

/**
 * One text cell ready to join with commas into a line: neutralized, and quoted when it
 * holds a comma, a quote or a line break. For writers that stream rows by hand.
 */
export function formatCsvField(value: string): string {
  const text = neutralizeCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cellText(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return neutralizeCell(value);
}

/** Formats rows as CSV text (header first, LF line ends), every text cell neutralized. */
export function formatCsv(columns: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const records: string[][] = [];
  for (const row of rows) records.push(row.map(cellText));
  // A lone CR ends a line for our reader (and for old Mac exports), so a cell holding one is
  // quoted; csv-stringify quotes only the LF of the record delimiter we chose. In a table of
  // one column an empty cell is quoted, else its row would be a blank line, which readers skip.
  return stringify(records, {
    header: true,
    columns: columns as string[],
    record_delimiter: 'unix',
    quoted_match: /\r/,
    quoted_empty: columns.length === 1,
  });
}

/** Formats objects as CSV, one column per name in `columns`. */
export function formatCsvObjects<T extends object>(columns: readonly (keyof T & string)[], objects: Iterable<T>): string {
  const rows: CsvCell[][] = [];
  for (const object of objects) rows.push(columns.map((c) => object[c] as CsvCell));
  return formatCsv(columns, rows);
}
