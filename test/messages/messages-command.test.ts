import { existsSync } from 'node:fs';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readCsv } from '../../src/io/read-csv.js';
import { MESSAGE_COLUMNS } from '../../src/messages/build-message-list.js';
import { makeStudyFolder } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

const SETTINGS = { defaults: { sender_name: 'Ms. Rivera', sender_role: 'Attendance Coordinator', school_phone: '(555) 010-2000' } };

async function messagesRun(
  dir: string,
  study: { roster: string; assignments: string; attendance: string; calendar: string },
  extra: string[] = [],
  settings: object = SETTINGS,
) {
  const settingsPath = join(dir, 'settings.json');
  await writeFile(settingsPath, JSON.stringify(settings));
  const io = memoryIo();
  const out = join(dir, 'sends', 'messages.csv');
  const code = await run(
    [
      'messages',
      '--roster',
      study.roster,
      '--assignments',
      study.assignments,
      '--attendance',
      study.attendance,
      '--calendar',
      study.calendar,
      '--settings',
      settingsPath,
      '--as-of',
      '2025-09-12',
      '--kind',
      'initial',
      '--out',
      out,
      ...extra,
    ],
    io,
  );
  return { code, io, out, skipped: join(dir, 'sends', 'messages.skipped.csv') };
}

describe('pilot messages', () => {
  it('writes messages.csv with the spec columns and its skip list, owner-only, treated students only', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir);
    const { code, io, out, skipped } = await messagesRun(dir, study);
    expect(io.err.filter((e) => e.startsWith('pilot:'))).toEqual([]);
    expect(code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect((await stat(skipped)).mode & 0o777).toBe(0o600);
    const table = await readCsv({ path: out }, out);
    expect(table.header).toEqual([...MESSAGE_COLUMNS]);
    expect(table.rowCount).toBeGreaterThan(50);
    expect(table.columns.student_id.filter((id) => study.armOf.get(id) !== 'treatment')).toEqual([]);
    const skips = await readCsv({ path: skipped }, skipped);
    expect(skips.header).toEqual(['student_id', 'household_id', 'school_id', 'reason', 'detail']);
    const treated = [...study.armOf].filter(([, arm]) => arm === 'treatment').length;
    expect(table.rowCount + skips.rowCount).toBe(treated);
    const printed = io.out.join('\n');
    expect(printed).toMatch(
      /^\d+ initial messages for \d+ treated students, absences from 2025-08-18 to 2025-09-12; \d+ control students left out/,
    );
    expect(printed).toMatch(/template +messages\n(initial|thank_you) +\d+/);
    expect(printed).toContain('mode      messages');
    expect(printed).toContain('language  messages');
  });

  it('refuses an assignment file edited after `pilot assign`, and writes nothing', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 60 });
    const text = await readFile(study.assignments, 'utf8');
    // Move one control student to treatment: the kind of edit that would ruin the study.
    const controlRow = text.split('\n').find((line) => line.includes(',control,'))!;
    await writeFile(study.assignments, text.replace(controlRow, controlRow.replace(',control,', ',treatment,')));
    const { code, io, out, skipped } = await messagesRun(dir, study);
    expect(code).toBe(1);
    expect(io.err.join('\n')).toMatch(/assignments\.csv has changed since `pilot assign` wrote it/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(skipped)).toBe(false);
    await writeFile(study.assignments, text);
    await appendFile(study.assignments, '\n');
    expect((await messagesRun(dir, study)).code).toBe(1);
  });

  it('writes a roster name like =HYPERLINK("x") as inert text', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, {
      students: 60,
      edit: (s) => ({ ...s, first_name: '=HYPERLINK("http://evil.example","click")', preferred_language: 'en' }),
    });
    const settings = {
      defaults: {
        ...SETTINGS.defaults,
        templates: [
          { name: 'name-first', kind: 'thank_you', language: 'en', body: '{student_name}, thank you!' },
          { name: 'name-first-2', kind: 'initial', language: 'en', body: '{student_name}: {days_missed}' },
        ],
      },
    };
    const { code, out } = await messagesRun(dir, study, [], settings);
    expect(code).toBe(0);
    const raw = await readFile(out, 'utf8');
    const rows = raw.split('\n').slice(1).filter(Boolean);
    expect(rows.length).toBeGreaterThan(5);
    // Every message cell starts with an apostrophe, so no spreadsheet evaluates it.
    for (const row of rows) expect(row).toMatch(/,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)(, thank you!|: [\d.]+ days?)"/);
    expect(raw).not.toMatch(/,"=HYPERLINK/);
  });

  it('stops before writing when a custom template lacks a value, naming the template and students', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, {
      students: 60,
      edit: (s, i) => ({ ...s, caregiver_name: i % 2 === 0 ? s.caregiver_name : undefined, preferred_language: 'en' }),
    });
    const settings = {
      defaults: {
        ...SETTINGS.defaults,
        templates: [
          { name: 'dear-caregiver', kind: 'thank_you', language: 'en', body: 'Dear {caregiver_name}, thank you for {student_name}!' },
        ],
      },
    };
    const { code, io, out } = await messagesRun(dir, study, ['--mode', 'text'], settings);
    expect(code).toBe(1);
    expect(io.err.join('\n')).toMatch(
      /template dear-caregiver \(custom, en text\): no value for \{caregiver_name\} for \d+ message\(s\): S\d+/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a settings file with an unknown placeholder before reading any data', async () => {
    const dir = await tempDir();
    const study = { roster: 'missing.csv', assignments: 'missing.csv', attendance: 'missing.csv', calendar: 'missing.csv' };
    const settings = { defaults: { templates: [{ name: 'typo', kind: 'initial', language: 'es', body: '{nombre} faltó' }] } };
    const { code, io } = await messagesRun(dir, study, [], settings);
    expect(code).toBe(1);
    expect(io.err.join('\n')).toContain('template "typo": unknown placeholder {nombre}');
  });
});

describe('pilot schedule', () => {
  it('plans the first send in week 4 and then every 5 weeks on school days, at least six', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 20 });
    const io = memoryIo();
    const out = join(dir, 'schedule.csv');
    expect(await run(['schedule', '--calendar', study.calendar, '--out', out], io)).toBe(0);
    expect(io.out.join('\n').replace(dir, '<dir>')).toMatchInlineSnapshot(`
      "8 send dates between the first day of school (2025-08-18) and the last (2026-05-29):

      send        date  week       kind     --since
      1     2025-09-08     4    initial
      2     2025-10-14     9  recurring  2025-09-08
      3     2025-11-18    14  recurring  2025-10-14
      4     2025-12-19    18  recurring  2025-11-18
      5     2026-01-23    23  recurring  2025-12-19
      6     2026-02-27    28  recurring  2026-01-23
      7     2026-04-03    33  recurring  2026-02-27
      8     2026-05-08    38  recurring  2026-04-03

      Wrote <dir>/schedule.csv."
    `);
    expect(await readFile(out, 'utf8')).toMatchInlineSnapshot(`
      "send,date,week_of_school,kind,since,weeks_since_last
      1,2025-09-08,4,initial,,
      2,2025-10-14,9,recurring,2025-09-08,5.1
      3,2025-11-18,14,recurring,2025-10-14,5
      4,2025-12-19,18,recurring,2025-11-18,4.4
      5,2026-01-23,23,recurring,2025-12-19,5
      6,2026-02-27,28,recurring,2026-01-23,5
      7,2026-04-03,33,recurring,2026-02-27,5
      8,2026-05-08,38,recurring,2026-04-03,5
      "
    `);
  });
});
