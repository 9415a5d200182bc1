import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readOneRoster } from '../../src/data/read-oneroster.js';
import { readRosterSource, sha256RosterSource, validateRosterSource } from '../../src/data/read-roster-source.js';
import type { Issue } from '../../src/errors.js';
import { ValidationError } from '../../src/errors.js';
import { parseCsvText } from '../../src/io/csv-parser.js';
import { formatOneRoster, oneRosterEquivalent } from '../../src/simulate/format-oneroster.js';
import { writeOneRoster } from '../../src/simulate/write-oneroster.js';
import { smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Writes a bundle's files (name -> CSV text) into a fresh folder. */
async function writeBundle(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('pilot-oneroster-');
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

/** The CSV with its columns in reverse order (a plain re-quote of every cell). */
function reverseColumns(text: string): string {
  const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
  return parseCsvText(text)
    .records.map((record) => [...record].reverse().map(quote).join(','))
    .join('\r\n');
}

async function issuesOf(path: string): Promise<Issue[]> {
  const validation = await validateRosterSource(path);
  expect(validation.ok).toBe(false);
  return [...validation.issues];
}

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

const ORGS = lines(
  'sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId',
  'D1,,,North District,district,,',
  'D2,,,South District,district,,',
  'SCH1,,,North Elementary,school,,D1',
  'SCH2,,,South Elementary,school,,D2',
);
const USERS_1_1 =
  'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,metadata.language';

describe('readRosterSource with OneRoster bundles', () => {
  const roster = smallRoster(150, 2, 7);
  const expected = oneRosterEquivalent(roster);

  it('reads a 1.1 folder, a 1.2 folder and a 1.2 zip as the students the bundle was written from', async () => {
    const dir = await tempDir('pilot-oneroster-');
    await writeOneRoster(join(dir, 'v11'), roster, { version: '1.1' });
    await writeOneRoster(join(dir, 'v12'), roster, { version: '1.2' });
    await writeOneRoster(join(dir, 'v12.zip'), roster, { version: '1.2', zip: true });
    const read = await Promise.all(['v11', 'v12', 'v12.zip'].map((name) => readRosterSource(join(dir, name))));
    expect(read.map((r) => r.format)).toEqual(['oneroster-1.1', 'oneroster-1.2', 'oneroster-1.2']);
    for (const r of read) {
      expect(r.students).toEqual(expected);
      expect(r.warnings).toEqual([]);
    }
    // Households survive: the simulator's 150 students sit in fewer households, some of several students.
    const sizes = new Map<string, number>();
    for (const s of read[0].students) sizes.set(s.household_id, (sizes.get(s.household_id) ?? 0) + 1);
    expect(sizes.size).toBe(new Set(roster.map((s) => s.household_id)).size);
    expect(Math.max(...sizes.values())).toBeGreaterThan(1);
  });

  it('gives the same households and contacts whichever rows carry agentSourcedIds', async () => {
    for (const version of ['1.1', '1.2'] as const) {
      const [students, guardians, both] = await Promise.all(
        (['students', 'guardians', 'both'] as const).map(
          async (agents) => (await readRosterSource(await writeBundle(formatOneRoster(roster, { version, agents })))).students,
        ),
      );
      expect(students).toEqual(expected);
      expect(guardians).toEqual(expected);
      expect(both).toEqual(expected);
    }
  });

  it('finds columns by name, whatever their order', async () => {
    for (const version of ['1.1', '1.2'] as const) {
      const files = formatOneRoster(roster, { version, agents: 'both' });
      const reversed = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, reverseColumns(text)]));
      expect(reversed['users.csv'].split('\r\n')[0].startsWith('"metadata.preferredMode","metadata.preferredLanguage"')).toBe(true);
      expect((await readRosterSource(await writeBundle(reversed))).students).toEqual(expected);
    }
  });

  it('joins siblings through shared guardians linked either way, picks the first guardian with a contact, and drops tobedeleted rows', async () => {
    // S1-G2 (on G2's row), S2-G2 and S2-G1 (on S2's row), S3-G1: one household, named by
    // its lowest guardian id, G1. S4's only guardian G3 is tobedeleted, and S5 itself is.
    const dir = await writeBundle({
      'orgs.csv': ORGS,
      'users.csv': lines(
        USERS_1_1,
        'S1,,,true,SCH1,student,,,Ana,Ruiz,,,,,,,03,,',
        'S2,,,true,SCH1,student,,,Ben,Ruiz,,,,,,G1,05,,',
        'S3,,,true,SCH1,student,,,Cal,Ruiz,,,,,,G1,KG,,',
        'S4,,,true,SCH2,student,,,Dee,Obi,,,,,,,PK,,',
        'S5,tobedeleted,,true,SCH1,student,,,Eve,Gone,,,,,,G1,04,,',
        'G1,,,true,D1,guardian,,,Rosa,Ruiz,,,rosa@example.org,,,,,,es',
        'G2,active,,true,D1,parent,,,Luis,Ruiz,,,,555-0102,,"S1,S2",,,',
        'G3,tobedeleted,,true,D2,parent,,,Old,Obi,,,,555-0199,,S4,,,',
      ),
    });
    const { students, format } = await readRosterSource(dir);
    expect(format).toBe('oneroster-1.1');
    expect(
      students.map((s) => [
        s.student_id,
        s.household_id,
        s.grade,
        s.caregiver_name,
        s.caregiver_phone,
        s.caregiver_email,
        s.preferred_language,
      ]),
    ).toEqual([
      ['S1', 'G1', '3', 'Luis Ruiz', '555-0102', undefined, 'en'],
      ['S2', 'G1', '5', 'Rosa Ruiz', undefined, 'rosa@example.org', 'es'],
      ['S3', 'G1', 'KG', 'Rosa Ruiz', undefined, 'rosa@example.org', 'es'],
      ['S4', 'S4', 'PK', undefined, undefined, undefined, 'en'],
    ]);
    expect(students[0]).toMatchObject({
      district_id: 'D1',
      school_id: 'SCH1',
      school_name: 'North Elementary',
      district_name: 'North District',
      first_name: 'Ana',
      last_name: 'Ruiz',
    });
  });

  it('takes the school from enrollments and the grade from classes when users.csv does not give them (1.2 roles)', async () => {
    const dir = await writeBundle({
      'manifest.csv': lines('propertyName,value', 'oneroster.version,1.2', 'file.users,bulk'),
      'orgs.csv': ORGS,
      'users.csv': lines(
        'sourcedId,status,enabledUser,givenName,familyName,agentSourcedIds,grades,primaryOrgSourcedId',
        'S1,,true,Ana,Ruiz,,,',
        'S2,,true,Ben,Obi,,07,',
      ),
      // S1's role names only its district; S2 has two schools, its enrollment settles on SCH2.
      'roles.csv': lines(
        'sourcedId,userSourcedId,roleType,role,orgSourcedId',
        'R1,S1,primary,student,D1',
        'R2,S2,secondary,student,SCH1',
        'R3,S2,secondary,student,SCH2',
      ),
      'enrollments.csv': lines(
        'sourcedId,classSourcedId,schoolSourcedId,userSourcedId,role',
        'E1,K1,SCH1,S1,student',
        'E2,K2,SCH2,S2,student',
        'E3,K1,SCH1,T1,teacher',
      ),
      'classes.csv': lines('sourcedId,title,grades,schoolSourcedId', 'K1,Homeroom,04,SCH1', 'K2,Homeroom,07,SCH2'),
    });
    const { students, format } = await readRosterSource(dir);
    expect(format).toBe('oneroster-1.2');
    expect(students.map((s) => [s.student_id, s.district_id, s.school_id, s.grade, s.household_id])).toEqual([
      ['S1', 'D1', 'SCH1', '4', 'S1'],
      ['S2', 'D2', 'SCH2', '7', 'S2'],
    ]);
  });

  it('names the file inside the bundle, the row and the column of every problem, all at once', async () => {
    const dir = await writeBundle({
      'orgs.csv': lines(ORGS.trimEnd(), 'SCH9,,,Lost School,school,,D404'),
      'users.csv': lines(
        USERS_1_1,
        'S1,,,true,SCH1,student,,,Ana,Ruiz,,,,,,,G3,,', // row 2: not a grade code
        'S2,,,true,SCH1,student,,,Ben,Ruiz,,,,,,,"03,04",,', // row 3: two grades
        'S3,,,true,NOPE,student,,,Cal,Ruiz,,,,,,,03,,', // row 4: unknown org
        'S4,,,true,SCH9,student,,,Dee,Obi,,,,,,,03,,', // row 5: school whose parent is missing
        'S5,,,true,SCH1,student,,,Eve,Obi,,,,,,G1,03,,', // row 6
        'S6,,,true,SCH1,student,,,Fay,Lee,,,,,,,03,,', // row 7
        'S7,,,true,SCH2,student,,,Gus,Lee,,,,,,,03,,', // row 8
        'G1,,,true,D1,guardian,,,Rosa,Obi,,,,555-0101,,,,,12345', // row 9: not a language
        'G2,,,true,D1,guardian,,,Lia,Lee,,,,555-0102,,"S6,S7",,,', // row 10: a household in two districts
        'S1,,,true,SCH1,student,,,Ana,Again,,,,,,,03,,', // row 11: duplicate
      ),
    });
    const users = join(dir, 'users.csv');
    const orgs = join(dir, 'orgs.csv');
    const found = (await issuesOf(dir)).map(
      (i) => `${i.file === users ? 'users' : i.file === orgs ? 'orgs' : i.file}:${i.row}:${i.column}:${i.message}`,
    );
    expect(found.sort()).toEqual(
      [
        'users:11:sourcedId:duplicate sourcedId "S1" (first on row 2)',
        'users:3:grades:grades lists several grades (3, 4): a roster needs one grade per student',
        'users:4:orgSourcedIds:org "NOPE" is not in orgs.csv',
        'users:4:orgSourcedIds:student "S3" belongs to no school: none of its orgs (or enrollments) is an org of type school',
        'orgs:6:parentSourcedId:school "SCH9" has no district above it: its parentSourcedId ("D404") should name an org of type district',
        'users:2:grades:unknown grade "G3": expected PK, KG (or K, 0), or 1 to 12 (or 01 to 12)',
        'users:9:metadata.language:"12345" is not a language code such as en or es',
        'users:10:agentSourcedIds:household "G2" is split across districts "D1" (row 7) and "D2": a household must be in one district',
      ].sort(),
    );
    await expect(readOneRoster(dir)).rejects.toThrow(ValidationError);
  });

  it('names the entry inside a zip, and refuses a delta export and a bundle without users.csv', async () => {
    const dir = await tempDir('pilot-oneroster-');
    const zip = join(dir, 'export.zip');
    const files = formatOneRoster(smallRoster(20, 1, 3), { version: '1.2' });
    files['manifest.csv'] = files['manifest.csv'].replace('file.users,bulk', 'file.users,delta');
    await writeFile(zip, zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [`export/${name}`, strToU8(text)]))));
    const issues = await issuesOf(zip);
    expect(issues).toContainEqual({
      file: `${zip}/export/manifest.csv`,
      row: expect.any(Number),
      column: 'value',
      message: 'users.csv is a delta export (only what changed since the last one): a roster needs a bulk export',
    });
    await mkdir(join(dir, 'empty'));
    expect(await issuesOf(join(dir, 'empty'))).toEqual([
      {
        file: join(dir, 'empty'),
        message: 'a OneRoster folder must hold users.csv (with orgs.csv, and roles.csv for OneRoster 1.2); none was found',
      },
    ]);
  });

  it('reports an unknown grade in a zip entry by its name inside the zip', async () => {
    const dir = await tempDir('pilot-oneroster-');
    const zip = join(dir, 'export.zip');
    const files = formatOneRoster(smallRoster(20, 1, 3), { version: '1.1' });
    const userLines = files['users.csv'].split('\n');
    userLines[1] = userLines[1].replace(/,(PK|KG|\d\d),,/, ',Grade 3,,');
    files['users.csv'] = userLines.join('\n');
    await writeFile(zip, zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]))));
    expect(await issuesOf(zip)).toEqual([
      {
        file: `${zip}/users.csv`,
        row: 2,
        column: 'grades',
        message: 'unknown grade "Grade 3": expected PK, KG (or K, 0), or 1 to 12 (or 01 to 12)',
      },
    ]);
  });

  it('keeps siblings together through a guardian missing from users.csv, and ignores a teacher named as an agent, with notes', async () => {
    const dir = await writeBundle({
      'orgs.csv': ORGS,
      'users.csv': lines(
        USERS_1_1,
        'S1,,,true,SCH1,student,,,Ana,Ruiz,,,,,,GX,03,,',
        'S2,,,true,SCH1,student,,,Ben,Ruiz,,,,,,"GX,T1",05,,',
        'T1,,,true,SCH1,teacher,,,Tom,Teach,,,,,,,,,',
      ),
    });
    const { students, warnings } = await readRosterSource(dir);
    expect(students.map((s) => [s.student_id, s.household_id, s.caregiver_name])).toEqual([
      ['S1', 'GX', undefined],
      ['S2', 'GX', undefined],
    ]);
    const users = join(dir, 'users.csv');
    expect(warnings).toEqual([
      {
        file: users,
        row: 2,
        column: 'agentSourcedIds',
        message: 'agent "GX" is not in users.csv: the link is kept for the household, but there is no contact',
      },
      {
        file: users,
        row: 3,
        column: 'agentSourcedIds',
        message: 'agent "GX" is not in users.csv: the link is kept for the household, but there is no contact',
      },
      {
        file: users,
        row: 3,
        column: 'agentSourcedIds',
        message: 'agent "T1" is not a guardian of a student (a parent, guardian or relative): ignored',
      },
    ]);
  });

  it('refuses a users.csv without roles, and a file that only looks like a zip', async () => {
    const dir = await writeBundle({ 'orgs.csv': ORGS, 'users.csv': lines('sourcedId,givenName,grades', 'S1,Ana,03') });
    expect(await issuesOf(dir)).toEqual([
      {
        file: join(dir, 'users.csv'),
        row: 1,
        column: 'role',
        message: 'users.csv has no role column and the bundle has no roles.csv (OneRoster 1.2): students cannot be told from staff',
      },
    ]);
    const fake = join(dir, 'fake.zip');
    await writeFile(fake, 'PK\u0003\u0004 not really a zip');
    const [issue] = await issuesOf(fake);
    expect(issue.file).toBe(fake);
    expect(issue.message).toMatch(/^cannot read the zip: /);
  });

  it('hashes a bundle folder by its files, so a change to any file changes the hash', async () => {
    const dir = await writeBundle(formatOneRoster(smallRoster(20, 1, 3), { version: '1.1' }));
    const before = await sha256RosterSource(dir);
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    expect(await sha256RosterSource(dir)).toBe(before);
    await writeFile(join(dir, 'orgs.csv'), ORGS);
    expect(await sha256RosterSource(dir)).not.toBe(before);
  });
});
