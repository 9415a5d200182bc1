/**
 * Plain refusals (issue 15, defect 11): a calendar of only a header, a list `--as-of`
 * 2099 and an analysis of a window without a single enrolled day each end with a sentence
 * a user can act on, never an internal function's name, and exit 1 (refused input). Only
 * an `--as-of` that is no date at all is a bad command line (exit 2).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readCalendar } from '../../src/data/read-calendar.js';
import { messageWindow } from '../../src/messages/message-window.js';
import { makeStudyFolder } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

async function pilot(argv: string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, stderr: io.err.join('\n'), stdout: io.out.join('\n') };
}

async function study() {
  const dir = await tempDir();
  const files = await makeStudyFolder(dir, { students: 40 });
  const settings = join(dir, 'settings.json');
  await writeFile(
    settings,
    JSON.stringify({ defaults: { sender_name: 'Ms. Rivera', sender_role: 'Attendance Coordinator', school_phone: '(555) 010-2000' } }),
  );
  const messages = (asOf: string, calendar = files.calendar) => [
    'messages',
    '--roster',
    files.roster,
    '--assignments',
    files.assignments,
    '--attendance',
    files.attendance,
    '--calendar',
    calendar,
    '--settings',
    settings,
    '--as-of',
    asOf,
    '--kind',
    'initial',
    '--out',
    join(dir, 'sends', 'messages.csv'),
  ];
  return { dir, files, messages };
}

describe('plain refusals', () => {
  it('a calendar of only its header is refused by validate and messages', async () => {
    const { dir, files, messages } = await study();
    const empty = join(dir, 'empty-calendar.csv');
    await writeFile(empty, 'date,school_id,instructional\n');
    const listed = await pilot(messages('2025-09-12', empty));
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain(`${empty}, row 1: the calendar has no days, only its header`);
    const validated = await pilot([
      'validate',
      '--roster',
      files.roster,
      '--assignments',
      files.assignments,
      '--attendance',
      files.attendance,
      '--calendar',
      empty,
    ]);
    expect(validated.code).toBe(1);
    expect(validated.stdout).toContain('row 1: the calendar has no days, only its header');
  });

  it('--as-of outside the calendar is refused input (exit 1) naming the calendar and its first or last day; a malformed date is a bad command line (exit 2)', async () => {
    const { dir, files, messages } = await study();
    // simulateCalendar(2025): the Monday after 2025-08-15 to 2026-05-29 (simulate-calendar.ts).
    const days = (await readFile(files.calendar, 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.slice(0, 10))
      .sort();
    const [first, last] = [days[0], days.at(-1)!];
    expect([first, last]).toEqual(['2025-08-18', '2026-05-29']);
    const sends = join(dir, 'sends');
    const future = await pilot(messages('2099-01-01'));
    expect(future.stderr).toBe(
      `pilot: --as-of 2099-01-01 is after the last day of the calendar ${files.calendar} (${last}): the school year it covers has ended`,
    );
    expect(future.code).toBe(1);
    const early = await pilot(messages('2024-06-03'));
    expect(early.stderr).toBe(
      `pilot: --as-of 2024-06-03 is before the first day of the calendar ${files.calendar} (${first}): the list would count no school day`,
    );
    expect(early.code).toBe(1);
    // Without a calendar, a date still to come is refused input too.
    const withoutCalendar = messages('2099-01-01').filter((_, i, argv) => argv[i] !== '--calendar' && argv[i - 1] !== '--calendar');
    const noCalendar = await pilot(withoutCalendar);
    expect(noCalendar.stderr).toMatch(
      /^pilot: --as-of 2099-01-01 is after today \(\d{4}-\d\d-\d\d\): a list counts the absences up to a day that has passed$/,
    );
    expect(noCalendar.code).toBe(1);
    // Malformed or not a real date: refused with the options, before any file is read (exit 2).
    for (const bad of ['2025-02-30', '12/09/2025']) {
      const malformed = await pilot(messages(bad));
      expect(malformed.stderr).toBe(`pilot: messages: --as-of "${bad}" is not a date as YYYY-MM-DD`);
      expect(malformed.code).toBe(2);
    }
    // Nothing was written by any of the refusals; the last day itself is a valid list date.
    await expect(readdir(sends)).rejects.toThrow(/ENOENT/);
    const calendar = await readCalendar({ text: 'date,instructional\n2025-09-02,true\n2026-06-05,true\n' }, 'c.csv');
    expect(messageWindow({ kind: 'initial', asOf: '2026-06-05', calendar, today: '2026-12-07' }).window).toEqual({
      from: '2025-09-02',
      to: '2026-06-05',
    });
  });

  it('analyze on a window without an enrolled day: exit 1 naming the window, no function name', async () => {
    const { dir, files } = await study();
    const analyzed = await pilot([
      'analyze',
      '--roster',
      files.roster,
      '--assignments',
      files.assignments,
      '--attendance',
      files.attendance,
      '--from',
      '2027-09-01',
      '--to',
      '2027-12-17',
      '--method',
      'laplace',
      '--seed',
      '1',
      '--out',
      join(dir, 'results'),
    ]);
    expect(analyzed.stderr).toBe(
      `pilot: no student was enrolled on any day from 2027-09-01 to 2027-12-17 in ${files.attendance}: nothing to analyze; choose --from and --to within the dates the attendance covers`,
    );
    expect(analyzed.code).toBe(1);
  });
});
