import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDeliveredPerStudent } from '../../src/data/read-delivered-per-student.js';
import { readMappingFile } from '../../src/data/read-mapping-file.js';
import { formatSendLogCsv, readSendLog } from '../../src/data/read-send-log.js';
import { FIXTURES } from '../helpers/fixtures.js';

const STUDY = new Set(['S00001', 'S00002', 'S00003', 'S00005', 'S00006']);
const isStudent = (id: string) => STUDY.has(id);

describe('readSendLog', () => {
  it('reads the generic layout, our codes in any case and with spaces', async () => {
    const text =
      'student_id,send_date,mode,status,language\nS00001,2025-09-08,text,Delivered,en\nS00002,2025-09-08T15:45:00,Email,opted out,\n';
    const read = await readSendLog({ text }, 'log.csv', { isStudent });
    expect(read.issues).toEqual([]);
    expect(read.value).toEqual([
      { student_id: 'S00001', send_date: '2025-09-08', mode: 'text', status: 'delivered', language: 'en' },
      { student_id: 'S00002', send_date: '2025-09-08', mode: 'email', status: 'opted_out' },
    ]);
  });

  it('names every bad row with its row and column: unknown student, bad date, unknown mode and status', async () => {
    const file = join(FIXTURES, 'deliveries', 'bad-send-log.csv');
    const read = await readSendLog({ path: file }, file, { isStudent });
    expect(read.ok).toBe(false);
    expect(read.issues.map((i) => [i.row, i.column])).toEqual([
      [3, 'student_id'],
      [4, 'send_date'],
      [5, 'mode'],
      [6, 'status'],
    ]);
    expect(read.issues[0].message).toBe(`student "S99999" is not in the study's assignments: a send log covers the study's students only`);
    expect(read.issues[1].message).toBe('"2025-13-08" is not a date written YYYY-MM-DD');
    expect(read.issues[2].message).toContain('unknown mode "pigeon": expected one of text, email, robocall, letter');
    expect(read.issues[3].message).toContain('unknown status "read": expected one of delivered, failed, bounced, opted_out, not_sent');
  });

  it('lists every missing column at once, and points a vendor export to a mapping', async () => {
    const read = await readSendLog({ text: 'Student,Date\nS00001,2025-09-08\n' }, 'vendor.csv');
    expect(read.issues.map((i) => i.column)).toEqual(['student_id', 'send_date', 'mode', 'status']);
    expect(read.issues[0]).toMatchObject({ file: 'vendor.csv', row: 1 });
    expect(read.issues[0].message).toContain('a vendor\'s export is read with --map and a "deliveries" section');
  });

  it('reads the ParentSquare fixture through its mapping, opened emails as delivered and US dates with a time', async () => {
    const { deliveries } = await readMappingFile(join(FIXTURES, 'mappings', 'parentsquare-deliveries.json'));
    const file = join(FIXTURES, 'deliveries', 'parentsquare.csv');
    const read = await readSendLog({ path: file }, file, { mapping: deliveries });
    expect(read.issues).toEqual([]);
    const rows = read.value!;
    expect(rows).toHaveLength(24);
    // The fixture has 11 delivered texts, 6 delivered and 2 opened emails, 4 bounced emails, 1 invalid text.
    const count = (mode: string, status: string) => rows.filter((r) => r.mode === mode && r.status === status).length;
    expect([count('text', 'delivered'), count('email', 'delivered'), count('email', 'bounced'), count('text', 'failed')]).toEqual([
      11, 8, 4, 1,
    ]);
    expect(rows[0]).toEqual({ student_id: 'S00001', send_date: '2025-09-08', mode: 'text', status: 'delivered' });
  });

  it('reads the SchoolMessenger phone log through its mapping (answered and machine are delivered)', async () => {
    const { deliveries } = await readMappingFile(join(FIXTURES, 'mappings', 'schoolmessenger-deliveries.json'));
    const file = join(FIXTURES, 'deliveries', 'schoolmessenger-phone-log.csv');
    const read = await readSendLog({ path: file }, file, { mapping: deliveries });
    expect(read.issues).toEqual([]);
    const statuses = read.value!.map((r) => r.status);
    // 11 Answered + 10 Machine, 3 No Answer.
    expect(statuses.filter((s) => s === 'delivered')).toHaveLength(21);
    expect(statuses.filter((s) => s === 'failed')).toHaveLength(3);
    expect(new Set(read.value!.map((r) => r.mode))).toEqual(new Set(['robocall']));
  });

  it("names the export's column, and the mapping's codes, when a vendor's code is not mapped", async () => {
    const { deliveries } = await readMappingFile(join(FIXTURES, 'mappings', 'parentsquare-deliveries.json'));
    const text = 'Post Date,Student ID,Recipient Type,Method,Status\n09/08/2025 3:45 PM,S00001,Parent,App,Delivered\n';
    const read = await readSendLog({ text }, 'ps.csv', { mapping: deliveries });
    expect(read.issues).toHaveLength(1);
    expect(read.issues[0]).toMatchObject({ file: 'ps.csv', row: 2, column: 'Method' });
    expect(read.issues[0].message).toContain('unknown mode "App": expected the mapping\'s codes');
  });

  it('the generic mapping reads what formatSendLogCsv writes, neutralized cells included', async () => {
    const { deliveries } = await readMappingFile(join(FIXTURES, 'mappings', 'generic-deliveries.json'));
    const rows = [{ student_id: '=S1', send_date: '2025-09-08', mode: 'letter', status: 'not_sent' } as const];
    const text = formatSendLogCsv(rows);
    expect(text).toBe("student_id,send_date,mode,status,language\n'=S1,2025-09-08,letter,not_sent,\n");
    const read = await readSendLog({ text }, 'log.csv', { mapping: deliveries });
    expect(read.value).toEqual(rows);
  });
});

