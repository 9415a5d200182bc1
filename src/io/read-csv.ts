import type { Hash } from 'node:crypto';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import { CsvChunkParser, CsvSyntaxError } from './csv-parser.js';
import { restoreNeutralizedCell } from './write-csv.js';

/** A CSV file read into columns of trimmed strings, with each row's line in the file. */
export interface CsvTable {
  /** The name used in messages (the path as the user gave it). */
  readonly file: string;
  readonly header: readonly string[];
  readonly columns: Readonly<Record<string, string[]>>;
  /** `lines[i]` is the 1-based line where data row `i` starts (the header is line 1). */
  readonly lines: readonly number[];
  readonly rowCount: number;
  /** SHA-256 of the file's bytes, when read from a path. */
  readonly sha256?: string;
}

/** Where CSV text comes from: a file path, or text already in memory. */
export type CsvSource = { readonly path: string } | { readonly text: string };

export interface CsvHandlers {
  /** May return which columns (by position) the rows need; the others arrive as ''. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler may return nothing, not only undefined
  readonly onHeader: (header: readonly string[]) => readonly boolean[] | void;
  readonly onRow: (fields: string[], line: number) => void;
  /** Given for a file: called, once the whole file is read, with the SHA-256 of its bytes. */
  readonly onSha256?: (hex: string) => void;
}

/**
 * Checks a header: no blank names, no duplicates. A header that looks like another
 * delimiter was used says so, because that is the usual cause.
 */
export function checkHeader(file: string, header: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (name === '') issues.push({ file, row: 1, column: `#${index + 1}`, message: 'blank column name in the header' });
    else if (seen.has(name)) issues.push({ file, row: 1, column: name, message: `column "${name}" appears twice in the header` });
    seen.add(name);
  });
  if (header.length === 1 && /[;\t|]/.test(header[0])) {
    issues.push({
      file,
      row: 1,
      message: `the header is one column "${header[0].slice(0, 60)}": the file seems to use a delimiter other than a comma`,
    });
  }
  return issues;
}

/** How much of the start of a file is looked at to find its delimiter. */
const SNIFF_LENGTH = 1 << 16;

/** Up to this many rows with the wrong number of fields are named one by one; more are one problem. */
const RAGGED_ROWS_SAID_ONE_BY_ONE = 10;

/**
 * The delimiter of a CSV file, read off its start: Excel's `sep=;` first line when there
 * is one (that line is then not the header), else whichever of comma, semicolon and tab
 * the header line holds most of outside quotes (a comma when none). European versions of
 * Excel save "CSV" with semicolons, since the comma is their decimal mark.
 */
export function sniffDelimiter(start: string): { delimiter: string; sepLine: boolean } {
  const text = start.replace(/^(\ufeff|\u00ef\u00bb\u00bf)/, '');
  const sep = /^sep=([^\r\n])\r?\n/i.exec(text);
  if (sep) return { delimiter: sep[1], sepLine: true };
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  const [delimiter] = [...counts].reduce((best, next) => (next[1] > best[1] ? next : best));
  return { delimiter, sepLine: false };
}

/**
 * The pieces of a source: text as it is, a file as raw bytes (the parser decodes them).
 * `hash`, when given, sees every byte of the file as stored (before any gunzip), so a
 * reader gets the file's SHA-256 without reading it twice.
 */
async function* chunksOf(source: CsvSource, file: string, hash?: Hash): AsyncGenerator<string | Buffer> {
  if ('text' in source) {
    yield source.text;
    return;
  }
  try {
    await access(source.path);
  } catch {
    throw new ValidationError([{ file, message: 'cannot read the file: it does not exist or is not readable' }]);
  }
  const raw = createReadStream(source.path, { highWaterMark: 1 << 20 });
  if (hash) raw.on('data', (bytes) => hash.update(bytes as Buffer));
  // Large exports are often shipped gzipped; `.gz` files are read through gunzip, in pieces
  // as large as a plain file's (its default, 16 KB, makes a long record costly to carry over).
  const stream = source.path.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  for await (const chunk of stream) yield chunk as Buffer;
}

/**
 * Streams CSV record by record: the trimmed header to `onHeader`, then every data record
 * (trimmed) with its line to `onRow`. Ragged rows and syntax errors become issues and
 * reading goes on, so every problem is reported (up to `maxIssues`).
 */
