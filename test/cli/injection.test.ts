/**
 * CSV formula injection end to end (issue 4): a roster whose ids, names and contacts look
 * like spreadsheet formulas flows through `pilot assign`, `pilot simulate attendance`,
 * `pilot messages` and `pilot analyze` (from the study files, then `--table` on the table
 * it wrote). Every cell of every CSV written is inert (it does not start with `=`, `+`,
 * `-`, `@`, tab or CR, unless it is a number we computed), every value reads back as it was,
 * and every file holding students is the owner's alone (0600).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { parseCsvText } from '../../src/io/csv-parser.js';
import { readCsv } from '../../src/io/read-csv.js';
import type { RosterStudent } from '../../src/types.js';
import { filesUnder } from '../helpers/files.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

/** The examples; each student gets one as a prefix of its id and as its names. */
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)', "'=quoted already"];
const DANGEROUS_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function hostileRoster(): RosterStudent[] {
  return smallRoster(120, 2, 9).map((s, i) => {
    const formula = FORMULAS[i % FORMULAS.length];
    return {
      ...s,
      student_id: `${formula}${s.student_id}`,
      household_id: `${FORMULAS[Number(s.household_id.slice(1)) % FORMULAS.length]}${s.household_id}`,
      first_name: formula,
      last_name: FORMULAS[(i + 1) % FORMULAS.length],
      caregiver_name: FORMULAS[(i + 2) % FORMULAS.length],
      caregiver_phone: `+1 555 010 ${String(1000 + i)}`,
      caregiver_email: `@${s.student_id}@example.org`,
      // Tab- and CR-led values: the roster (written by our writer) keeps them, neutralized.
      caregiver_address: i % 2 === 0 ? '\t=cmd|"/C calc"!A0' : '\r-1+1',
      preferred_language: 'en',
    };
  });
}

/** Every cell of a written CSV, parsed without restoring anything: what a spreadsheet sees. */
async function rawCells(path: string): Promise<string[]> {
  return parseCsvText(await readFile(path, 'utf8')).records.flat();
}

async function csvFilesUnder(dir: string): Promise<string[]> {
  return (await filesUnder(dir)).filter((path) => path.endsWith('.csv'));
}

