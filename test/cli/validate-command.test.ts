import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Every file under a folder with its size and modification time: what "writes nothing" checks. */
async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => {
        const path = join(e.parentPath, e.name);
        const info = await stat(path);
        return `${path} ${info.size} ${info.mtimeMs}`;
      }),
  ).then((list) => list.sort());
}

async function validate(args: string[]) {
  const io = memoryIo();
  const code = await run(['validate', ...args], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

describe('pilot validate', () => {
  it('passes the fixtures, saying what it read from each file', async () => {
    const { code, out, err } = await validate([
      '--roster',
      join(FIXTURES, 'roster.csv'),
      '--attendance',
      join(FIXTURES, 'attendance.csv.gz'),
      '--calendar',
      join(FIXTURES, 'calendar.csv'),
      '--assignments',
      join(FIXTURES, 'study', 'assignments.csv'),
      '--settings',
      join(FIXTURES, 'settings.json'),
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(`roster ${join(FIXTURES, 'roster.csv')}: ok, 1,500 students (csv)`);
    expect(out).toContain(`assignments ${join(FIXTURES, 'study', 'assignments.csv')}: ok, 1,500 students assigned`);
    expect(out).toMatch(/attendance .*attendance\.csv\.gz: ok, [\d,]+ rows of daily records/);
    expect(out.split('\n').at(-1)).toBe('All 5 files are valid.');
  });

  it('prints every problem of every file at once (not only the first 20), exits 1 and writes nothing', async () => {
    const dir = await tempDir();
    const calendar = [
      'date,school_id,instructional',
      ...Array.from({ length: 25 }, (_, i) => `2025-09-${String(i + 1).padStart(2, '0')},,perhaps`),
    ].join('\n');
    await writeFile(join(dir, 'calendar.csv'), calendar);
    await writeFile(join(dir, 'roster.csv'), 'student_id,district_id,school_id,grade\nS1,D1,A,3\nS2,D1,A,13\nS1,D1,A,4\n');
    await writeFile(
      join(dir, 'attendance.csv'),
      'student_id,date,status\nS1,2025-09-02,present\nS2,2025-09-31,absent\nS1,2025-09-03,gone fishing\n',
    );
    const before = await snapshot(dir);
    const { code, out, err } = await validate([
      '--roster',
      join(dir, 'roster.csv'),
      '--calendar',
      join(dir, 'calendar.csv'),
      '--attendance',
      join(dir, 'attendance.csv'),
    ]);
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines).toContain(`roster ${join(dir, 'roster.csv')}: 2 problems`);
    expect(lines).toContain(
      `  ${join(dir, 'roster.csv')}, row 3, column grade: unknown grade "13": expected PK, KG (or K, 0), or 1 to 12 (or 01 to 12)`,
    );
    expect(lines).toContain(`  ${join(dir, 'roster.csv')}, row 4, column student_id: duplicate student_id "S1" (first on row 2)`);
    expect(lines).toContain(`calendar ${join(dir, 'calendar.csv')}: 25 problems`);
    expect(lines.filter((l) => l.includes('column instructional: "perhaps" is not true or false'))).toHaveLength(25);
    expect(lines).toContain(`  ${join(dir, 'calendar.csv')}, row 26, column instructional: "perhaps" is not true or false`);
    expect(lines).toContain(`  ${join(dir, 'attendance.csv')}, row 3, column date: "2025-09-31" is not a date as YYYY-MM-DD`);
    expect(lines).toContain(
      `  ${join(dir, 'attendance.csv')}, row 4, column status: unknown status "gone fishing": expected present, absent, excused, unexcused, tardy or early_departure`,
    );
    expect(lines.at(-1)).toBe('29 problems found.');
    expect(err).toBe('pilot: 29 problems in 3 of 3 files (listed above)');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('notes attendance rows of students not in the roster without failing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'roster.csv'), 'student_id,district_id,school_id,grade\nS1,D1,A,3\n');
    await writeFile(join(dir, 'attendance.csv'), 'student_id,date,status\nS1,2025-09-02,present\nS9,2025-09-02,absent\n');
    const { code, out } = await validate(['--roster', join(dir, 'roster.csv'), '--attendance', join(dir, 'attendance.csv')]);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      `roster ${join(dir, 'roster.csv')}: ok, 1 student (csv)`,
      `attendance ${join(dir, 'attendance.csv')}: ok, 2 rows of daily records`,
      `  note: ${join(dir, 'attendance.csv')}: 1 rows for students not in the roster were skipped`,
      'All 2 files are valid.',
    ]);
  });

  it('finds two records for a student on one day within the calendar, and reports JSON with --json', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'roster.csv'), 'student_id,district_id,school_id,grade\nS1,D1,A,3\n');
    await writeFile(join(dir, 'calendar.csv'), 'date,school_id,instructional\n2025-09-02,,true\n2025-09-03,,true\n');
    await writeFile(
      join(dir, 'attendance.csv'),
      'student_id,date,status\nS1,2025-09-02,present\nS1,2025-09-02,absent\nS9,2025-09-03,present\n',
    );
    const io = memoryIo();
    expect(
      await run(
        [
          'validate',
          '--json',
          '--roster',
          join(dir, 'roster.csv'),
          '--calendar',
          join(dir, 'calendar.csv'),
          '--attendance',
          join(dir, 'attendance.csv'),
        ],
        io,
      ),
    ).toBe(1);
    const result = JSON.parse(io.out.join(''));
    expect(result.ok).toBe(false);
    expect(result.problems).toBe(1);
    expect(result.files.map((f: { role: string; ok: boolean }) => [f.role, f.ok])).toEqual([
      ['roster', true],
      ['calendar', true],
      ['attendance', false],
    ]);
    const attendance = result.files[2];
    expect(attendance.issues).toEqual([
      { file: join(dir, 'attendance.csv'), row: 3, column: 'date', message: 'a second record for student "S1" on 2025-09-02' },
    ]);
    expect(io.err.join('')).toBe('pilot: 1 problem in 1 of 3 files');
  });

  it('reports a changed assignment against its manifest and its bad rows together', async () => {
    const dir = await tempDir();
    await cp(join(FIXTURES, 'study'), join(dir, 'study'), { recursive: true });
    const path = join(dir, 'study', 'assignments.csv');
    const rows = (await readFile(path, 'utf8')).split('\n');
    rows[5] = rows[5].replace(/,0\.5,/, ',1.5,');
    await writeFile(path, rows.join('\n'));
    const { code, out } = await validate(['--assignments', path]);
    expect(code).toBe(1);
    expect(out).toContain(`assignments ${path}: 2 problems`);
    expect(out).toMatch(/has changed since `pilot assign` wrote it/);
    expect(out).toContain(`  ${path}, row 6, column p_treatment: "1.5" is not a probability`);
  });

  it('names the file inside a OneRoster bundle', async () => {
    const dir = await tempDir();
    await cp(join(FIXTURES, 'oneroster-1.1'), join(dir, 'export'), { recursive: true });
    const users = join(dir, 'export', 'users.csv');
    await writeFile(users, (await readFile(users, 'utf8')).replace('\nS0001,,,true,D01-S1,student', '\nS0001,,,true,NOWHERE,student'));
    const { code, out } = await validate(['--roster', join(dir, 'export')]);
    expect(code).toBe(1);
    expect(out).toContain(`  ${users}, row 2, column orgSourcedIds: org "NOWHERE" is not in orgs.csv`);
  });

  it('asks for at least one file', async () => {
    const { code, err } = await validate([]);
    expect(code).toBe(2);
    expect(err).toBe(
      'pilot: validate: give at least one file to check: --roster, --attendance, --calendar, --assignments, --settings, --map',
    );
  });
});
