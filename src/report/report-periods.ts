import type { DateWindow } from '../types.js';
import type { StudyPeriod } from './report-study.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A window shorter than this many days is charted by week: a month or two is too few points. */
export const WEEKLY_BELOW_DAYS = 70;

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

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
  let [year, month] = window.from.split('-').map(Number);
  for (;;) {
    const start = `${year}-${String(month).padStart(2, '0')}-01`;
    if (start > window.to) break;
    const end = isoDate(Date.UTC(year, month, 0));
    periods.push({ label: `${MONTHS[month - 1]} ${year}`, from: start < window.from ? window.from : start, to: end > window.to ? window.to : end });
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
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
  const day = 86_400_000;
  const first = Date.parse(`${window.from}T00:00:00Z`);
  // getUTCDay: Sunday 0 ... Saturday 6; step back to the Monday on or before `from`.
  let monday = first - ((new Date(first).getUTCDay() + 6) % 7) * day;
  const periods: StudyPeriod[] = [];
  while (isoDate(monday) <= window.to) {
    const start = isoDate(monday);
    const end = isoDate(monday + 6 * day);
    const m = new Date(monday);
    periods.push({ label: `${MONTHS[m.getUTCMonth()]} ${m.getUTCDate()}`, from: start < window.from ? window.from : start, to: end > window.to ? window.to : end });
    monday += 7 * day;
  }
  return periods;
}

/** The periods of the chart over time: weeks for a window under ten weeks, months otherwise. */
export function reportPeriods(window: DateWindow): StudyPeriod[] {
  checkWindow(window, 'reportPeriods');
  const days = (Date.parse(`${window.to}T00:00:00Z`) - Date.parse(`${window.from}T00:00:00Z`)) / 86_400_000 + 1;
  return days < WEEKLY_BELOW_DAYS ? weeklyPeriods(window) : monthlyPeriods(window);
}
