import { readFile } from 'node:fs/promises';
import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { AttendanceMapping } from './attendance-mapping.js';
import { parseAttendanceMapping } from './attendance-mapping.js';
import type { ColumnMapping } from './column-mapping.js';
import { isObject, parseColumnMapping } from './column-mapping.js';
import { parseSendLogMapping } from './read-send-log.js';
import { ROSTER_MAPPING_SHAPE } from './roster-mapping.js';

/**
 * A mapping file (`--map`): one section per kind of file it maps, so one file serves
 * every command a district runs. `roster` maps a roster CSV, `attendance` an attendance
 * export, `deliveries` a messaging system's send log; each is a column mapping
 * (`column-mapping.ts`).
 *
 * ```json
 * { "attendance": { "columns": { "student_id": "StudentNumber", "date": "attendance_date", "status": "code" },
 *                   "date_format": "D/M/YYYY" } }
 * ```
 */
export interface MappingFile {
  readonly roster?: ColumnMapping;
  readonly attendance?: AttendanceMapping;
  readonly deliveries?: ColumnMapping;
}

const SECTIONS = ['roster', 'attendance', 'deliveries', 'description'] as const;

/** Checks a parsed mapping file, collecting the problems of every section. */
export function parseMappingFile(json: unknown, file: string): { mapping?: MappingFile; issues: Issue[] } {
  if (!isObject(json) || !SECTIONS.slice(0, 3).some((section) => section in json)) {
    return {
      issues: [
        { file, message: 'a mapping file is a JSON object with a "roster", an "attendance" or a "deliveries" section (or several)' },
      ],
    };
  }
  const issues: Issue[] = [];
  for (const key of Object.keys(json)) {
    if (!(SECTIONS as readonly string[]).includes(key))
      issues.push({
        file,
        column: key,
        message: `unknown section "${key}" in a mapping file: expected roster, attendance, deliveries, description`,
      });
  }
  const roster = json.roster === undefined ? undefined : parseColumnMapping(json.roster, file, ROSTER_MAPPING_SHAPE);
  const attendance = json.attendance === undefined ? undefined : parseAttendanceMapping(json.attendance, file);
  const deliveries = json.deliveries === undefined ? undefined : parseSendLogMapping(json.deliveries, file);
  issues.push(...(roster?.issues ?? []), ...(attendance?.issues ?? []), ...(deliveries?.issues ?? []));
  if (issues.length > 0) return { issues };
  return {
    mapping: {
      ...(roster?.mapping ? { roster: roster.mapping } : {}),
      ...(attendance?.mapping ? { attendance: attendance.mapping } : {}),
      ...(deliveries?.mapping ? { deliveries: deliveries.mapping } : {}),
    },
    issues,
  };
}

/** Reads and checks a mapping file; throws ValidationError naming every problem. */
export async function readMappingFile(path: string): Promise<MappingFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const message = (error as NodeJS.ErrnoException).code
      ? 'cannot read the mapping file: it does not exist or is not readable'
      : `the mapping file is not JSON (${(error as Error).message})`;
    throw new ValidationError([{ file: path, message }], `${path} is not a usable mapping file`);
  }
  const { mapping, issues } = parseMappingFile(json, path);
  if (!mapping) throw new ValidationError(issues, `${path} is not a usable mapping file`);
  return mapping;
}
