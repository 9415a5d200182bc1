import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCosts, readCosts } from '../../src/data/read-costs.js';
import { ValidationError } from '../../src/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const PRICES = { setup_hours: 10, staff_minutes_per_send: 30, hourly_wage: 25, price_per_sms_segment: 0.0079, postage_per_letter: 0.68 };

describe('readCosts', () => {
  it('counts the message lists pilot messages wrote: one send each, their SMS segments and letters', async () => {
    const dir = await tempDir();
    const header =
      'student_id,household_id,mode,language,recipient,template,message,absences,period_start,period_end,goal_days,average_absences,sms_segments,sms_encoding\n';
    await writeFile(
      join(dir, 'first.csv'),
      `${header}S1,H1,text,en,+15550001,initial,Hi,2,2025-09-01,2025-09-08,1,,2,GSM-7\nS2,H2,letter,en,1 Main St,initial,Hi,3,2025-09-01,2025-09-08,1,,,\nS3,H3,email,en,a@b.c,initial,Hi,2,2025-09-01,2025-09-08,1,,,\n`,
    );
    await writeFile(join(dir, 'second.csv'), `${header}S1,H1,text,es,+15550001,recurring,Hola,1,2025-09-09,2025-10-14,,2,3,UCS-2\n`);
    await writeFile(join(dir, 'costs.json'), JSON.stringify({ ...PRICES, message_lists: ['first.csv', 'second.csv'] }));
    const costs = await readCosts(join(dir, 'costs.json'));
    expect(costs.messages).toEqual({ sends: 2, sms_segments: 5, letters: 1, source: 'message_lists' });
    expect(costs.other_fixed_costs).toBe(0);
    expect(costs.currency).toBe('$');
  });

  it('takes counts stated in the file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'costs.json'), JSON.stringify({ ...PRICES, currency: 'EUR', messages: { sends: 3, sms_segments: 900 } }));
    const costs = await readCosts(join(dir, 'costs.json'));
    expect(costs.messages).toEqual({ sends: 3, sms_segments: 900, letters: 0, source: 'stated' });
    expect(costs.currency).toBe('EUR');
  });

  it('names every bad field at once', () => {
    const { issues, costs } = parseCosts(
      { hourly_wage: -3, setup_hours: '10', postage: 1, messages: { sends: 1.5, letter: 2 } },
      'costs.json',
    );
    expect(costs).toBeUndefined();
    expect(issues.map((i) => i.column)).toEqual(['postage', 'setup_hours', 'hourly_wage', 'messages.letter', 'messages.sends']);
    expect(issues[1].message).toBe('setup_hours must be a number from 0, got "10"');
    expect(parseCosts({ ...PRICES }, 'costs.json').issues[0]).toMatchObject({ column: 'message_lists' });
    expect(parseCosts([], 'costs.json').issues[0].message).toMatch(/a costs file is a JSON object/);
  });

  it('refuses a message list whose text has no segment count, naming file, row and column', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'list.csv'), 'student_id,mode,sms_segments\nS1,text,1\nS2,text,\n');
    await writeFile(join(dir, 'costs.json'), JSON.stringify({ ...PRICES, message_lists: ['list.csv'] }));
    const error = await readCosts(join(dir, 'costs.json')).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toMatchObject({ row: 3, column: 'sms_segments' });
    await writeFile(join(dir, 'bad.json'), '{ "hourly_wage": ');
    const bad = await readCosts(join(dir, 'bad.json')).catch((e) => e);
    expect((bad as ValidationError).issues[0].message).toMatch(/^the costs file is not valid JSON/);
  });
});
