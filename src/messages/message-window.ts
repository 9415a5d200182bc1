import { addDays, parseIsoDate } from '../data/parse-values.js';
import type { SchoolCalendar } from '../data/read-calendar.js';
import { PilotError } from '../errors.js';
import type { DateWindow } from '../types.js';

/** `initial`: since the first day of school; `recurring`: since the last message. */
export type MessageListKind = 'initial' | 'recurring';

export interface MessageWindowOptions {
  readonly kind: MessageListKind;
  /** The date the list is for; the window ends on it (inclusive). */
  readonly asOf: string;
  /** recurring: the date of the last message; the window starts the day after. */
  readonly since?: string;
  /** initial: the first day of school (default: the calendar's first instructional day). */
  readonly firstDay?: string;
  readonly calendar?: SchoolCalendar;
  /** The calendar's file, named when `asOf` lies outside it. */
  readonly calendarFile?: string;
  /** Today's date (default: the clock's, in UTC): a list is never for a day still to come. */
  readonly today?: string;
}

/**
 * Checks the dates of a list as the command line gives them, before any file is read:
 * each is a real date as YYYY-MM-DD, `since` goes with a recurring list only, and the
 * window they make does not start after `asOf`. Throws a `PilotError` saying which.
 */
export function checkMessageDates(options: Omit<MessageWindowOptions, 'calendar' | 'calendarFile' | 'today'>): void {
  for (const [name, value] of [
    ['--as-of', options.asOf],
    ['--since', options.since],
    ['--first-day', options.firstDay],
  ] as const) {
    if (value !== undefined && !parseIsoDate(value)) throw new PilotError(`${name} "${value}" is not a date as YYYY-MM-DD`);
  }
  if (options.kind === 'recurring' && !options.since) throw new PilotError('a recurring list needs --since, the date of the last message');
  if (options.kind === 'initial' && options.since)
    throw new PilotError('--since is for --kind recurring; an initial list counts from the first day of school');
  const from = options.since ? addDays(options.since, 1) : options.firstDay;
  if (from !== undefined && from > options.asOf) throw new PilotError(`the window starts on ${from}, after --as-of ${options.asOf}`);
}

/**
 * The window a message list counts absences in. Initial: the first day of school to
 * `asOf`. Recurring: the day after `since` (the last list's date, whose own window ended
 * on it, so no day is counted twice) to `asOf`. Without a calendar or `firstDay`, an
 * initial window reaches back a year, which counts the whole school year so far.
 * An `asOf` outside the calendar's school year, or still to come, is refused input.
 */
export function messageWindow(options: MessageWindowOptions): { window: DateWindow; notes: string[] } {
  checkMessageDates(options);
  const { kind, asOf } = options;
  const notes: string[] = [];
  // A list counts absences that have happened: a date outside the school year (a typo
  // such as 2099) would count days with no attendance as days without absence.
  const days = options.calendar?.dates() ?? [];
  const calendar = options.calendarFile ? `the calendar ${options.calendarFile}` : 'the calendar';
  if (days.length > 0 && asOf < days[0])
    throw new PilotError(`--as-of ${asOf} is before the first day of ${calendar} (${days[0]}): the list would count no school day`);
  if (days.length > 0 && asOf > days[days.length - 1])
    throw new PilotError(
      `--as-of ${asOf} is after the last day of ${calendar} (${days[days.length - 1]}): the school year it covers has ended`,
    );
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (asOf > today)
    throw new PilotError(`--as-of ${asOf} is after today (${today}): a list counts the absences up to a day that has passed`);
  let from: string;
  if (kind === 'recurring') from = addDays(options.since!, 1);
  else {
    const calendarStart = options.calendar?.dates().find((d) => d <= asOf && options.calendar!.isInstructional(d));
    from = options.firstDay ?? calendarStart ?? addDays(asOf, -364);
    if (!options.firstDay && !calendarStart) notes.push(`no calendar or --first-day: absences counted from ${from}, a year before --as-of`);
  }
  return { window: { from, to: asOf }, notes };
}
