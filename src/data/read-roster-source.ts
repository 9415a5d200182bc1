import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Issue, Validation } from '../errors.js';
import { unwrap, ValidationError } from '../errors.js';
import { sha256, sha256File } from '../io/hash.js';
import type { CsvTable } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import type { ColumnMapping } from './column-mapping.js';
import { issueInExport, locateColumns, renameTable } from './column-mapping.js';
import type { OneRosterOptions } from './read-oneroster.js';
import { readOneRoster, validateOneRosterBundle } from './read-oneroster.js';
import { isZipFile } from './read-oneroster-bundle.js';
import type { LeftOutStudent } from './read-oneroster-tables.js';
import type { Roster, RosterHouseholds } from './read-roster.js';
import { readRoster, readRosterColumns, validateRoster, validateRosterColumns } from './read-roster.js';
import type { RosterColumns } from './roster-columns.js';
import { rosterColumnsOf } from './roster-columns.js';
import { ROSTER_MAPPING_SHAPE } from './roster-mapping.js';

/**
 * Every `--roster` goes through here: a roster CSV (data-formats.md), or a OneRoster 1.1
 * or 1.2 bundle, told apart by what the path is: a folder, or a zip (by its first bytes
 * or its name), is a OneRoster bundle; anything else is read as CSV.
 */
export type RosterFormat = 'csv' | 'oneroster-1.1' | 'oneroster-1.2';

/** What a roster validation saw: a bundle too broken to tell its version is just `oneroster`. */
export type SeenRosterFormat = RosterFormat | 'oneroster';

export interface RosterRead extends Roster {
  /** Always known: a CSV roster or a zip is hashed as it is read, a folder by `sha256RosterSource`. */
  readonly sha256: string;
  readonly format: RosterFormat;
  readonly warnings: readonly Issue[];
  /** Students of a OneRoster bundle left out (disabled, unenrolled, a grade outside the study); none for a CSV. */
  readonly leftOut: readonly LeftOutStudent[];
}

/** How a roster is read: the OneRoster choices, and a mapping for a roster CSV in another layout. */
export interface RosterSourceOptions extends OneRosterOptions {
  /** The `roster` section of a mapping file (`--map`): a CSV roster is read through it. */
  readonly mapping?: ColumnMapping;
}

/** Whether the roster at `path` is a OneRoster bundle (a folder or a zip) rather than a CSV file. */
export async function isOneRosterSource(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return false;
  return info.isDirectory() || /\.zip$/i.test(path) || (await isZipFile(path));
}

/**
 * Reads a roster CSV or a OneRoster bundle; throws ValidationError listing every problem.
 * `columns` narrows what a CSV roster keeps (a million-row roster stays light); a
 * OneRoster bundle is small and read whole.
 */
export async function readRosterSource(path: string, columns?: readonly string[], options: RosterSourceOptions = {}): Promise<RosterRead> {
  if (options.mapping && !(await isOneRosterSource(path))) {
    const { table, validation } = await validateMappedRoster(path, options.mapping, (t) => validateRoster(t, options));
    const roster = unwrap(validation, `${path} is not a valid roster`);
    return { ...roster, sha256: table.sha256!, format: 'csv', warnings: validation.warnings, leftOut: [] };
  }
  if (!(await isOneRosterSource(path))) {
    const roster = await readRoster({ path }, path, columns, options);
    return { ...roster, sha256: roster.sha256!, format: 'csv', leftOut: [] };
  }
  const roster = await readOneRoster(path, options);
  return {
    file: roster.file,
    students: roster.students,
    format: `oneroster-${roster.version}`,
    warnings: roster.warnings,
    leftOut: roster.leftOut,
    sha256: roster.sha256 ?? (await sha256RosterSource(path)),
  };
}

/** A roster as `pilot assign` reads it: columns (`RosterColumns`), with what `RosterRead` says of its source. */
export interface RosterColumnsRead {
  readonly file: string;
  readonly columns: RosterColumns;
  /** The households validation found in a CSV roster (`RosterAsColumns.households`). */
  readonly households?: RosterHouseholds;
  readonly sha256: string;
  readonly format: RosterFormat;
  readonly warnings: readonly Issue[];
  readonly leftOut: readonly LeftOutStudent[];
}

/** `readRosterSource` as columns: a CSV roster is validated into them, a OneRoster bundle's students converted. */
export async function readRosterColumnsSource(
  path: string,
  columns?: readonly string[],
  options: RosterSourceOptions = {},
): Promise<RosterColumnsRead> {
  if (options.mapping && !(await isOneRosterSource(path))) {
    const { table, validation } = await validateMappedRoster(path, options.mapping, (t) => validateRosterColumns(t, options));
    const roster = unwrap(validation, `${path} is not a valid roster`);
    return { ...roster, sha256: table.sha256!, format: 'csv', warnings: validation.warnings, leftOut: [] };
  }
  if (!(await isOneRosterSource(path))) {
    const roster = await readRosterColumns({ path }, path, columns, options);
    return { ...roster, sha256: roster.sha256!, format: 'csv', leftOut: [] };
  }
  const roster = await readRosterSource(path, undefined, options);
  return {
    file: roster.file,
    columns: rosterColumnsOf(roster.students),
    format: roster.format,
    warnings: roster.warnings,
    leftOut: roster.leftOut,
    sha256: roster.sha256,
  };
}

/** Validates a roster CSV or a OneRoster bundle, returning every problem instead of throwing. */
export async function validateRosterSource(
  path: string,
  options: RosterSourceOptions = {},
): Promise<Validation<Roster> & { format: SeenRosterFormat }> {
  if (await isOneRosterSource(path)) {
    const validation = await validateOneRosterBundle(path, options);
    return { ...validation, format: validation.value ? `oneroster-${validation.value.version}` : 'oneroster' };
  }
  try {
    if (options.mapping)
      return { ...(await validateMappedRoster(path, options.mapping, (t) => validateRoster(t, options))).validation, format: 'csv' };
    return { ...validateRoster(await readCsv({ path }, path), options), format: 'csv' };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, issues: error.issues, warnings: [], format: 'csv' };
    throw error;
  }
}

/**
 * A roster CSV in another layout, read whole through a mapping (columns renamed, codes
 * turned into ours), then checked by `validate`; problems name the export's columns.
 */
async function validateMappedRoster<T>(
  path: string,
  mapping: ColumnMapping,
  validate: (table: CsvTable) => Validation<T>,
): Promise<{ table: CsvTable; validation: Validation<T> }> {
  const table = await readCsv({ path }, path);
  const missing = locateColumns(table.header, mapping, ROSTER_MAPPING_SHAPE, path).issues;
  if (missing.length > 0) return { table, validation: { ok: false, issues: missing, warnings: [] } };
  const validation = validate(renameTable(table, mapping, ROSTER_MAPPING_SHAPE));
  const inExport = (issues: readonly Issue[]) => issues.map((issue) => issueInExport(issue, mapping));
  return { table, validation: { ...validation, issues: inExport(validation.issues), warnings: inExport(validation.warnings) } };
}

/**
 * The SHA-256 recorded for a roster in manifests: the file's own for a CSV or a zip; for
 * a folder, the hash of its files' names and hashes, so any change to any file shows.
 */
export async function sha256RosterSource(path: string): Promise<string> {
  const info = await stat(path);
  if (!info.isDirectory()) return sha256File(path);
  const names = (await readdir(path, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const lines: string[] = [];
  for (const name of names) lines.push(`${await sha256File(join(path, name))}  ${name}\n`);
  return sha256(lines.join(''));
}