export async function streamCsv(source: CsvSource, file: string, handlers: CsvHandlers, maxIssues = 1000): Promise<Issue[]> {
  const issues: Issue[] = [];
  let width = -1;
  let header: readonly string[] = [];
  let rows = 0;
  // Rows whose number of fields is not the header's: many of them are one problem (the
  // header does not fit the file), said once rather than once per row.
  const ragged: Issue[] = [];
  let raggedRows = 0;
  let sepLine = false;
  const onRecord = (fields: string[], line: number) => {
    if (sepLine) {
      sepLine = false;
      return;
    }
    for (let i = 0; i < fields.length; i++) {
      // Blank, or a column the reader skips (a million rows times a dozen of them).
      if (fields[i].length === 0) continue;
      const field = fields[i].trim();
      // `'=x` is how we (and spreadsheets) write the text `=x` safely: read it back as `=x`.
      fields[i] = field.charCodeAt(0) === 39 ? restoreNeutralizedCell(field) : field;
    }
    if (width < 0) {
      width = fields.length;
      header = fields;
      issues.push(...checkHeader(file, fields));
      parser!.keepOnly(handlers.onHeader(fields) ?? undefined);
      return;
    }
    rows++;
    if (fields.length !== width) {
      raggedRows++;
      // The column named is the first one missing, or the first past the header's end.
      const column = fields.length < width ? header[fields.length] || `#${fields.length + 1}` : `#${width + 1}`;
      if (ragged.length < maxIssues)
        ragged.push({ file, row: line, column, message: `expected ${width} fields as in the header, found ${fields.length}` });
    } else {
      handlers.onRow(fields, line);
    }
  };
  let parser: CsvChunkParser | undefined;
  // The parser is made for the first chunk, once the delimiter can be read off the first line.
  const parserFor = (chunk: string | Buffer): CsvChunkParser => {
    if (parser) return parser;
    const found = sniffDelimiter(
      typeof chunk === 'string' ? chunk.slice(0, SNIFF_LENGTH) : chunk.subarray(0, SNIFF_LENGTH).toString('latin1'),
    );
    sepLine = found.sepLine;
    return (parser = new CsvChunkParser(onRecord, found.delimiter));
  };
  const hash = handlers.onSha256 && 'path' in source ? createHash('sha256') : undefined;
  try {
    for await (const chunk of chunksOf(source, file, hash)) {
      if (typeof chunk === 'string') parserFor(chunk).push(chunk);
      else parserFor(chunk).pushBytes(chunk);
      if (issues.length >= maxIssues) break;
    }
    parser?.end();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof CsvSyntaxError) {
      const column = error.field === undefined ? undefined : header[error.field] || `#${error.field + 1}`;
      issues.push({ file, row: error.line, ...(column === undefined ? {} : { column }), message: error.message });
    }
    // zlib's codes start Z_ (a damaged or truncated download, or a file that is not gzip at all).
    else if (typeof code === 'string' && code.startsWith('Z_'))
      issues.push({
        file,
        message: `cannot read the file as gzip (${(error as Error).message}): is it damaged, truncated, or not gzip at all?`,
      });
    else if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
      issues.push({ file, message: `cannot read the file (${code}): is it a folder, or not readable by you?` });
    else throw error;
  }
  if (raggedRows > RAGGED_ROWS_SAID_ONE_BY_ONE && raggedRows * 2 > rows) {
    const first = ragged[0];
    issues.push({
      ...first,
      message: `${raggedRows} of ${rows} rows have a different number of fields from the header's ${width} (this one, the first, has ${first.message.slice(first.message.lastIndexOf(' ') + 1)}): the header does not fit the rows (a different delimiter, or a header line missing or added)`,
    });
  } else issues.push(...ragged.slice(0, Math.max(0, maxIssues - issues.length)));
  if (width < 0 && issues.length === 0) issues.push({ file, row: 1, message: 'the file is empty: expected a header row' });
  if (hash && issues.length === 0) handlers.onSha256!(hash.digest('hex'));
  return issues;
}

/**
 * Hands out one string for each distinct value of a column, while the column has few of
 * them (districts, schools, grades, dates, statuses). A million rows then keep a few
 * thousand strings instead of a million copies, and the copies die young, which is what
 * keeps the garbage collector from spending seconds moving them. A column found to have
 * more than `limit` values (ids) stops being pooled.
 */
export class StringPool {
  private pool: Map<string, string> | undefined = new Map();

  constructor(private readonly limit = 10_000) {}

  share(value: string): string {
    const pool = this.pool;
    if (pool === undefined) return value;
    const shared = pool.get(value);
    if (shared !== undefined) return shared;
    if (pool.size < this.limit) pool.set(value, value);
    else this.pool = undefined;
    return value;
  }
}

/**
 * Reads a whole CSV into columns, keeping only `keep` when given, and, for a file, its
 * SHA-256. Throws ValidationError naming every malformed row.
 */
export async function readCsv(source: CsvSource, file: string, keep?: readonly string[]): Promise<CsvTable> {
  let header: readonly string[] = [];
  let kept: { name: string; index: number; values: string[]; pool: StringPool }[] = [];
  const lines: number[] = [];
  let sha256: string | undefined;
  const issues = await streamCsv(source, file, {
    onHeader: (h) => {
      header = h;
      const firstIndex = new Map<string, number>();
      h.forEach((name, index) => firstIndex.has(name) || firstIndex.set(name, index));
      kept = [...firstIndex]
        .filter(([name]) => keep === undefined || keep.includes(name))
        .map(([name, index]) => ({ name, index, values: [], pool: new StringPool() }));
      return keep === undefined ? undefined : h.map((_, index) => kept.some((c) => c.index === index));
    },
    onRow: (fields, line) => {
      for (const column of kept) column.values.push(column.pool.share(fields[column.index]));
      lines.push(line);
    },
    onSha256: (hex) => (sha256 = hex),
  });
  if (issues.length > 0) throw new ValidationError(issues, `${file} is not a readable CSV file`);
  const columns: Record<string, string[]> = {};
  for (const column of kept) columns[column.name] = column.values;
  return { file, header, columns, lines, rowCount: lines.length, ...(sha256 === undefined ? {} : { sha256 }) };
}
