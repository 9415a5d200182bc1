import { describe, expect, it } from 'vitest';
import type { SendLogRow } from '../../src/data/read-send-log.js';
import type { DeliveryStudent } from '../../src/messages/count-deliveries.js';
import { countDeliveries } from '../../src/messages/count-deliveries.js';
import { formatDeliveryRatesCsv, summarizeDeliveries } from '../../src/report/summarize-deliveries.js';

/** 30 students: 20 treated in school A (ids T00..T19), 4 treated in school B, 6 control in A. */
const STUDENTS: DeliveryStudent[] = [
  ...Array.from({ length: 20 }, (_, i) => ({
    student_id: `T${String(i).padStart(2, '0')}`,
    arm: 'treatment',
    district_id: 'D1',
    school_id: 'A',
  })),
  ...Array.from({ length: 4 }, (_, i) => ({ student_id: `B${i}`, arm: 'treatment', district_id: 'D1', school_id: 'B' })),
  ...Array.from({ length: 6 }, (_, i) => ({ student_id: `C${i}`, arm: 'control', district_id: 'D1', school_id: 'A' })),
];

function row(student_id: string, status: SendLogRow['status'], mode: SendLogRow['mode'] = 'text', send_date = '2025-09-08'): SendLogRow {
  return { student_id, send_date, mode, status, language: 'en' };
}

const ROWS: SendLogRow[] = [
  // T00-T15 delivered twice; T16, T17 failed then delivered; T18 bounced email; T19 opted out; B0-B3 delivered.
  ...Array.from({ length: 16 }, (_, i) => [
    row(`T${String(i).padStart(2, '0')}`, 'delivered'),
    row(`T${String(i).padStart(2, '0')}`, 'delivered', 'text', '2025-10-14'),
  ]).flat(),
  row('T16', 'failed'),
  row('T16', 'delivered', 'text', '2025-10-14'),
  row('T17', 'failed'),
  row('T17', 'delivered', 'text', '2025-10-14'),
  row('T18', 'bounced', 'email'),
  row('T19', 'opted_out'),
  ...['B0', 'B1', 'B2', 'B3'].map((id) => row(id, 'delivered')),
  // Contamination: C0 was texted (delivered), C1's message was never sent.
  row('C0', 'delivered'),
  row('C1', 'not_sent'),
];

describe('countDeliveries', () => {
  const counts = countDeliveries(STUDENTS, ROWS, 'control');

  it('counts messages sent and delivered per student, 0 for those the log never names', () => {
    const of = (id: string) => counts.perStudent.find((s) => s.student_id === id);
    expect(of('T00')).toEqual({ student_id: 'T00', arm: 'treatment', messages_sent: 2, messages_delivered: 2 });
    expect(of('T16')).toEqual({ student_id: 'T16', arm: 'treatment', messages_sent: 2, messages_delivered: 1 });
    expect(of('T18')).toEqual({ student_id: 'T18', arm: 'treatment', messages_sent: 1, messages_delivered: 0 });
    // Opted out and not sent are not sent.
    expect(of('T19')).toEqual({ student_id: 'T19', arm: 'treatment', messages_sent: 0, messages_delivered: 0 });
    expect(of('C5')).toEqual({ student_id: 'C5', arm: 'control', messages_sent: 0, messages_delivered: 0 });
    expect(counts.perStudent.map((s) => s.student_id)).toEqual([...STUDENTS.map((s) => s.student_id)].sort());
  });

  it('counts a control student as contaminated only when a message was sent to them', () => {
    expect(counts.contaminated).toEqual([{ student_id: 'C0', arm: 'control', messages_sent: 1, messages_delivered: 1 }]);
  });

  it('tallies each arm: students, reached, and every status', () => {
    const treated = counts.groups.find((g) => g.dimension === 'arm' && g.arm === 'treatment')!;
    // 24 treated; reached: T00-T17 (18) + B0-B3 (4) = 22; messaged: those 22 + T18 = 23.
    expect(treated).toEqual({
      dimension: 'arm',
      level: 'all',
      arm: 'treatment',
      students: 24,
      students_messaged: 23,
      students_reached: 22,
      messages: 32 + 4 + 2 + 4,
      statuses: { delivered: 16 * 2 + 2 + 4, failed: 2, bounced: 1, opted_out: 1, not_sent: 0 },
    });
    expect(counts.sendDates).toEqual(['2025-09-08', '2025-10-14']);
    expect(counts.messages).toBe(ROWS.length);
  });

  it('counts mode groups over the students messaged that way', () => {
    const email = counts.groups.find((g) => g.dimension === 'mode' && g.level === 'email')!;
    expect(email).toMatchObject({ arm: 'treatment', students: 1, students_messaged: 1, students_reached: 0, messages: 1 });
  });

  it('refuses a log row about a student it was not given (library misuse)', () => {
    expect(() => countDeliveries(STUDENTS, [row('X', 'delivered')], 'control')).toThrow(
      'countDeliveries: student "X" of the send log is not one of the students given',
    );
  });
});

