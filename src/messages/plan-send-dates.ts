import { addDays, daysBetween, parseIsoDate } from '../data/parse-values.js';
import type { SchoolCalendar } from '../data/read-calendar.js';
import { PilotError, UsageError } from '../errors.js';
import { formatCsvObjects } from '../io/write-csv.js';

/** One planned send: the list to make on `date` (`pilot messages --as-of date ...`). */
export interface SendDate {
  readonly send: number;
  readonly date: string;
  /** Week of school the date falls in, week 1 starting on the first day. */
  readonly week_of_school: number;
  readonly kind: 'initial' | 'recurring';
  /** For a recurring send: the previous send's date (`--since`). */
  readonly since: string;
  readonly weeks_since_last: number | '';
}

export interface SendScheduleOptions {
  /** Default: the calendar's first instructional day (for `school`). */
  readonly firstDay?: string;
  readonly school?: string;
  /** Weeks between sends, 4 to 6 (default 5). */
  readonly everyWeeks?: number;
}

/** The guide asks for at least this many sends a year; fewer is flagged. */
const MINIMUM_SENDS = 6;

export interface SendSchedule {
  readonly firstDay: string;
  readonly lastDay: string;
  readonly dates: readonly SendDate[];
  readonly warnings: readonly string[];
}

/**
 * The year's send dates: the first on the first instructional day of the 4th week of
 * school (by then a first month's attendance exists), then every `everyWeeks` weeks on
 * the first instructional day on or after the due date, so a holiday moves a send later,
 * never onto a day off; when a break would push a gap past 6 weeks, the send moves to
 * the last school day before the break (if that is at least 4 weeks on). If the interval leaves fewer than six sends, the
 * plan is redone every 4 weeks; a break that pushes a gap past 6 weeks is flagged.
 */
export function planSendDates(calendar: SchoolCalendar, options: SendScheduleOptions = {}): SendSchedule {
  const every = options.everyWeeks ?? 5;
  if (!(Number.isInteger(every) && every >= 4 && every <= 6))
    throw new UsageError('planSendDates', `everyWeeks must be 4, 5 or 6, got ${every}`);
  const days = calendar.instructionalDates('0000-01-01', '9999-12-31', options.school);
  if (days.length === 0)
    throw new PilotError(`the calendar has no instructional days${options.school ? ` for school ${options.school}` : ''}`);
  if (options.firstDay !== undefined && !parseIsoDate(options.firstDay))
    throw new PilotError(`--first-day "${options.firstDay}" is not a date as YYYY-MM-DD`);
  const firstDay = options.firstDay ?? days[0];
  const lastDay = days[days.length - 1];
  const warnings: string[] = [];
  let dates = plan(firstDay, every, days);
  if (dates.length < MINIMUM_SENDS && every > 4) {
    warnings.push(`every ${every} weeks leaves ${dates.length} sends; planned every 4 weeks instead to reach ${MINIMUM_SENDS}`);
    dates = plan(firstDay, 4, days);
  }
  if (dates.length < MINIMUM_SENDS)
    warnings.push(`only ${dates.length} sends fit between ${firstDay} and ${lastDay}; the guide asks for at least ${MINIMUM_SENDS} a year`);
  for (const d of dates)
    if (d.weeks_since_last !== '' && d.weeks_since_last > 6)
      warnings.push(`send ${d.send} on ${d.date} comes ${d.weeks_since_last} weeks after the last one (a break in between)`);
  return { firstDay, lastDay, dates, warnings };
}

function plan(firstDay: string, every: number, days: readonly string[]): SendDate[] {
  const firstOnOrAfter = (date: string) => days.find((d) => d >= date);
  const lastBefore = (date: string, notBefore: string) => [...days].reverse().find((d) => d < date && d >= notBefore);
  const dates: SendDate[] = [];
  let date = firstOnOrAfter(addDays(firstDay, 21));
  while (date !== undefined) {
    const previous = dates.at(-1);
    dates.push({
      send: dates.length + 1,
      date,
      week_of_school: Math.floor(daysBetween(firstDay, date) / 7) + 1,
      kind: previous ? 'recurring' : 'initial',
      since: previous?.date ?? '',
      weeks_since_last: previous ? Math.round((daysBetween(previous.date, date) / 7) * 10) / 10 : '',
    });
    // Due `every` weeks on; when a break pushes that past 6 weeks, send before the break
    // if a day at least 4 weeks on allows it.
    const due = addDays(date, 7 * every);
    const next = firstOnOrAfter(due);
    date = next !== undefined && next > addDays(date, 42) ? (lastBefore(due, addDays(date, 28)) ?? next) : next;
  }
  return dates;
}

/** `schedule.csv`: one row per send. */
export function formatScheduleCsv(schedule: SendSchedule): string {
  return formatCsvObjects<SendDate>(['send', 'date', 'week_of_school', 'kind', 'since', 'weeks_since_last'], schedule.dates);
}
