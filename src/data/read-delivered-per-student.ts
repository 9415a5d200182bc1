import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { CsvSource } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import { idProblem } from './check-id.js';
import { requireColumns } from './require-columns.js';

/** The columns of `delivered-per-student.csv` (and of `contamination.csv`), as `pilot deliveries` writes them. */
export const DELIVERED_PER_STUDENT_COLUMNS = ['student_id', 'arm', 'messages_sent', 'messages_delivered'] as const;

/** What the send log says one student's caregivers were sent and received. */
export interface StudentDelivered {
  readonly arm: string;
  /** Messages that left the messaging system (delivered, failed or bounced). */
  readonly sent: number;
  readonly delivered: number;
}

/**
 * Reads `delivered-per-student.csv` (written by `pilot deliveries`) as a map from student
 * id to their arm and the messages sent and delivered; every malformed row is reported
 * (a count that is not a whole number, more delivered than sent, a student twice).
 *
 * @example
 * (await readDeliveredPerStudent('deliveries/delivered-per-student.csv')).get('S00001')
 * // { arm: 'treatment', sent: 8, delivered: 7 }
 */
export async function readDeliveredPerStudent(path: string | CsvSource, file?: string): Promise<Map<string, StudentDelivered>> {
  const source = typeof path === 'string' ? { path } : path;
  const name = file ?? (typeof path === 'string' ? path : 'delivered-per-student.csv');
  const table = await readCsv(source, name, DELIVERED_PER_STUDENT_COLUMNS);
  const missing = requireColumns(table, DELIVERED_PER_STUDENT_COLUMNS, 'delivered-per-student.csv (pilot deliveries writes it)');
  if (missing.length > 0) throw new ValidationError(missing, `${name} is not a delivered-per-student.csv`);
  const issues: Issue[] = [];
  const students = new Map<string, StudentDelivered>();
  const c = table.columns;
  for (let i = 0; i < table.rowCount; i++) {
    const row = table.lines[i];
    const id = c.student_id[i];
    const fail = (column: string, message: string) => issues.push({ file: name, row, column, message });
    const count = (column: 'messages_sent' | 'messages_delivered') => {
      const text = c[column][i];
      const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      if (Number.isNaN(n)) fail(column, `"${text}" is not a count of messages (a whole number from 0)`);
      return n;
    };
    const sent = count('messages_sent');
    const delivered = count('messages_delivered');
    const idIssue = id === '' ? 'blank student id' : idProblem('student_id', id);
    if (idIssue) fail('student_id', idIssue);
    else if (students.has(id)) fail('student_id', `student "${id}" is listed twice`);
    if (c.arm[i] === '') fail('arm', 'blank arm');
    if (delivered > sent) fail('messages_delivered', `${delivered} messages delivered of ${sent} sent: a delivered message was sent`);
    if (!idIssue && !students.has(id)) students.set(id, { arm: c.arm[i], sent, delivered });
  }
  if (issues.length > 0) throw new ValidationError(issues, `${name} is not a usable delivered-per-student.csv`);
  return students;
}
