import type { Issue } from '../errors.js';
import type { AttendanceMapping } from './attendance-mapping.js';
import { ATTENDANCE_MAPPING_SHAPE } from './attendance-mapping.js';
import type { StatusRead } from './attendance-status.js';
import { defaultFractionAbsent, descriptorCode, readStatus } from './attendance-status.js';
import { locateColumns, mapCode, parseDateAs } from './column-mapping.js';
import { parseNonNegative } from './parse-values.js';

/** What the rows of a mapped export report to the reader that totals them. */
export interface MappedRowHooks {
  readonly fail: (row: number, column: string, message: string) => void;
  /** Whether a record counts: false when its student or day is left out (the caller counts those). */
  readonly keep: (student: string, date: string) => boolean;
  /** One student-day's fraction absent, once for each student and day, after the last row. */
  readonly record: (student: string, date: string, fraction: number) => void;
}

/** The records of one student on one day, as they are combined. */
interface StudentDay {
  /** Statuses (largest) or periods (a period rule) seen, to find a duplicate. */
  readonly seen: Set<string>;
  /** The largest fraction absent (largest), or the sum of the periods' (a period rule). */
  fraction: number;
}

/**
 * Reads an export's rows through a mapping into one fraction absent per student and day.
 * Records of one student-day need not be next to each other, so the days are combined
 * in memory (a map of student-days) and handed on by `finish`; a daily file in our own
 * layout is read without this, row by row.
 */
export function mappedAttendanceRows(header: readonly string[], mapping: AttendanceMapping, file: string, hooks: MappedRowHooks) {
  const { at, issues } = locateColumns(header, mapping, ATTENDANCE_MAPPING_SHAPE, file);
  const name = (ours: string) => mapping.columns[ours] ?? ours;
  const statuses = new Map<string, StatusRead | undefined>();
  const days = new Map<string, StudentDay>();
  const dates = new Map<string, string | undefined>();
  let combined = 0;
  let rows = 0;
  const { fail } = hooks;

  const statusOf = (code: string): StatusRead | undefined => {
    if (!statuses.has(code)) {
      const mapped = mapCode(mapping, 'status', code);
      statuses.set(code, mapped === 'partial' ? { status: 'absent', partial: true } : readStatus(mapped ?? code));
    }
    return statuses.get(code);
  };
  const fractionIn = (fields: string[], ours: string, line: number): number | undefined | null => {
    const text = at[ours] >= 0 ? fields[at[ours]] : '';
    if (text === '') return undefined;
    const value = parseNonNegative(text);
    if (value === undefined || value > 1) {
      fail(line, name(ours), `"${text}" is not a fraction of the day from 0 to 1`);
      return null;
    }
    return value;
  };

  const onRow = (fields: string[], line: number): void => {
    const student = fields[at.student_id];
    if (student === '') return fail(line, name('student_id'), 'blank student id');
    const dateText = fields[at.date];
    if (!dates.has(dateText)) dates.set(dateText, parseDateAs(dateText, mapping.dateFormat));
    const date = dates.get(dateText);
    if (date === undefined) return fail(line, name('date'), `"${dateText}" is not a date as ${mapping.dateFormat}`);
    const code = fields[at.status];
    const status = statusOf(code);
    if (status === undefined) {
      const mapped = mapping.values.status ? `the mapping's values.status does not name it, and it is not ` : 'expected ';
      return fail(
        line,
        name('status'),
        `unknown status "${code}": ${mapped}present, absent, excused, unexcused, tardy, early_departure or Partial (descriptor URIs are read by the part after #)`,
      );
    }
    const given = fractionIn(fields, 'fraction_absent', line);
    // Ed-Fi's EventDuration is how long the event lasted: time missed only for an absence or Partial.
    const counts = defaultFractionAbsent(status.status) > 0;
    const duration = counts ? fractionIn(fields, 'event_duration', line) : undefined;
    if (given === null || duration === null) return;
    const fraction = given ?? duration ?? (status.partial ? undefined : defaultFractionAbsent(status.status));
    if (fraction === undefined)
      return fail(
        line,
        name(at.event_duration >= 0 ? 'event_duration' : 'status'),
        `a Partial record needs the fraction of the day missed (${name('event_duration')})`,
      );
    if (!hooks.keep(student, date)) return;
    rows++;
    const key = `${student}\u0000${date}`;
    const day = days.get(key);
    const period = at.period >= 0 ? fields[at.period] : undefined;
    // A status is the same whether written as a descriptor URI or by its code.
    const seenAs = period ?? descriptorCode(code).trim().toLowerCase();
    if (day?.seen.has(seenAs) || (day && mapping.sameDay === 'error' && period === undefined)) {
      const what = period !== undefined ? `period "${period}"` : mapping.sameDay === 'error' ? 'a record' : `"${descriptorCode(code)}"`;
      return fail(line, name(period !== undefined ? 'period' : 'date'), `${what} appears twice for student "${student}" on ${date}`);
    }
    if (!day) days.set(key, { seen: new Set([seenAs]), fraction });
    else {
      day.seen.add(seenAs);
      if (period !== undefined) day.fraction += fraction;
      else {
        if (day.seen.size === 2) combined++;
        day.fraction = Math.max(day.fraction, fraction);
      }
    }
  };

  /** Hands on every student-day, and returns the notes that say how they were combined. */
  const finish = (): Issue[] => {
    const rule = mapping.periodRule;
    for (const [key, day] of days) {
      const [student, date] = key.split('\u0000');
      let fraction = day.fraction;
      if (rule !== undefined) {
        const share = day.fraction / day.seen.size;
        fraction = rule === 'share' ? share : share > rule.absentWhenMoreThan ? 1 : 0;
      }
      hooks.record(student, date, fraction);
    }
    const notes: Issue[] = [];
    const read = `read as ${mapping.description ?? 'mapped attendance'}`;
    if (rule !== undefined) {
      const how =
        rule === 'share'
          ? 'the share of its periods missed'
          : `absent when more than ${rule.absentWhenMoreThan} of its periods were missed, present otherwise`;
      notes.push({ file, message: `${read}: ${rows} period records make ${days.size} student-days; a day counts ${how}` });
    } else if (combined > 0) {
      notes.push({
        file,
        message: `${read}: ${combined} student-day${combined === 1 ? ' has' : 's have'} several records; each day counts the largest fraction absent among them`,
      });
    }
    return notes;
  };

  // A header without the mapping's columns has no rows worth reading.
  return { issues, onRow: issues.length > 0 ? () => undefined : onRow, finish };
}
