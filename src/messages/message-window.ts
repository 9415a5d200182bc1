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
  /** Today's date (default: the clock's, in UTC): a list is never for a day still to come. */
  readonly today?: string;
}

/**
 * The window a message list counts absences in. Initial: the first day of school to
 * `asOf`. Recurring: the day after `since` (the last list's date, whose own window ended
 * on it, so no day is counted twice) to `asOf`. Without a calendar or `firstDay`, an
 * initial window reaches back a year, which counts the whole school year so far.
 */
export function messageWindow(options: MessageWindowOptions): { window: DateWindow; notes: string[] } {
  const { kind, asOf } = options;
  const notes: string[] = [];
  for (const [name, value] of [
    ['--as-of', asOf],
    ['--since', options.since],
    ['--first-day', options.firstDay],
  ] as const) {
    if (value !== undefined && !parseIsoDate(value)) throw new PilotError(`${name} "${value}" is not a date as YYYY-MM-DD`);
  }
  let from: string;
  if (kind === 'recurring') {
    if (!options.since) throw new PilotError('a recurring list needs --since, the date of the last message');
    from = addDays(options.since, 1);
  } else {
    if (options.since) throw new PilotError('--since is for --kind recurring; an initial list counts from the first day of school');
    const calendarStart = options.calendar?.dates().find((d) => d <= asOf && options.calendar!.isInstructional(d));
    from = options.firstDay ?? calendarStart ?? addDays(asOf, -364);
    if (!options.firstDay && !calendarStart) notes.push(`no calendar or --first-day: absences counted from ${from}, a year before --as-of`);
  }
  if (from > asOf) throw new PilotError(`the window starts on ${from}, after --as-of ${asOf}`);
  // A list counts absences that have happened: a date to come (a typo such as 2099) or past
  // the school year's end would count days with no attendance as days without absence.
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  if (asOf > today)
    throw new PilotError(`--as-of ${asOf} is after today (${today}): a list counts the absences up to a day that has passed`);
  const lastDay = options.calendar?.dates().at(-1);
  if (lastDay !== undefined && asOf > lastDay)
    throw new PilotError(`--as-of ${asOf} is after the calendar's last day (${lastDay}): the school year it covers has ended`);
  return { window: { from, to: asOf }, notes };
}
