import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/random.js';
import { simulateAttendance } from '../../src/simulate/simulate-attendance.js';
import { simulateCalendar } from '../../src/simulate/simulate-calendar.js';
import { simulateRoster } from '../../src/simulate/simulate-roster.js';

describe('simulateAttendance with the students reached (a known complier effect)', () => {
  it('gives the effect only to treated students whose caregivers received the messages', () => {
    const students = simulateRoster({ students: 600, districts: 1 }, createRng(8));
    const armOf = new Map(students.map((s, i) => [s.student_id, i % 2 === 0 ? 'treatment' : 'control']));
    // Every other treated student reached; an effect of 1 removes every absence of theirs.
    const treated = students.filter((s) => armOf.get(s.student_id) === 'treatment');
    const received = new Set(treated.filter((_, i) => i % 2 === 0).map((s) => s.student_id));
    const absences = new Map<string, number>();
    simulateAttendance(students, armOf, simulateCalendar(2025), { effect: 1, received }, createRng(9), (r) => {
      if (r.status === 'excused' || r.status === 'unexcused' || r.status === 'early_departure')
        absences.set(r.student_id, (absences.get(r.student_id) ?? 0) + 1);
    });
    const missed = (ids: readonly string[]) => ids.filter((id) => (absences.get(id) ?? 0) > 0).length;
    const reached = [...received];
    const notReached = treated.map((s) => s.student_id).filter((id) => !received.has(id));
    const control = students.filter((s) => armOf.get(s.student_id) === 'control').map((s) => s.student_id);
    expect(missed(reached)).toBe(0);
    // Unreached treated students miss school as the control students do (most miss a day or more in a year).
    expect(missed(notReached) / notReached.length).toBeGreaterThan(0.8);
    expect(Math.abs(missed(notReached) / notReached.length - missed(control) / control.length)).toBeLessThan(0.1);
  });
});
