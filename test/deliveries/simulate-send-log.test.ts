import { describe, expect, it } from 'vitest';
import type { SendLogStudent } from '../../src/simulate/simulate-send-log.js';
import { simulateSendLog } from '../../src/simulate/simulate-send-log.js';
import type { MessageMode } from '../../src/types.js';

const DATES = ['2025-09-08', '2025-10-14', '2025-11-18', '2025-12-19'];

/** n students, alternating arms, the mode given. */
function students(n: number, mode: MessageMode, prefix = 'S'): SendLogStudent[] {
  return Array.from({ length: n }, (_, i) => ({
    student_id: `${prefix}${String(i).padStart(5, '0')}`,
    arm: i % 2 === 0 ? 'treatment' : 'control',
    mode,
    language: i % 3 === 0 ? 'es' : 'en',
  }));
}

describe('simulateSendLog', () => {
  it('messages every treated student on every send date and no control student without contamination', () => {
    const log = simulateSendLog({
      students: students(10, 'text'),
      sendDates: DATES,
      reachable: { text: 1 },
      deliveredWhenReachable: 1,
      seed: 1,
    });
    expect(log.rows).toHaveLength(5 * 4);
    expect(new Set(log.rows.map((r) => r.student_id))).toEqual(new Set(['S00000', 'S00002', 'S00004', 'S00006', 'S00008']));
    expect(log.rows.every((r) => r.status === 'delivered' && r.mode === 'text')).toBe(true);
    expect(log.received.size).toBe(5);
    expect(log.delivered.get('S00000')).toBe(4);
    expect(log.delivered.get('S00001')).toBe(0);
    expect(log.contaminated.size).toBe(0);
    // By date, then student: the first send's five rows come first.
    expect(log.rows.slice(0, 5).map((r) => r.send_date)).toEqual(Array(5).fill('2025-09-08'));
    expect(log.rows[0]).toEqual({ student_id: 'S00000', send_date: '2025-09-08', mode: 'text', status: 'delivered', language: 'es' });
  });

  it('reaches each mode at its own compliance rate (binomial bounds)', () => {
    const texts = students(4000, 'text', 'T');
    const letters = students(4000, 'letter', 'L');
    const log = simulateSendLog({
      students: [...texts, ...letters],
      sendDates: DATES,
      reachable: { text: 0.9, letter: 0.5 },
      deliveredWhenReachable: 1,
      seed: 7,
    });
    const share = (prefix: string) => [...log.received].filter((id) => id.startsWith(prefix)).length / 2000;
    // 2,000 treated students per mode: sd of a share near 0.9 is 0.0067, near 0.5 is 0.011; bounds are 4 sd.
    expect(Math.abs(share('T') - 0.9)).toBeLessThan(0.027);
    expect(Math.abs(share('L') - 0.5)).toBeLessThan(0.045);
    // An unreachable caregiver's letters come back (bounced), never opted out.
    const statuses = new Set(log.rows.filter((r) => r.mode === 'letter').map((r) => r.status));
    expect(statuses).toEqual(new Set(['delivered', 'bounced']));
  });

  it('counts a student as received only with at least k delivered', () => {
    const options = { students: students(2000, 'email'), sendDates: DATES, reachable: { email: 1 }, deliveredWhenReachable: 0.5, seed: 3 };
    const k1 = simulateSendLog({ ...options, receivedAtLeast: 1 });
    const k4 = simulateSendLog({ ...options, receivedAtLeast: 4 });
    // The same draws: k changes only who counts as received.
    expect(k4.rows).toEqual(k1.rows);
    for (const id of k4.received) expect(k4.delivered.get(id)).toBe(4);
    // P(4 of 4 at 0.5) = 1/16 of 1,000 treated students: 62.5, sd 7.7.
    expect(Math.abs(k4.received.size - 62.5)).toBeLessThan(31);
    // P(at least 1 of 4) = 15/16: 937.5, sd 7.7.
    expect(Math.abs(k1.received.size - 937.5)).toBeLessThan(31);
    // Undelivered emails bounce.
    expect(new Set(k1.rows.map((r) => r.status))).toEqual(new Set(['delivered', 'bounced']));
  });

  it('messages a share of the control arm once, on the first send, when contaminated', () => {
    const log = simulateSendLog({
      students: students(4000, 'text'),
      sendDates: DATES,
      reachable: { text: 1 },
      contamination: 0.1,
      seed: 11,
    });
    const control = log.rows.filter((r) => Number(r.student_id.slice(1)) % 2 === 1);
    expect(control.length).toBe(log.contaminated.size);
    expect(control.every((r) => r.send_date === '2025-09-08')).toBe(true);
    // 2,000 control students at 0.1: 200, sd 13.4.
    expect(Math.abs(log.contaminated.size - 200)).toBeLessThan(54);
    for (const id of log.contaminated) expect(log.received.has(id)).toBe(false);
  });

  it('gives the same log whatever the order of the students', () => {
    const list = students(300, 'robocall');
    const options = { sendDates: DATES, reachable: { robocall: 0.7 }, contamination: 0.05, seed: 'order' };
    const a = simulateSendLog({ ...options, students: list });
    const b = simulateSendLog({ ...options, students: [...list].reverse() });
    expect(b.rows).toEqual(a.rows);
    expect([...b.received].sort()).toEqual([...a.received].sort());
  });

  it('refuses a compliance rate outside 0 to 1 and a k below 1', () => {
    expect(() => simulateSendLog({ students: [], sendDates: DATES, reachable: { text: 1.2 }, seed: 1 })).toThrow(
      'simulateSendLog: reachable.text must be a share from 0 to 1, got 1.2',
    );
    expect(() => simulateSendLog({ students: [], sendDates: DATES, reachable: {}, receivedAtLeast: 0, seed: 1 })).toThrow(
      'receivedAtLeast must be a whole number >= 1, got 0',
    );
  });
});