describe('summarizeDeliveries', () => {
  const summary = summarizeDeliveries(countDeliveries(STUDENTS, ROWS, 'control'));
  const rate = (dimension: string, level: string, arm: string) =>
    summary.rates.find((r) => r.dimension === dimension && r.level === level && r.arm === arm)!;

  it('publishes the rates of groups of at least 10 students, hiding a count of students that leaves fewer than 10 out', () => {
    // 24 treated: 22 reached and 23 messaged would say which 2 and which 1 were not; the message counts stay.
    expect(rate('arm', 'all', 'treatment')).toMatchObject({
      students: 24,
      students_messaged: null,
      students_reached: null,
      reached_rate: null,
      messages: 42,
      delivered: 38,
      delivery_rate: 0.9048,
      suppressed: false,
    });
    expect(rate('district', 'D1', 'treatment')).toMatchObject({ students: 24, messages: 42, suppressed: false });
  });

  it('hides a group under 10 students, and the arm of 6 control students', () => {
    expect(rate('arm', 'all', 'control')).toMatchObject({
      students: null,
      messages: null,
      delivered: null,
      delivery_rate: null,
      suppressed: true,
    });
    expect(rate('school', 'B', 'treatment')).toMatchObject({ students: null, reached_rate: null, suppressed: true });
  });

  it('hides the group that would give a hidden one away by subtraction from its arm total', () => {
    // Treated: school A (20) + school B (4, hidden) = 24 published as the arm total, so A is hidden too.
    const schools = summary.rates.filter((r) => r.dimension === 'school' && r.arm === 'treatment');
    expect(schools.map((r) => [r.level, r.suppressed])).toEqual([
      ['A', true],
      ['B', true],
    ]);
  });

  it('hides contamination of fewer than 10 students (they are named only in the private file)', () => {
    expect(summary.contamination).toEqual({
      students: null,
      share_of_control: null,
      messages_sent: null,
      messages_delivered: null,
      suppressed: true,
    });
  });

  it('shows contamination of 10 students or more, and none, as counted', () => {
    const control = Array.from({ length: 30 }, (_, i) => ({
      student_id: `K${String(i).padStart(2, '0')}`,
      arm: 'control',
      district_id: 'D1',
      school_id: 'A',
    }));
    const messaged = control.slice(0, 12).map((s) => row(s.student_id, 'failed'));
    expect(summarizeDeliveries(countDeliveries([...STUDENTS, ...control], messaged, 'control')).contamination).toEqual({
      students: 12,
      share_of_control: 0.3333,
      messages_sent: 12,
      messages_delivered: 0,
      suppressed: false,
    });
    expect(summarizeDeliveries(countDeliveries(STUDENTS, [], 'control')).contamination).toMatchObject({ students: 0, suppressed: false });
  });

  it('writes suppressed counts as blank cells in delivery-rates.csv', () => {
    const lines = formatDeliveryRatesCsv(summary.rates).trim().split('\n');
    expect(lines[0]).toBe(
      'dimension,level,arm,students,students_messaged,students_reached,messages,delivered,failed,bounced,opted_out,not_sent,delivery_rate,reached_rate,suppressed',
    );
    expect(lines).toContain('arm,all,control,,,,,,,,,,,,true');
    expect(lines).toContain('arm,all,treatment,24,,,42,38,2,1,1,0,0.9048,,false');
  });
});
