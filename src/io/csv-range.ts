import { CsvChunkParser, CsvSyntaxError } from './csv-parser.js';
import type { PackedStrings } from './packed-strings.js';
import { packStrings, unpackStringsInto } from './packed-strings.js';
import { restoreNeutralizedCell } from './write-csv.js';

/** Which fields of each record a reader keeps: the header's width, and the positions kept. */
export interface CsvRangeLayout {
  readonly width: number;
  /** Field positions, in the order the columns are returned. */
  readonly kept: readonly number[];
}

/**
 * One kept column of a run of records. A column with few distinct values (districts,
 * grades, counts) comes as codes into a dictionary: compact to pass between threads, and
 * decoded into one string per distinct value, as `readCsv` pools them. A column with many
 * (ids) comes as its values, or packed (`packColumn`) to be passed to another thread.
 */
export type CsvRangeColumn =
  | { readonly dictionary: readonly string[]; readonly codes: Int32Array }
  | { readonly values: readonly string[] }
  | PackedStrings;

/** The kept fields of a run of CSV data records, and the line each record starts on. */
export interface CsvRangeRecords {
  readonly columns: readonly CsvRangeColumn[];
  /** `lines[i]`: the line record `i` starts on, counted from 1 at the run's first byte. */
  readonly lines: Int32Array;
  /** The line after the run's last one, counted the same way. */
  readonly nextLine: number;
}

/** A column with more distinct values than this is kept as values (the limit `readCsv` pools to). */
const DICTIONARY_LIMIT = 10_000;

/**
 * Parses a run of whole CSV data records (UTF-8 bytes, no header) and keeps the fields at
 * `layout.kept` exactly as `streamCsv` hands them to readers: trimmed, with a neutralized
 * cell (`'=x`) restored. Returns undefined for a run `streamCsv` would not read without an
 * issue: a ragged row, a syntax error, a read error, or a run that begins with a byte-order mark or in
 * the middle of a quoted field (a file split in the wrong place). The caller then reads
 * the file the plain way, which reports any problem with its row and column.
 *
 * `manyValued` holds the columns (by position in `layout.kept`) an earlier run found to
 * have many distinct values (ids): they are kept as values from the start, rather than
 * each run filling a dictionary of 10,000 first; a column this run finds so is added.
 */
export async function parseCsvRange(
  chunks: AsyncIterable<Uint8Array>,
  layout: CsvRangeLayout,
  manyValued = new Set<number>(),
): Promise<CsvRangeRecords | undefined> {
  const wanted = Array.from({ length: layout.width }, (_, index) => layout.kept.includes(index));
  const columns = layout.kept.map((_, k) => new ColumnBuilder(manyValued.has(k)));
  const lines: number[] = [];
  let ragged = false;
  const parser = new CsvChunkParser((fields, line) => {
    if (fields.length !== layout.width) ragged = true;
    if (ragged) return;
    for (let k = 0; k < columns.length; k++) columns[k].add(normalizeField(fields[layout.kept[k]]));
    lines.push(line);
  });
  parser.keepOnly(wanted);
  let first = true;
  try {
    for await (const chunk of chunks) {
      // The parser drops a byte-order mark at its start, as it should only at a file's start.
      if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return undefined;
      first = false;
      parser.pushBytes(chunk);
      if (ragged) return undefined;
    }
    parser.end();
  } catch (error) {
    // A syntax error, or a file that became unreadable: the plain reader reports either.
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof CsvSyntaxError || (typeof code === 'string' && /^E[A-Z]+$/.test(code))) return undefined;
    throw error;
  }
  if (ragged) return undefined;
  columns.forEach((column, k) => column.manyValued && manyValued.add(k));
  return { columns: columns.map((column) => column.finish()), lines: Int32Array.from(lines), nextLine: parser.nextLine };
}

/** A field as `streamCsv` gives it to a reader: trimmed, and `'=x` read back as `=x`. */
export function normalizeField(field: string): string {
  if (field.length === 0) return field;
  const trimmed = field.trim();
  return trimmed.charCodeAt(0) === 39 ? restoreNeutralizedCell(trimmed) : trimmed;
}

/** Collects a column as dictionary codes while it has few distinct values, then as values. */
class ColumnBuilder {
  private dictionary: Map<string, number> | undefined;
  private readonly codes: number[] = [];
  private values: string[] | undefined;

  /** `asValues` for a column known to have many distinct values: no dictionary is tried. */
  constructor(asValues: boolean) {
    if (asValues) this.values = [];
    else this.dictionary = new Map();
  }

  get manyValued(): boolean {
    return this.dictionary === undefined;
  }

  add(value: string): void {
    const dictionary = this.dictionary;
    if (dictionary === undefined) {
      this.values!.push(value);
      return;
    }
    let code = dictionary.get(value);
    if (code === undefined) {
      if (dictionary.size === DICTIONARY_LIMIT) {
        this.values = decodeColumn({ dictionary: [...dictionary.keys()], codes: Int32Array.from(this.codes) });
        this.values.push(value);
        this.dictionary = undefined;
        return;
      }
      dictionary.set(value, (code = dictionary.size));
    }
    this.codes.push(code);
  }

  finish(): CsvRangeColumn {
    return this.dictionary === undefined
      ? { values: this.values! }
      : { dictionary: [...this.dictionary.keys()], codes: Int32Array.from(this.codes) };
  }
}

/** A column as it is passed to another thread: values packed into one string, codes as they are. */
export function packColumn(column: CsvRangeColumn): CsvRangeColumn {
  return 'values' in column ? packStrings(column.values) : column;
}

/** A column's values from its parts, in order, one string per distinct value where they came as codes. */
export function decodeColumn(...parts: readonly CsvRangeColumn[]): string[] {
  const values: string[] = new Array(
    parts.reduce((n, part) => n + ('values' in part ? part.values.length : 'codes' in part ? part.codes.length : part.ends.length), 0),
  );
  let at = 0;
  for (const part of parts) {
    if ('values' in part) for (let i = 0; i < part.values.length; i++) values[at++] = part.values[i];
    else if ('codes' in part) for (let i = 0; i < part.codes.length; i++) values[at++] = part.dictionary[part.codes[i]];
    else {
      unpackStringsInto(part, values, at);
      at += part.ends.length;
    }
  }
  return values;
}
