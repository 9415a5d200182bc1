/**
 * Shared pieces of the property tests over every reader (issue 4): arbitraries for cell
 * text (hostile characters included), the ways a file gets broken, and the check that a
 * reader either reads correctly or refuses cleanly. The fast suite and the slow one run
 * the same properties with different numbers of runs.
 */

import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Issue } from '../../src/errors.js';
import { PilotError, ValidationError } from '../../src/errors.js';

/**
 * Characters that break naive CSV handling or spreadsheets, mixed with ordinary ones. Not
 * NUL: a text file never holds one, and readers refuse it (a `control` breakage).
 */
const HOSTILE_UNITS = [
  'a',
  'b',
  'Z',
  '7',
  ' ',
  ',',
  ';',
  '"',
  "'",
  '\n',
  '\r',
  '\r\n',
  '\t',
  '=',
  '+',
  '-',
  '@',
  '|',
  'é',
  'ñ',
  '中',
  '😀',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\\',
];

/** Any text a cell might hold, hostile characters included. */
export const rawCell = fc.string({ unit: fc.constantFrom(...HOSTILE_UNITS), maxLength: 12 });

/** A cell as a reader returns it: readers trim surrounding whitespace. */
export const cellValue = rawCell.map((text) => text.trim());

/** A non-blank cell value (ids, names that must be present). */
export const nonBlankCell = cellValue.filter((text) => text.length > 0);

/** Formula-looking values a roster might carry (issue 4's examples, and a few more). */
export const FORMULA_VALUES = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', '=1+1', "'=already quoted", '-', '+', '=', '@'];

/** Ways a file goes wrong in real life. Each takes the text and a position in [0, 1). */
export type Breakage =
  | { kind: 'truncate'; at: number }
  | { kind: 'delimiter'; to: ';' | '\t' | '|' }
  | { kind: 'stray-quote'; at: number }
  | { kind: 'bom'; at: number }
  | { kind: 'huge-field'; at: number }
  | { kind: 'control'; at: number; char: string }
  | { kind: 'duplicate-header' }
  | { kind: 'line-endings'; ending: '\r\n' | '\r'; every: number }
  | { kind: 'drop-line'; at: number }
  | { kind: 'blank-header' };

const position = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

export const breakage: fc.Arbitrary<Breakage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('delimiter' as const), to: fc.constantFrom(';' as const, '\t' as const, '|' as const) }),
  fc.record({ kind: fc.constant('stray-quote' as const), at: position }),
  fc.record({ kind: fc.constant('bom' as const), at: position }),
  fc.record({ kind: fc.constant('huge-field' as const), at: position }),
  fc.record({
    kind: fc.constant('control' as const),
    at: position,
    char: fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u2028', '\ufffd'),
  }),
  fc.record({ kind: fc.constant('duplicate-header' as const) }),
  fc.record({
    kind: fc.constant('line-endings' as const),
    ending: fc.constantFrom('\r\n' as const, '\r' as const),
    every: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('drop-line' as const), at: position }),
  fc.record({ kind: fc.constant('blank-header' as const) }),
);

/** Longer than the parser's limit on one field (1,000,000 characters). */
const HUGE = 'x'.repeat(1_000_100);

/** Applies a breakage to CSV text. */
export function breakText(text: string, damage: Breakage): string {
  const at = (fraction: number) => Math.floor(fraction * (text.length + 1));
  switch (damage.kind) {
    case 'truncate':
      return text.slice(0, at(damage.at));
    case 'delimiter':
      return text.replaceAll(',', damage.to);
    case 'stray-quote':
      return `${text.slice(0, at(damage.at))}"${text.slice(at(damage.at))}`;
    case 'bom':
      return `${text.slice(0, at(damage.at))}\ufeff${text.slice(at(damage.at))}`;
    case 'huge-field':
      return text.slice(0, at(damage.at)) + HUGE + text.slice(at(damage.at));
    case 'control':
      return text.slice(0, at(damage.at)) + damage.char + text.slice(at(damage.at));
    case 'duplicate-header': {
      const end = text.indexOf('\n');
      const header = text.slice(0, end < 0 ? text.length : end).split(',');
      if (header.length > 1) header[header.length - 1] = header[0];
      return header.join(',') + (end < 0 ? '' : text.slice(end));
    }
    case 'line-endings': {
      let count = 0;
      return text.replace(/\n/g, () => (++count % damage.every === 0 ? damage.ending : '\n'));
    }
    case 'drop-line': {
      const lines = text.split('\n');
      lines.splice(Math.floor(damage.at * lines.length), 1);
      return lines.join('\n');
    }
    case 'blank-header':
      return text.replace(/^[^,\n]*/, '');
  }
}

