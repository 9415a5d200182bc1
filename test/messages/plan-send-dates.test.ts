import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek } from '../../src/data/parse-values.js';
import { SchoolCalendar } from '../../src/data/read-calendar.js';
import { planSendDates } from '../../src/messages/plan-send-dates.js';

/** Weekdays from `from` to `to`, minus the dates in `off`. */
function weekdays(from: string, to: string, off: (date: string) => boolean = () => false): SchoolCalendar {
  const days = [];
  for (let date = from; date <= to; date = addDays(date, 1)) days.push({ date, instructional: dayOfWeek(date) % 6 !== 0 && !off(date) });
  return new SchoolCalendar(days);
}

describe('planSendDates', () => {
  it('sends first on the Monday of week 4, then every 5 weeks, moving past a holiday', () => {
    const calendar = weekdays('2025-08-18', '2026-05-29', (d) => d === '2025-10-13');
    const { dates, warnings } = planSendDates(calendar);
    expect(dates.slice(0, 3).map((d) => [d.date, d.week_of_school, d.kind, d.since])).toEqual([
      ['2025-09-08', 4, 'initial', ''],
      ['2025-10-14', 9, 'recurring', '2025-09-08'], // Monday 10-13 is off: Tuesday
      ['2025-11-18', 14, 'recurring', '2025-10-14'],
    ]);
    expect(dates.length).toBe(8);
    expect(warnings).toEqual([]);
  });

  it('sends before a long break rather than more than 6 weeks apart', () => {
    const calendar = weekdays('2025-08-18', '2026-05-29', (d) => d >= '2025-12-18' && d <= '2026-01-09');
    const { dates, warnings } = planSendDates(calendar);
    // Due 2025-12-22, in the break; the next school day, 01-12, would be 8 weeks on, so the
    // send moves to Wednesday 12-17, the last school day before the break (4.3 weeks on).
    expect(dates.map((d) => d.date).slice(0, 5)).toEqual(['2025-09-08', '2025-10-13', '2025-11-17', '2025-12-17', '2026-01-21']);
    expect(warnings).toEqual([]);
  });

  it('falls back to every 4 weeks to reach six sends in a short year, and flags a year too short for six', () => {
    const short = planSendDates(weekdays('2025-08-18', '2026-02-13'), { everyWeeks: 6 });
    expect(short.dates.length).toBe(6);
    expect(short.warnings).toEqual(['every 6 weeks leaves 4 sends; planned every 4 weeks instead to reach 6']);
    const tiny = planSendDates(weekdays('2025-08-18', '2025-12-19'));
    expect(tiny.warnings.at(-1)).toBe('only 4 sends fit between 2025-08-18 and 2025-12-19; the guide asks for at least 6 a year');
  });

  it('starts from --first-day when given', () => {
    const { dates } = planSendDates(weekdays('2025-08-18', '2026-05-29'), { firstDay: '2025-09-02' });
    expect(dates[0].date).toBe('2025-09-23');
  });
});