describe('formula-looking roster values, end to end', () => {
  it('come out inert in every CSV written, read back as they were, in owner-only files', async () => {
    const dir = await tempDir();
    const students = hostileRoster();
    const rosterPath = join(dir, 'roster.csv');
    await writeFile(rosterPath, rosterCsv(students));
    // Templates that open with the name, so every message starts with a formula.
    const settings = join(dir, 'settings.json');
    await writeFile(
      settings,
      JSON.stringify({
        defaults: {
          sender_name: '=Ms. Rivera',
          templates: [
            { name: 'name-first', kind: 'initial', language: 'en', body: '{student_name} missed {days_missed}' },
            { name: 'name-first-thanks', kind: 'thank_you', language: 'en', body: '{student_name}, thank you' },
          ],
        },
      }),
    );
    const cli = async (...argv: string[]) => {
      const io = memoryIo();
      const code = await run(argv, io);
      expect(
        io.err.filter((line) => line.startsWith('pilot:')),
        argv[0],
      ).toEqual([]);
      expect(code, argv[0]).toBe(0);
      return io;
    };
    const study = join(dir, 'study');
    await cli('assign', '--roster', rosterPath, '--out', study, '--seed', '7');
    await cli(
      'simulate',
      'attendance',
      '--roster',
      rosterPath,
      '--assignments',
      join(study, 'assignments.csv'),
      '--out',
      join(dir, 'sim'),
      '--seed',
      '7',
    );
    const attendance = join(dir, 'sim', 'attendance.csv');
    const calendar = join(dir, 'sim', 'calendar.csv');
    const messages = join(dir, 'sends', 'messages.csv');
    await cli(
      'messages',
      '--roster',
      rosterPath,
      '--assignments',
      join(study, 'assignments.csv'),
      '--attendance',
      attendance,
      '--calendar',
      calendar,
      '--settings',
      settings,
      '--as-of',
      '2025-09-19',
      '--kind',
      'initial',
      '--out',
      messages,
    );
    const results = join(dir, 'results');
    await cli(
      'analyze',
      '--roster',
      rosterPath,
      '--assignments',
      join(study, 'assignments.csv'),
      '--attendance',
      attendance,
      '--calendar',
      calendar,
      '--from',
      '2025-09-01',
      '--to',
      '2025-12-19',
      '--method',
      'laplace',
      '--draws-per-chain',
      '200',
      '--draws-csv',
      '--seed',
      '3',
      '--out',
      results,
    );
    const again = join(dir, 'again');
    await cli(
      'analyze',
      '--table',
      join(results, 'model_input.csv'),
      '--method',
      'laplace',
      '--draws-per-chain',
      '200',
      '--seed',
      '3',
      '--out',
      again,
    );

    // 1. Inert: no cell a spreadsheet would run, in any CSV any command wrote.
    const written = await csvFilesUnder(dir);
    expect(written.map((p) => relative(dir, p)).sort()).toEqual(
      [
        'results/draws.csv',
        'results/model_input.csv',
        'roster.csv',
        'sends/messages.csv',
        'sends/messages.skipped.csv',
        'sim/attendance.csv',
        'sim/calendar.csv',
        'study/assignments.csv',
        'study/balance.csv',
      ].sort(),
    );
    for (const path of written) {
      if (path === rosterPath) continue;
      const live = (await rawCells(path)).filter((cell) => DANGEROUS_START.test(cell) && !NUMBER.test(cell));
      expect(live, relative(dir, path)).toEqual([]);
    }
    const rawMessages = await readFile(messages, 'utf8');
    expect(rawMessages).toContain(`"'=HYPERLINK(""http://x"",""y"")`);
    expect(rawMessages).toContain(`,"'\t=cmd|""/C calc""!A0",`);
    expect(rawMessages).toContain(`,"'\r-1+1",`);

    // 2. Readable back: ids match across files, names come back in the messages.
    const ids = new Set(students.map((s) => s.student_id));
    const assignments = await readCsv({ path: join(study, 'assignments.csv') }, 'assignments.csv');
    expect(new Set(assignments.columns.student_id)).toEqual(ids);
    expect(new Set(assignments.columns.household_id)).toEqual(new Set(students.map((s) => s.household_id)));
    const sent = await readCsv({ path: messages }, 'messages.csv');
    expect(sent.rowCount).toBeGreaterThan(10);
    const treated = new Set(assignments.columns.student_id.filter((_, i) => assignments.columns.arm[i] === 'treatment'));
    for (let i = 0; i < sent.rowCount; i++) {
      const id = sent.columns.student_id[i];
      expect(treated.has(id), id).toBe(true);
      const student = students.find((s) => s.student_id === id)!;
      // The message starts with the roster's first name, as written.
      expect(sent.columns.message[i].startsWith(student.first_name!), sent.columns.message[i]).toBe(true);
      const recipient = {
        text: student.caregiver_phone,
        robocall: student.caregiver_phone,
        email: student.caregiver_email,
        letter: student.caregiver_address,
      }[sent.columns.mode[i]];
      expect(sent.columns.recipient[i]).toBe(recipient);
    }
    const table = await readCsv({ path: join(results, 'model_input.csv') }, 'model_input.csv');
    expect(new Set(table.columns.student_id)).toEqual(ids);
    // The table read back gives the same fit as the one built from the study files.
    const first = JSON.parse(await readFile(join(results, 'analysis.json'), 'utf8'));
    const second = JSON.parse(await readFile(join(again, 'analysis.json'), 'utf8'));
    expect(second.effect).toEqual(first.effect);

    // 3. Private: files with student ids or contacts are 0600.
    const privateFiles = [
      'study/assignments.csv',
      'study/assignments.manifest.json',
      'sends/messages.csv',
      'sends/messages.skipped.csv',
      'results/model_input.csv',
      'results/draws.csv',
      'sim/attendance.csv',
    ];
    for (const path of privateFiles) expect((await stat(join(dir, path))).mode & 0o777, path).toBe(0o600);
  });
});