/** Ways a gzip file goes wrong: truncated, bit-flipped, trailing garbage, not gzip at all. */
export type GzipBreakage =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; bits: number }
  | { kind: 'trailing'; bytes: Uint8Array }
  | { kind: 'not-gzip'; bytes: Uint8Array };

export const gzipBreakage: fc.Arbitrary<GzipBreakage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('flip' as const), at: position, bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('trailing' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('not-gzip' as const), bytes: fc.uint8Array({ maxLength: 256 }) }),
);

/** The gzip bytes of `text`, broken. */
export function breakGzip(text: string, damage: GzipBreakage): Uint8Array {
  const bytes = new Uint8Array(gzipSync(text));
  switch (damage.kind) {
    case 'truncate':
      return bytes.slice(0, Math.floor(damage.at * bytes.length));
    case 'flip': {
      const copy = bytes.slice();
      copy[Math.floor(damage.at * copy.length)] ^= damage.bits;
      return copy;
    }
    case 'trailing':
      return new Uint8Array([...bytes, ...damage.bytes]);
    case 'not-gzip':
      return damage.bytes;
  }
}

/** A case must finish within this many milliseconds (a hang or quadratic blow-up fails). */
export const CASE_TIME_LIMIT_MS = 5_000;

/**
 * The property every reader keeps on any input: it returns, or it throws ValidationError
 * (each issue naming the file, and the row for a CSV) or PilotError naming the file;
 * never another exception, and within the time limit.
 */
export async function expectReadOrCleanRefusal<T>(
  file: string,
  read: () => Promise<T>,
  options: { csv: boolean } = { csv: true },
): Promise<{ value?: T; error?: ValidationError | PilotError }> {
  const started = performance.now();
  let outcome: { value?: T; error?: ValidationError | PilotError };
  try {
    outcome = { value: await read() };
  } catch (error) {
    if (!(error instanceof ValidationError || error instanceof PilotError)) {
      throw new Error(`${file}: expected a ValidationError or PilotError, got ${(error as Error)?.name}: ${(error as Error)?.message}`, {
        cause: error,
      });
    }
    if (error instanceof ValidationError) {
      expect(error.issues.length).toBeGreaterThan(0);
      for (const issue of error.issues) expectIssueLocated(issue, file, options.csv);
    } else expect(error.message).toContain(file);
    outcome = { error };
  }
  expect(performance.now() - started).toBeLessThan(CASE_TIME_LIMIT_MS);
  return outcome;
}

/**
 * An issue names its file; in a CSV, its row (a whole-file problem such as an unreadable
 * gzip stream names no row), and for a value in a data row, its column.
 */
export function expectIssueLocated(issue: Issue, file: string, csv: boolean): void {
  expect(issue.file, JSON.stringify(issue)).toBe(file);
  expect(issue.message.length, JSON.stringify(issue)).toBeGreaterThan(0);
  if (!csv) {
    // JSON: where in the file (line and character) for a syntax error, the field's path otherwise.
    expect(issue.column ?? issue.row, JSON.stringify(issue)).toBeDefined();
    return;
  }
  if (issue.row === undefined) {
    expect(issue.message, JSON.stringify(issue)).toMatch(WHOLE_FILE_PROBLEM);
    return;
  }
  expect(Number.isInteger(issue.row) && issue.row >= 1, JSON.stringify(issue)).toBe(true);
  if (issue.row > 1 && !STRUCTURAL_PROBLEM.test(issue.message)) expect(issue.column, JSON.stringify(issue)).toBeTruthy();
}

/** Problems of the whole file, which have no row. */
const WHOLE_FILE_PROBLEM = /cannot read the file|gzip|every e is 0/;

/**
 * Problems of a record's structure rather than one value: the row is named, not a column
 * (a line or record too long to split into fields, a roster with no rows).
 */
const STRUCTURAL_PROBLEM = /a line longer than|a record longer than|the roster has no students|a NUL character/;

/** CSV text written the way a careful exporter would: quotes where needed, a line ending each. */
export function csvText(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { ending?: string; bom?: boolean; quoteAll?: boolean } = {},
): string {
  // A record of one empty field is quoted, else it would be a blank line (which readers skip).
  const quote = (value: string, alone: boolean) =>
    options.quoteAll || /[",\r\n]/.test(value) || (alone && value === '') ? `"${value.replaceAll('"', '""')}"` : value;
  const ending = options.ending ?? '\n';
  const lines = [header, ...rows].map((fields) => fields.map((f) => quote(f, fields.length === 1)).join(','));
  return (options.bom ? '\ufeff' : '') + lines.join(ending) + ending;
}
