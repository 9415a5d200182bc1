import { addDays, dayOfWeek } from '../data/parse-values.js';
import type { CalendarDay } from '../types.js';

/** Holidays of a typical US rural school year as [first, last] dates. */
function holidays(startYear: number): [string, string][] {
  const nth = (year: number, month: number, weekday: number, n: number) => {
    const first = `${year}-${String(month).padStart(2, '0')}-01`;
    const shift = (weekday - dayOfWeek(first) + 7) % 7;
    return addDays(first, shift + 7 * (n - 1));
  };
  const next = startYear + 1;
  const thanksgiving = nth(startYear, 11, 4, 4);
  return [
    [nth(startYear, 9, 1, 1), nth(startYear, 9, 1, 1)], // Labor Day
    [nth(startYear, 10, 1, 2), nth(startYear, 10, 1, 2)], // fall day off
    [addDays(thanksgiving, -1), addDays(thanksgiving, 1)],
    [`${startYear}-12-22`, `${next}-01-02`], // winter break
    [nth(next, 1, 1, 3), nth(next, 1, 1, 3)], // Martin Luther King Jr. Day
    [nth(next, 2, 1, 3), nth(next, 2, 1, 3)], // Presidents' Day
    [nth(next, 3, 1, 3), addDays(nth(next, 3, 1, 3), 4)], // spring break
  ];
}

/**
 * A school year's calendar for every school: from the Monday after mid-August to the
 * last Friday before June, weekends and holidays non-instructional (about 175 days).
 */
export function simulateCalendar(startYear: number): CalendarDay[] {
  const mid = `${startYear}-08-15`;
  const first = addDays(mid, (8 - dayOfWeek(mid)) % 7 || 7);
  const last = `${startYear + 1}-05-29`;
  const off = holidays(startYear);
  const days: CalendarDay[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const weekday = dayOfWeek(date);
    const holiday = off.some(([from, to]) => date >= from && date <= to);
    days.push({ date, instructional: weekday !== 0 && weekday !== 6 && !holiday });
  }
  return days;
}
