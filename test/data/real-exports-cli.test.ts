import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignStudy } from '../../src/assignment/assign-study.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readMappingFile } from '../../src/data/read-mapping-file.js';
import { readStudyData } from '../../src/study/read-study-data.js';
import { tempDir } from '../helpers/temp-dir.js';

const bundle = (name: string) => join('fixtures/real-exports', name);

describe('pilot assign and validate on exports as published', () => {
  it('assign leaves out disabled and unenrolled students, says how many, and lists them in a private file', async () => {
    const out = join(await tempDir('pilot-real-'), 'study');
    const io = memoryIo();
    expect(await run(['assign', '--roster', bundle('disabled-unenrolled'), '--out', out, '--seed', '7'], io), io.err.join('\n')).toBe(0);
    expect(io.out.join('\n')).toContain('Assigned 2 students in 2 households');
    const list = join(out, 'roster-left-out.csv');
    expect(io.out.join('\n')).toContain(`2 students of the roster were left out (the notes say why); ${list} lists them (private).`);
    expect(io.err).toContain(
      `note: ${join(bundle('disabled-unenrolled'), 'users.csv')}: 1 student left out: enabledUser is false (how SIS exports mark withdrawn and graduated students); --include-disabled keeps them`,
    );
    expect((await stat(list)).mode & 0o777).toBe(0o600);
    const users = join(bundle('disabled-unenrolled'), 'users.csv');
    expect(await readFile(list, 'utf8')).toBe(
      `student_id,reason,detail,file,row\nst-2,disabled,enabledUser false,${users},3\nst-3,not enrolled,no enrollment,${users},4\n`,
    );

    const all = join(await tempDir('pilot-real-'), 'study');
    const kept = memoryIo();
    expect(
      await run(['assign', '--roster', bundle('disabled-unenrolled'), '--out', all, '--seed', '7', '--include-disabled'], kept),
      kept.err.join('\n'),
    ).toBe(0);
    expect(kept.out.join('\n')).toContain('Assigned 4 students in 3 households');
    await expect(stat(join(all, 'roster-left-out.csv'))).rejects.toThrow();
  });

  it('assign takes the district of a single-school export from --district, and a SIS roster layout from --map', async () => {
    const out = join(await tempDir('pilot-real-'), 'study');
    const io = memoryIo();
    expect(
      await run(['assign', '--roster', bundle('single-school'), '--out', out, '--seed', '7', '--district', 'HSD'], io),
      io.err.join('\n'),
    ).toBe(0);
    const rows = (await readFile(join(out, 'assignments.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(',').slice(0, 3).join(','))).toEqual(['st1,gd1,HSD', 'st2,gd1,HSD', 'st3,st3,HSD']);

    const mapped = join(await tempDir('pilot-real-'), 'study');
    const byMap = memoryIo();
    expect(
      await run(
        ['assign', '--roster', bundle('sis-roster.csv'), '--map', 'fixtures/mappings/sis-roster.json', '--out', mapped, '--seed', '7'],
        byMap,
      ),
      byMap.err.join('\n'),
    ).toBe(0);
    expect(byMap.out.join('\n')).toContain('Assigned 4 students in 3 households');
  });

  it('validate checks a mapping file, and reads period attendance through it with duplicates found without a calendar', async () => {
    const io = memoryIo();
    const args = ['validate', '--attendance', bundle('period-attendance.csv'), '--map', 'fixtures/mappings/period-attendance.json'];
    expect(await run(args, io), io.err.join('\n')).toBe(0);
    expect(io.out.join('\n')).toContain('map fixtures/mappings/period-attendance.json: ok, sections attendance');
    expect(io.out.join('\n')).toContain(`attendance ${bundle('period-attendance.csv')}: ok, 22 rows of daily records`);

    const edfi = memoryIo();
    expect(await run(['validate', '--attendance', bundle('ed-fi-attendance-problems.csv')], edfi)).toBe(1);
    expect(edfi.out.join('\n')).toContain(
      `${bundle('ed-fi-attendance-problems.csv')}, row 3, column EventDate: "Excused Absence" appears twice for student "604854" on 2011-02-02`,
    );
  });
});

describe('a study read through one mapping file', () => {
  it('readStudyData reads a SIS roster and period attendance through the roster and attendance sections of one --map', async () => {
    const dir = await tempDir('pilot-real-');
    const [roster, period] = await Promise.all(
      ['sis-roster.json', 'period-attendance.json'].map(async (name) =>
        JSON.parse(await readFile(join('fixtures/mappings', name), 'utf8')),
      ),
    );
    const map = join(dir, 'district.json');
    await writeFile(map, JSON.stringify({ ...roster, ...period }));
    const attendance = join(dir, 'periods.csv');
    await writeFile(
      attendance,
      [
        'StudentNumber,attendance_date,period,code',
        '880101,1/10/2025,1,A',
        '880101,1/10/2025,2,A',
        '880101,1/10/2025,3,P',
        '880102,1/10/2025,1,P',
        '880102,1/10/2025,2,T',
      ].join('\n'),
    );
    const out = join(dir, 'study');
    await assignStudy(bundle('sis-roster.csv'), { out, seed: 3, rosterOptions: { mapping: (await readMappingFile(map)).roster } });
    const data = await readStudyData({ roster: bundle('sis-roster.csv'), assignments: join(out, 'assignments.csv'), attendance, map }, [
      { from: '2025-10-01', to: '2025-10-31' },
    ]);
    expect(data.roster.map((s) => s.grade)).toEqual(['KG', '2', '3', '1']);
    // 880101 missed 2 of 3 periods (absent for the day), 880102 none.
    expect(Object.fromEntries(data.windows[0])).toEqual({
      '880101': { days_enrolled: 1, days_absent: 1 },
      '880102': { days_enrolled: 1, days_absent: 0 },
    });
    expect(Object.keys(data.inputs).sort()).toEqual(['assignments', 'attendance', 'map', 'roster']);
  });
});
