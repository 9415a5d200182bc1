import { addDays, dayOfWeek, daysBetween } from '../data/parse-values.js';
import type { DateWindow } from '../types.js';
import type { StudyPeriod } from './report-study.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A window shorter than this many days is charted by week: a month or two is too few points. */
const WEEKLY_BELOW_DAYS = 70;

function checkWindow(window: DateWindow, caller: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(window.from) || !/^\d{4}-\d{2}-\d{2}$/.test(window.to) || window.from > window.to) {
    throw new RangeError(`${caller}: the window must be two ISO dates, from <= to; got ${window.from} to ${window.to}`);
  }
}

/**
 * The calendar months of a window, clipped to it, labelled "Sep 2025".
 *
 * @example
 * monthlyPeriods({ from: '2025-08-18', to: '2025-10-03' }).map((p) => p.label); // ['Aug 2025', 'Sep 2025', 'Oct 2025']
 */
export function monthlyPeriods(window: DateWindow): StudyPeriod[] {
  checkWindow(window, 'monthlyPeriods');
  const periods: StudyPeriod[] = [];
  for (let start = `${window.from.slice(0, 7)}-01`; start <= window.to; ) {
    // 31 days after the 1st is always in the next month.
    const next = `${addDays(start, 31).slice(0, 7)}-01`;
    const end = addDays(next, -1);
    const [year, month] = start.split('-').map(Number);
    periods.push({
      label: `${MONTHS[month - 1]} ${year}`,
      from: start < window.from ? window.from : start,
      to: end > window.to ? window.to : end,
    });
    start = next;
  }
  return periods;
}

/**
 * The weeks (Monday to Sunday) of a window, clipped to it, labelled by the week's Monday
 * ("Sep 1").
 *
 * @example
 * weeklyPeriods({ from: '2025-09-03', to: '2025-09-16' }).map((p) => [p.label, p.from, p.to]);
 * // [['Sep 1', '2025-09-03', '2025-09-07'], ['Sep 8', '2025-09-08', '2025-09-14'], ['Sep 15', '2025-09-15', '2025-09-16']]
 */
export function weeklyPeriods(window: DateWindow): StudyPeriod[] {
  checkWindow(window, 'weeklyPeriods');
  // dayOfWeek: Sunday 0 ... Saturday 6; step back to the Monday on or before `from`.
  const periods: StudyPeriod[] = [];
  for (let monday = addDays(window.from, -((dayOfWeek(window.from) + 6) % 7)); monday <= window.to; monday = addDays(monday, 7)) {
    const end = addDays(monday, 6);
    const [, month, day] = monday.split('-').map(Number);
    periods.push({
      label: `${MONTHS[month - 1]} ${day}`,
      from: monday < window.from ? window.from : monday,
      to: end > window.to ? window.to : end,
    });
  }
  return periods;
}

/** The periods of the chart over time: weeks for a window under ten weeks, months otherwise. */
export function reportPeriods(window: DateWindow): StudyPeriod[] {
  checkWindow(window, 'reportPeriods');
  const days = daysBetween(window.from, window.to) + 1;
  return days < WEEKLY_BELOW_DAYS ? weeklyPeriods(window) : monthlyPeriods(window);
}
