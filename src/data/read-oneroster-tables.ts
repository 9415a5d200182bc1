import type { CsvTable } from '../io/read-csv.js';
import { optionalColumn } from './require-columns.js';

/** A OneRoster bundle's tables, read by header name. Only `users` and `orgs` are required. */
export interface OneRosterTables {
  readonly manifest?: CsvTable;
  readonly users: CsvTable;
  readonly orgs: CsvTable;
  readonly roles?: CsvTable;
  readonly enrollments?: CsvTable;
  readonly classes?: CsvTable;
}

/** A place in the bundle a value came from: where its problems are reported. */
export interface Origin {
  readonly file: string;
  readonly row: number;
  readonly column: string;
}

/** Records a problem at a place in the bundle. */
export type Fail = (origin: Origin, message: string) => void;

/** Where data row `i` of a table, in `column`, sits in its file. */
export function originOf(table: CsvTable, i: number, column: string): Origin {
  return { file: table.file, row: table.lines[i], column };
}

/** Statuses of rows a receiver must drop: 1.1/1.2 `tobedeleted`, and OneRoster 1.0's `inactive`. */
const DELETED = new Set(['tobedeleted', 'inactive']);

/** Whether each row of a table is live (its `status` does not delete it; bulk exports leave it blank). */
export function liveRows(table: CsvTable): (i: number) => boolean {
  const status = optionalColumn(table, 'status');
  return (i) => !DELETED.has(status[i].toLowerCase());
}

/** A OneRoster list field (`"S1,S2"`): its trimmed, non-blank parts. */
export function splitList(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
