import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { PRIVATE_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import type { RosterStudent } from '../types.js';
import type { FormatOneRosterOptions } from './format-oneroster.js';
import { formatOneRoster } from './format-oneroster.js';

export interface WriteOneRosterOptions extends FormatOneRosterOptions {
  /** Write one `.zip` at `path` instead of a folder of CSV files. */
  readonly zip?: boolean;
  /** File mode; rosters hold names and contacts, so owner-only unless told otherwise. */
  readonly mode?: number;
}

/** A fixed time stamp for zip entries, so the same roster always makes the same bytes. */
const ZIP_TIME = new Date('2025-08-01T00:00:00Z');

/**
 * Writes a roster as a OneRoster bulk CSV bundle (see `formatOneRoster`): a folder of
 * CSV files, or a zip of them, all or nothing. Returns the paths written.
 */
export async function writeOneRoster(path: string, students: readonly RosterStudent[], options: WriteOneRosterOptions): Promise<string[]> {
  const files = formatOneRoster(students, options);
  const mode = options.mode ?? PRIVATE_MODE;
  if (options.zip) {
    const entries = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]));
    await writeFilesAtomically([{ path, contents: zipSync(entries, { level: 9, mtime: ZIP_TIME }), mode }]);
    return [path];
  }
  const planned = Object.entries(files).map(([name, contents]) => ({ path: join(path, name), contents, mode }));
  await writeFilesAtomically(planned);
  return planned.map((file) => file.path);
}
