/**
 * Plain refusals (issue 15, defect 11): a calendar of only a header, a list `--as-of`
 * 2099 and an analysis of a window without a single enrolled day each end with a sentence
 * a user can act on, never an internal function's name: exit 1 for the files, and exit 2
 * for `--as-of`, which is checked with the command line before anything is read.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
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

  it('--as-of in 2099 is refused: after today, and after the calendar', async () => {
    const { messages } = await study();
    // Refused with the options, before any file is read: a bad command line (exit 2).
    const future = await pilot(messages('2099-01-01'));
    expect(future.stderr).toMatch(
      /^pilot: messages: --as-of 2099-01-01 is after today \(\d{4}-\d\d-\d\d\): a list counts the absences up to a day that has passed$/,
    );
    expect(future.code).toBe(2);
    const { messageWindow } = await import('../../src/messages/message-window.js');
    const { readCalendar } = await import('../../src/data/read-calendar.js');
    const calendar = await readCalendar({ text: 'date,instructional\n2025-09-02,true\n2026-06-05,true\n' }, 'c.csv');
    expect(() => messageWindow({ kind: 'initial', asOf: '2026-07-01', calendar, today: '2026-12-07' })).toThrow(
      "--as-of 2026-07-01 is after the calendar's last day (2026-06-05): the school year it covers has ended",
    );
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
