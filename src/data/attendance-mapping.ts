import type { Issue } from '../errors.js';
import type { ColumnMapping, MappingShape } from './column-mapping.js';
import { parseColumnMapping } from './column-mapping.js';

/**
 * How an attendance export in another layout reads as daily records: a column mapping
 * (`column-mapping.ts`) with two attendance rules.
 *
 * - `sameDay`: what several records for one student on one day mean. `error` (our own
 *   format's rule: a second record is a mistake) or `largest` (Ed-Fi's several events a
 *   day: the day counts the largest fraction absent among them; the same status twice is
 *   still a duplicate).
 * - `periodRule`, for exports with one row per class period (`columns.period`): the day's
 *   fraction absent is the share of its periods missed (`share`), or 1 when more than a
 *   stated fraction of them were missed and 0 otherwise (`{ absentWhenMoreThan: 0.5 }`).
 */
export interface AttendanceMapping extends ColumnMapping {
  readonly sameDay: 'error' | 'largest';
  readonly periodRule?: 'share' | { readonly absentWhenMoreThan: number };
  /** What the mapping is for, from its `description` (shown in notes). */
  readonly description?: string;
}

/** Our statuses, and Ed-Fi's `partial`, that an export's codes may map to. */
const STATUS_VOCABULARY = ['present', 'absent', 'excused', 'unexcused', 'tardy', 'early_departure', 'partial'] as const;

/** The attendance columns a mapping may name. */
export const ATTENDANCE_MAPPING_SHAPE: MappingShape = {
  kind: 'attendance',
  required: ['student_id', 'date', 'status'],
  // fraction_absent: our column (it overrides the status); event_duration: Ed-Fi's EventDuration,
  // the event's length in days, which is the fraction missed only for an absence or Partial.
  optional: ['fraction_absent', 'event_duration', 'period'],
  vocabularies: { status: STATUS_VOCABULARY },
  extraKeys: ['same_day', 'period_rule'],
};

/** Checks the `attendance` section of a parsed mapping file, collecting every problem. */
export function parseAttendanceMapping(json: unknown, file: string): { mapping?: AttendanceMapping; issues: Issue[] } {
  const { mapping, issues } = parseColumnMapping(json, file, ATTENDANCE_MAPPING_SHAPE);
  const fields = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const sameDay = fields.same_day ?? 'error';
  if (sameDay !== 'error' && sameDay !== 'largest')
    issues.push({ file, column: 'attendance.same_day', message: `same_day is ${JSON.stringify(sameDay)}: expected "error" or "largest"` });
  const rule = fields.period_rule;
  let periodRule: AttendanceMapping['periodRule'];
  if (rule === 'share') periodRule = 'share';
  else if (typeof rule === 'object' && rule !== null && Object.keys(rule).join() === 'absent_when_more_than') {
    const fraction = (rule as { absent_when_more_than: unknown }).absent_when_more_than;
    if (typeof fraction === 'number' && fraction >= 0 && fraction < 1) periodRule = { absentWhenMoreThan: fraction };
  }
  if (rule !== undefined && periodRule === undefined) {
    issues.push({
      file,
      column: 'attendance.period_rule',
      message: `period_rule is ${JSON.stringify(rule)}: expected "share" or { "absent_when_more_than": a fraction from 0 to below 1 }`,
    });
  }
  const byPeriod = mapping?.columns.period !== undefined;
  if (mapping && byPeriod !== (periodRule !== undefined)) {
    issues.push({
      file,
      column: 'attendance.period_rule',
      message: byPeriod
        ? 'columns.period is given: say how periods make a day with period_rule'
        : 'period_rule is given but columns.period is not',
    });
  }
  if (!mapping || issues.length > 0) return { issues };
  const description = typeof fields.description === 'string' ? fields.description : undefined;
  return {
    mapping: {
      ...mapping,
      sameDay: sameDay as AttendanceMapping['sameDay'],
      ...(periodRule ? { periodRule } : {}),
      ...(description ? { description } : {}),
    },
    issues,
  };
}

/**
 * Ed-Fi `StudentSchoolAttendanceEvent` records flattened to CSV (the Data Standard's
 * element names as columns): categories as descriptors or descriptor URIs, `Partial`
 * with `EventDuration` as the fraction of the day missed, several events a day combined
 * by their largest fraction absent. `fixtures/mappings/ed-fi-attendance.json` is the
 * same mapping as a file, to start a variant from.
 */
export const ED_FI_ATTENDANCE_MAPPING: AttendanceMapping = {
  description: 'Ed-Fi StudentSchoolAttendanceEvent',
  columns: {
    student_id: 'StudentUniqueId',
    date: 'EventDate',
    status: 'AttendanceEventCategoryDescriptor',
    event_duration: 'EventDuration',
  },
  values: {},
  dateFormat: 'YYYY-MM-DD',
  sameDay: 'largest',
};

/** Whether a header is Ed-Fi attendance events' (read with `ED_FI_ATTENDANCE_MAPPING` without being told). */
export function isEdFiAttendanceHeader(header: readonly string[]): boolean {
  return ['StudentUniqueId', 'EventDate', 'AttendanceEventCategoryDescriptor'].every((name) => header.includes(name));
}
