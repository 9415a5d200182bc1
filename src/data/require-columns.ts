import type { Issue } from '../errors.js';
import type { CsvTable } from '../io/read-csv.js';

/** Issues for each required column missing from a table's header. */
export function requireColumns(table: CsvTable, required: readonly string[], what: string): Issue[] {
  return required
    .filter((name) => !(name in table.columns))
    .map((name) => ({
      file: table.file,
      row: 1,
      column: name,
      message: `missing required column "${name}" for ${what} (the header has: ${table.header.join(', ')})`,
    }));
}

/** A column's values, or blanks when the (optional) column is absent. */
export function optionalColumn(table: CsvTable, name: string): readonly string[] {
  return table.columns[name] ?? new Array<string>(table.rowCount).fill('');
}
