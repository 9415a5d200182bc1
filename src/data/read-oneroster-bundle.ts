import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { unzipSync } from 'fflate';
import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import { sha256 } from '../io/hash.js';
import type { CsvSource } from '../io/read-csv.js';

/**
 * A OneRoster CSV bundle opened for reading: a folder of CSV files, or a zip of them.
 * The 1EdTech CSV binding (OneRoster 1.1 CSV Tables; OneRoster 1.2 CSV Binding) ships
 * `manifest.csv`, `users.csv`, `orgs.csv`, `enrollments.csv`, ... in one folder or zip.
 */
export interface OneRosterBundle {
  /** The folder or zip as the user gave it. */
  readonly path: string;
  readonly kind: 'folder' | 'zip';
  /** The bundle's CSV files by lower-case name (`users.csv`): how messages name each, and where its text is. */
  readonly files: ReadonlyMap<string, { readonly label: string; readonly source: CsvSource }>;
  /** A zip's SHA-256, from the bytes read to unzip it (a folder's is `sha256RosterSource`'s to take). */
  readonly sha256?: string;
}

/** The files a roster is read from; others in the bundle (courses, results, ...) are never opened. */
const ONEROSTER_FILES = ['manifest.csv', 'users.csv', 'orgs.csv', 'roles.csv', 'enrollments.csv', 'classes.csv'] as const;

/** An entry larger than this uncompressed is refused: no roster is that big, a zip bomb may be. */
const MAX_ENTRY_BYTES = 1 << 30;

/** Whether a path is a zip file, by its first bytes (`PK\x03\x04`) rather than its name. */
export async function isZipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32LE(0) === 0x04034b50;
  } finally {
    await handle.close();
  }
}

/**
 * Opens a OneRoster bundle: a folder holding `users.csv`, or a zip holding it (at the
 * top, or in one folder inside: some SIS exports zip the folder itself). File names
 * match whatever their case. Throws ValidationError when there is no `users.csv`.
 */
export async function openOneRosterBundle(path: string): Promise<OneRosterBundle> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new ValidationError([{ file: path, message: 'cannot read the roster: it does not exist or is not readable' }]);
  return info.isDirectory() ? openFolder(path) : openZip(path);
}

async function openFolder(path: string): Promise<OneRosterBundle> {
  const files = new Map<string, { label: string; source: CsvSource }>();
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const name = entry.name.toLowerCase();
    if (entry.isFile() && (ONEROSTER_FILES as readonly string[]).includes(name))
      files.set(name, { label: join(path, entry.name), source: { path: join(path, entry.name) } });
  }
  if (!files.has('users.csv')) throw missingUsers(path, 'folder');
  return { path, kind: 'folder', files };
}

async function openZip(path: string): Promise<OneRosterBundle> {
  const bytes = new Uint8Array(await readFile(path));
  const oversize: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (entry) => {
        const wanted =
          !entry.name.includes('__MACOSX/') && (ONEROSTER_FILES as readonly string[]).includes(posix.basename(entry.name).toLowerCase());
        if (wanted && entry.originalSize > MAX_ENTRY_BYTES) oversize.push(entry.name);
        return wanted && entry.originalSize <= MAX_ENTRY_BYTES;
      },
    });
  } catch (error) {
    throw new ValidationError(
      [{ file: path, message: `cannot read the zip: ${(error as Error).message}` }],
      `${path} is not a readable OneRoster zip`,
    );
  }
  if (oversize.length > 0) {
    throw new ValidationError(
      oversize.map((name) => ({ file: `${path}/${name}`, message: `larger than ${MAX_ENTRY_BYTES} bytes uncompressed: refused` })),
    );
  }
  // The bundle's folder inside the zip is the shallowest one holding users.csv.
  const usersEntry = Object.keys(entries)
    .filter((name) => posix.basename(name).toLowerCase() === 'users.csv')
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1))[0];
  if (usersEntry === undefined) throw missingUsers(path, 'zip');
  const folder = posix.dirname(usersEntry);
  const decoder = new TextDecoder('utf-8');
  const files = new Map<string, { label: string; source: CsvSource }>();
  for (const [name, contents] of Object.entries(entries)) {
    if (posix.dirname(name) !== folder) continue;
    files.set(posix.basename(name).toLowerCase(), { label: `${path}/${name}`, source: { text: decoder.decode(contents) } });
  }
  return { path, kind: 'zip', files, sha256: sha256(bytes) };
}

function missingUsers(path: string, kind: 'folder' | 'zip'): ValidationError {
  const issue: Issue = {
    file: path,
    message: `a OneRoster ${kind} must hold users.csv (with orgs.csv, and roles.csv for OneRoster 1.2); none was found`,
  };
  return new ValidationError([issue], `${path} is not a OneRoster bundle`);
}
