import type { Issue } from '../errors.js';
import type { OneRosterTables } from './read-oneroster-tables.js';
import { requireColumns } from './require-columns.js';

export type OneRosterVersion = '1.1' | '1.2';

/** The bundle's version from `manifest.csv` (else told by the files), refusing delta exports. */
export function readManifest(tables: OneRosterTables, issues: Issue[]): OneRosterVersion {
  const inferred: OneRosterVersion = tables.roles || !('role' in tables.users.columns) ? '1.2' : '1.1';
  const manifest = tables.manifest;
  if (!manifest) return inferred;
  const missing = requireColumns(manifest, ['propertyName', 'value'], 'a OneRoster manifest');
  if (missing.length > 0) {
    issues.push(...missing);
    return inferred;
  }
  let version = inferred;
  for (let i = 0; i < manifest.rowCount; i++) {
    const [property, value] = [manifest.columns.propertyName[i], manifest.columns.value[i]];
    const where = { file: manifest.file, row: manifest.lines[i], column: 'value' };
    if (property === 'oneroster.version') {
      if (/^1\.1(\.|$)/.test(value)) version = '1.1';
      else if (/^1\.2(\.|$)/.test(value)) version = '1.2';
      else issues.push({ ...where, message: `OneRoster version "${value}" is not supported: expected 1.1 or 1.2` });
    }
    const file = /^file\.(users|orgs|roles|enrollments|classes)$/.exec(property)?.[1];
    if (file && value.toLowerCase() === 'delta') {
      issues.push({
        ...where,
        message: `${file}.csv is a delta export (only what changed since the last one): a roster needs a bulk export`,
      });
    }
  }
  return version;
}
