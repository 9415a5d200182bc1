import type { Issue, Validation } from '../errors.js';
import type { CsvSource } from '../io/read-csv.js';
import { streamCsv } from '../io/read-csv.js';
import { formatCsv } from '../io/write-csv.js';
import type { MessageMode } from '../types.js';
import { MESSAGE_MODES } from '../types.js';
import { idProblem } from './check-id.js';
import type { ColumnMapping, MappingShape } from './column-mapping.js';
import { locateColumns, mapCode, parseColumnMapping, parseDateAs } from './column-mapping.js';
import { parseLanguageTag } from './parse-values.js';

/**
 * What became of one message, in our words. Vendors say more (opened, clicked, answered,
 * machine, busy): a mapping file says which of ours each of theirs is.
 */
export const DELIVERY_STATUSES = ['delivered', 'failed', 'bounced', 'opted_out', 'not_sent'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One message of a send log: to the caregivers of one student, on one day, by one mode. */
export interface SendLogRow {
  readonly student_id: string;
  /** The day it was sent (ISO date; a time of day in the export is dropped). */
  readonly send_date: string;
  readonly mode: MessageMode;
  readonly status: DeliveryStatus;
  /** The message's language, when the log says (a BCP 47 tag such as `en`, `es`). */
  readonly language?: string;
}

/** The generic layout's header: what `simulateSendLog` writes and a log without a mapping is read as. */
export const SEND_LOG_COLUMNS = ['student_id', 'send_date', 'mode', 'status', 'language'] as const;

/** The `deliveries` section of a mapping file: a send log in a vendor's layout. */
export const SEND_LOG_MAPPING_SHAPE: MappingShape = {
  kind: 'deliveries',
  required: ['student_id', 'send_date', 'mode', 'status'],
  optional: ['language'],
  vocabularies: { status: DELIVERY_STATUSES, mode: MESSAGE_MODES },
  extraKeys: [],
};

/** Checks the `deliveries` section of a parsed mapping file, collecting every problem. */
export function parseSendLogMapping(json: unknown, file: string): { mapping?: ColumnMapping; issues: Issue[] } {
  return parseColumnMapping(json, file, SEND_LOG_MAPPING_SHAPE);
}

/** A log in the generic layout needs no mapping: our column names, our codes, ISO dates. */
const GENERIC_LAYOUT: ColumnMapping = { columns: {}, values: {}, dateFormat: 'YYYY-MM-DD' };

export interface SendLogOptions {
  /** How the export reads as a send log (the generic layout when not given). */
  readonly mapping?: ColumnMapping;
  /** Whether a student id is one of the study's: a row about anyone else is an error. */
  readonly isStudent?: (id: string) => boolean;
}

/**
 * Reads a send log: one row per message (a student, a send date, a mode, what became of
 * it), in the generic layout or a vendor's through a mapping. Every problem is collected
 * with its row and the export's own column name: missing columns (all at once), a blank
 * or unknown student id, a date that is not one, a status or mode the mapping does not
 * cover. Our own codes are read in any case and with spaces for underscores (`Opted out`).
 */
export async function readSendLog(source: CsvSource, file: string, options: SendLogOptions = {}): Promise<Validation<SendLogRow[]>> {
  const mapping = options.mapping ?? GENERIC_LAYOUT;
  const name = (ours: string) => mapping.columns[ours] ?? ours;
  const issues: Issue[] = [];
  const rows: SendLogRow[] = [];
  let at: Record<string, number> = {};
  let headerIssues: Issue[] = [];
  const fail = (row: number, column: string, message: string) => issues.push({ file, row, column: name(column), message });
  const csvIssues = await streamCsv(source, file, {
    onHeader: (header) => {
      ({ at, issues: headerIssues } = locateColumns(header, mapping, SEND_LOG_MAPPING_SHAPE, file));
      if (!options.mapping) headerIssues = headerIssues.map((issue) => ({ ...issue, message: genericMissing(issue, header) }));
    },
    onRow: (fields, row) => {
      if (headerIssues.length > 0 || issues.length >= 1000) return;
      const id = fields[at.student_id];
      const idIssue = id === '' ? 'blank student id' : idProblem(name('student_id'), id);
      if (idIssue) fail(row, 'student_id', idIssue);
      else if (options.isStudent && !options.isStudent(id))
        fail(row, 'student_id', `student "${id}" is not in the study's assignments: a send log covers the study's students only`);
      const dateText = fields[at.send_date];
      const date = parseDateAs(dateText.split(/[ T]/)[0], mapping.dateFormat);
      if (!date) fail(row, 'send_date', `"${dateText}" is not a date written ${mapping.dateFormat}`);
      const mode = codeOf(mapping, 'mode', fields[at.mode], MESSAGE_MODES);
      if (!mode) fail(row, 'mode', unknownCode('mode', fields[at.mode], mapping, MESSAGE_MODES));
      const status = codeOf(mapping, 'status', fields[at.status], DELIVERY_STATUSES);
      if (!status) fail(row, 'status', unknownCode('status', fields[at.status], mapping, DELIVERY_STATUSES));
      const languageText = at.language >= 0 ? fields[at.language] : '';
      const language = languageText === '' ? undefined : parseLanguageTag(languageText);
      if (languageText !== '' && !language) fail(row, 'language', `"${languageText}" is not a language tag (such as en, es, zh-Hant)`);
      if (idIssue || !date || !mode || !status || (languageText !== '' && !language)) return;
      rows.push({ student_id: id, send_date: date, mode, status, ...(language ? { language } : {}) });
    },
  });
  const all = [...csvIssues, ...headerIssues, ...issues];
  return all.length > 0 ? { ok: false, issues: all, warnings: [] } : { ok: true, value: rows, issues: [], warnings: [] };
}

/** A missing column of the generic layout, said with a pointer to the mapping that reads other layouts. */
function genericMissing(issue: Issue, header: readonly string[]): string {
  return `missing required column "${issue.column}" for a send log (the header has: ${header.join(', ')}); a vendor's export is read with --map and a "deliveries" section`;
}

/** Our code for an export's value: the mapping's, else ours written in any case (`Opted out` is `opted_out`). */
function codeOf<T extends string>(mapping: ColumnMapping, column: string, value: string, vocabulary: readonly T[]): T | undefined {
  const mapped =
    mapCode(mapping, column, value) ??
    value
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
  return vocabulary.includes(mapped as T) ? (mapped as T) : undefined;
}

function unknownCode(column: string, value: string, mapping: ColumnMapping, vocabulary: readonly string[]): string {
  const theirs = [...(mapping.values[column]?.keys() ?? [])];
  const known = theirs.length > 0 ? `the mapping's codes (${theirs.join(', ')}) or ours` : 'one of';
  return `${value === '' ? 'blank' : `unknown`} ${column}${value === '' ? '' : ` "${value}"`}: expected ${known} ${vocabulary.join(', ')} (map the export's codes in the mapping's "values.${column}")`;
}

/** A send log in the generic layout as CSV text (cells neutralized), as `simulateSendLog` makes them. */
export function formatSendLogCsv(rows: readonly SendLogRow[]): string {
  return formatCsv(
    SEND_LOG_COLUMNS,
    rows.map((row) => [row.student_id, row.send_date, row.mode, row.status, row.language ?? '']),
  );
}
