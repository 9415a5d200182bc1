import { addDays, dayOfWeek } from '../data/parse-values.js';
import type { SchoolCalendar } from '../data/read-calendar.js';

/**
 * Instructional days in the `weeks` weeks after `asOf` (not counting it): from the
 * calendar when there is one, else weekdays, since without a calendar the future school
 * days are unknown.
 */
export function countUpcomingDays(asOf: string, options: { calendar?: SchoolCalendar; school?: string; weeks?: number } = {}): number {
  const last = addDays(asOf, 7 * (options.weeks ?? 4));
  const first = addDays(asOf, 1);
  if (options.calendar) return options.calendar.instructionalDates(first, last, options.school).length;
  let count = 0;
  for (let date = first; date <= last; date = addDays(date, 1)) if (dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6) count++;
  return count;
}
