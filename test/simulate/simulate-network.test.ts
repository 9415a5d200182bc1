import { describe, expect, it } from 'vitest';
import { validateRoster } from '../../src/data/read-roster.js';
import { readCsv } from '../../src/io/read-csv.js';
import { createRng } from '../../src/random.js';
import { simulateAttendance } from '../../src/simulate/simulate-attendance.js';
import { simulateCalendar } from '../../src/simulate/simulate-calendar.js';
import { simulateRoster } from '../../src/simulate/simulate-roster.js';
import { rosterCsv } from '../helpers/roster.js';

describe('simulateRoster', () => {
  const students = simulateRoster({ students: 3000, districts: 4 }, createRng(1));

  it('is a valid roster with households of one to four, some Spanish-speaking and some spanning schools', async () => {
    const validation = validateRoster(await readCsv({ text: rosterCsv(students) }, 'sim.csv'));
    expect(validation.issues).toEqual([]);
    const sizes = new Map<string, Set<string>>();
    for (const s of students) sizes.set(s.household_id, (sizes.get(s.household_id) ?? new Set()).add(s.school_id));
    const households = new Map<string, number>();
    for (const s of students) households.set(s.household_id, (households.get(s.household_id) ?? 0) + 1);
    expect(Math.max(...households.values())).toBe(4);
    expect([...sizes.values()].some((schools) => schools.size > 1)).toBe(true);
    const spanish = students.filter((s) => s.preferred_language === 'es').length / students.length;
    expect(spanish).toBeGreaterThan(0.03);
    expect(spanish).toBeLessThan(0.4);
    expect(new Set(students.map((s) => s.district_id)).size).toBe(4);
  });

  it('is the same for the same seed', () => {
    expect(simulateRoster({ students: 200, districts: 2 }, createRng(9))).toEqual(
      simulateRoster({ students: 200, districts: 2 }, createRng(9)),
    );
  });
});

describe('simulateCalendar', () => {
  it('has weekends and holidays off and about 175 instructional days', () => {
    const days = simulateCalendar(2025);
    const instructional = days.filter((d) => d.instructional);
    expect(instructional.length).toBeGreaterThan(165);
    expect(instructional.length).toBeLessThan(185);
    expect(days.find((d) => d.date === '2025-09-01')?.instructional).toBe(false); // Labor Day
    expect(days.find((d) => d.date === '2025-12-25')?.instructional).toBe(false);
    expect(instructional.every((d) => ![0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay()))).toBe(true);
  });
});

describe('simulateAttendance', () => {
  it('reduces treated absences by the true effect, with baseline correlation and half days', () => {
    const students = simulateRoster({ students: 6000, districts: 3 }, createRng(4));
    const armOf = new Map(students.map((s, i) => [s.student_id, i % 2 === 0 ? 'treatment' : 'control']));
    const absent = { treatment: 0, control: 0 };
    const enrolled = { treatment: 0, control: 0 };
    let halfDays = 0;
    const byStudent = new Map<string, number>();
    simulateAttendance(students, armOf, simulateCalendar(2025), { effect: 0.3 }, createRng(5), (r) => {
      const arm = armOf.get(r.student_id) as 'treatment' | 'control';
      const fraction = r.fraction_absent ?? (r.status === 'excused' || r.status === 'unexcused' ? 1 : 0);
      absent[arm] += fraction;
      enrolled[arm] += 1;
      if (r.fraction_absent === 0.5) halfDays++;
      byStudent.set(r.student_id, (byStudent.get(r.student_id) ?? 0) + fraction);
    });
    const ratio = absent.treatment / enrolled.treatment / (absent.control / enrolled.control);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(0.8);
    expect(halfDays).toBeGreaterThan(0);
    // Outcomes correlate with the prior-year baseline.
    const pairs = students
      .filter((s) => s.baseline_days)
      .map((s) => [s.baseline_absences! / s.baseline_days!, byStudent.get(s.student_id) ?? 0]);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const [mx, my] = [mean(pairs.map((p) => p[0])), mean(pairs.map((p) => p[1]))];
    const cov = mean(pairs.map(([x, y]) => (x - mx) * (y - my)));
    const corr = cov / Math.sqrt(mean(pairs.map(([x]) => (x - mx) ** 2)) * mean(pairs.map(([, y]) => (y - my) ** 2)));
    expect(corr).toBeGreaterThan(0.3);
  });
});