describe('a mapping file with a deliveries section', () => {
  it('refuses a status mapped outside our vocabulary', async () => {
    const { parseMappingFile } = await import('../../src/data/read-mapping-file.js');
    const { issues } = parseMappingFile(
      {
        deliveries: {
          columns: { student_id: 'ID', send_date: 'Date', mode: 'Type', status: 'Result' },
          values: { status: { Read: 'read' } },
        },
      },
      'm.json',
    );
    expect(issues).toEqual([
      {
        file: 'm.json',
        column: 'deliveries.values.status.Read',
        message: 'code "Read" maps to "read": expected one of delivered, failed, bounced, opted_out, not_sent',
      },
    ]);
  });
});

describe('readDeliveredPerStudent', () => {
  it('reads the per-student counts pilot deliveries writes', async () => {
    const text = 'student_id,arm,messages_sent,messages_delivered\nS1,treatment,2,1\nS2,control,0,0\n';
    const read = await readDeliveredPerStudent({ text }, 'd.csv');
    expect([...read]).toEqual([
      ['S1', { arm: 'treatment', sent: 2, delivered: 1 }],
      ['S2', { arm: 'control', sent: 0, delivered: 0 }],
    ]);
  });

  it('refuses counts that are not whole numbers, more delivered than sent, and a student twice, all at once', async () => {
    const text = 'student_id,arm,messages_sent,messages_delivered\nS1,treatment,two,1\nS2,treatment,1,3\nS2,treatment,1,1\n';
    const error = await readDeliveredPerStudent({ text }, 'd.csv').catch((e: Error & { issues: unknown[] }) => e);
    expect((error as { issues: unknown[] }).issues).toEqual([
      { file: 'd.csv', row: 2, column: 'messages_sent', message: '"two" is not a count of messages (a whole number from 0)' },
      { file: 'd.csv', row: 3, column: 'messages_delivered', message: '3 messages delivered of 1 sent: a delivered message was sent' },
      { file: 'd.csv', row: 4, column: 'student_id', message: 'student "S2" is listed twice' },
    ]);
  });

  it('reads the fixture file it is given by path', async () => {
    const file = join(FIXTURES, 'deliveries', 'parentsquare.csv');
    await expect(readFile(file, 'utf8')).resolves.toContain('Student ID');
    await expect(readDeliveredPerStudent(file)).rejects.toThrow('is not a delivered-per-student.csv');
  });
});
