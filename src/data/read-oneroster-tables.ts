import type { Issue } from '../errors.js';
import type { CsvSource, CsvTable } from '../io/read-csv.js';
import { streamCsv } from '../io/read-csv.js';
import { formatCsvObjects } from '../io/write-csv.js';
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

/** Why a student of the bundle is not in the roster. */
export type LeftOutReason = 'grade outside the study' | 'several grades' | 'disabled' | 'not enrolled';

/**
 * A student the roster leaves out, and why: counted in a note, and listed in full only
 * in a private file the command writes (the note never names a student).
 */
export interface LeftOutStudent {
  readonly student_id: string;
  readonly reason: LeftOutReason;
  /** The value behind the reason: the grade code, the grades, `enabledUser`'s value. */
  readonly detail: string;
  readonly file: string;
  readonly row: number;
}

/** The file name of the private list of students left out, beside an assignment. */
export const LEFT_OUT_FILE = 'roster-left-out.csv';

/** The students left out as CSV (student_id, reason, detail, file, row): a private file, mode 0600, as it names students. */
export function formatLeftOutCsv(leftOut: readonly LeftOutStudent[]): string {
  return formatCsvObjects(['student_id', 'reason', 'detail', 'file', 'row'], leftOut);
}

/** A bundle file read: its table when it could be, its problems, and notes. */
export interface BundleCsv {
  readonly table?: CsvTable;
  readonly issues: readonly Issue[];
  readonly warnings: readonly Issue[];
}

/**
 * Reads one CSV of a bundle, keeping only the columns in `keep`. A blank header name is
 * a note rather than a problem: the reader finds columns by name, so a nameless column
 * (often a trailing `,,` some SIS exports write) is one it never reads.
 */
export async function readBundleCsv(source: CsvSource, file: string, keep: readonly string[]): Promise<BundleCsv> {
  let header: readonly string[] = [];
  let kept: { name: string; index: number; values: string[] }[] = [];
  const lines: number[] = [];
  const found = await streamCsv(source, file, {
    onHeader: (h) => {
      header = h;
      const first = new Map<string, number>();
      h.forEach((name, index) => first.has(name) || first.set(name, index));
      kept = [...first].filter(([name]) => keep.includes(name)).map(([name, index]) => ({ name, index, values: [] }));
      return h.map((_, index) => kept.some((c) => c.index === index));
    },
    onRow: (fields, line) => {
      for (const column of kept) column.values.push(fields[column.index]);
      lines.push(line);
    },
  });
  const blank = (issue: Issue) => issue.row === 1 && /^#\d+$/.test(issue.column ?? '') && header[Number(issue.column!.slice(1)) - 1] === '';
  const blanks = found.filter(blank);
  const issues = found.filter((issue) => !blank(issue));
  const warnings =
    blanks.length === 0
      ? []
      : [
          {
            file,
            row: 1,
            message: `${blanks.length === 1 ? 'a column has' : `${blanks.length} columns have`} no name in the header (${blanks.map((b) => b.column).join(', ')}): not read`,
          },
        ];
  if (issues.length > 0) return { issues, warnings };
  const columns: Record<string, string[]> = Object.fromEntries(kept.map((c) => [c.name, c.values]));
  return { table: { file, header, columns, lines, rowCount: lines.length }, issues, warnings };
}
