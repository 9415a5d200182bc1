import { stringify } from 'csv-stringify/sync';

/** A cell value we write: strings are neutralized, numbers written as they are. */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralizes CSV formula injection (OWASP): a text cell that begins with `=`, `+`, `-`,
 * `@`, tab or carriage return gets a leading apostrophe, so a spreadsheet shows it as
 * text instead of running it. Numbers we computed are not text and pass unchanged.
 */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
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
  return stringify(records, { header: true, columns: columns as string[], record_delimiter: 'unix' });
}

/** Formats objects as CSV, one column per name in `columns`. */
export function formatCsvObjects<T extends object>(columns: readonly (keyof T & string)[], objects: Iterable<T>): string {
  const rows: CsvCell[][] = [];
  for (const object of objects) rows.push(columns.map((c) => object[c] as CsvCell));
  return formatCsv(columns, rows);
}
