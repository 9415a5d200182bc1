import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyGrade, normalizeGrade, STANDARD_GRADE_CODES } from '../../src/data/normalize-grade.js';
import { readMappingFile } from '../../src/data/read-mapping-file.js';
import { readRosterSource, validateRosterSource } from '../../src/data/read-roster-source.js';
import type { RosterStudent } from '../../src/types.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * OneRoster bundles as SISs publish them, each reduced to the few rows that show one
 * way a real export differs from the toolkit's simulated ones (fixtures/real-exports/README.md).
 */
const bundle = (name: string) => join('fixtures/real-exports', name);
const placed = (students: readonly RosterStudent[]) =>
  students.map((s) => [s.student_id, s.grade, s.school_id, s.district_id, s.household_id]);

describe('OneRoster exports as published', () => {
  it('1. accepts every standard grade code, leaving out students outside the study with a count per grade', async () => {
    const dir = bundle('grade-codes');
    const roster = await readRosterSource(dir);
    expect(placed(roster.students)).toEqual([
      ['s-203', 'KG', '110', '100', 'p-301'],
      ['s-204', '1', '110', '100', 'p-302'],
      ['s-207', 'PK', '110', '100', 's-207'],
    ]);
    expect(roster.students.map((s) => s.caregiver_phone)).toEqual(['555-0301', '555-0302', undefined]);
    expect(roster.warnings).toEqual([
      {
        file: join(dir, 'users.csv'),
        message: "5 students left out: their grade is outside the study's grades (PK, KG, 1 to 12): IT 1, TK 1, PS 1, Other 1, 13 1",
      },
    ]);
    expect(roster.leftOut.map((s) => [s.student_id, s.reason, s.detail, s.row])).toEqual([
      ['s-201', 'grade outside the study', 'IT', 2],
      ['s-202', 'grade outside the study', 'TK', 3],
      ['s-205', 'grade outside the study', 'PS', 6],
      ['s-206', 'grade outside the study', 'Other', 7],
      ['s-208', 'grade outside the study', '13', 9],
    ]);
  });

  it('2. takes a school with no district above it as its own district, or the district --district names', async () => {
    const dir = bundle('single-school');
    const own = await readRosterSource(dir);
    expect(placed(own.students)).toEqual([
      ['st1', '6', 'HILL-MS', 'HILL-MS', 'gd1'],
      ['st2', '8', 'HILL-MS', 'HILL-MS', 'gd1'],
      ['st3', '7', 'HILL-MS', 'HILL-MS', 'st3'],
    ]);
    expect(own.students[0]).toMatchObject({ school_name: 'Hillcrest Middle', district_name: 'Hillcrest Middle' });
    const orgs = join(dir, 'orgs.csv');
    expect(own.warnings).toEqual([
      {
        file: orgs,
        row: 2,
        column: 'parentSourcedId',
        message: 'school "HILL-MS" has no district above it: it is taken as its own district (--district ID names one)',
      },
    ]);
    const named = await readRosterSource(dir, undefined, { district: 'HILLCREST-SD' });
    expect(named.students.map((s) => s.district_id)).toEqual(['HILLCREST-SD', 'HILLCREST-SD', 'HILLCREST-SD']);
    expect(named.warnings).toEqual([
      {
        file: orgs,
        row: 2,
        column: 'parentSourcedId',
        message: 'school "HILL-MS" has no district above it: its district is "HILLCREST-SD", as --district says',
      },
    ]);
  });

  it('3. takes the grade from classes when users.csv has no grades column, the one grade every class shares', async () => {
    const dir = bundle('grades-from-classes');
    const roster = await readRosterSource(dir);
    expect(placed(roster.students)).toEqual([
      ['u1', '2', 'sch-12', 'd-9', 'g1'],
      ['u2', '3', 'sch-12', 'd-9', 'g1'],
    ]);
    expect(roster.warnings).toEqual([
      { file: join(dir, 'users.csv'), message: '2 students left out: their classes give several grades and no grade they all share' },
      {
        file: join(dir, 'users.csv'),
        row: 2,
        column: 'grades',
        message: "the student's classes give several grades (2, 3): 2, the one they all share, is used",
      },
    ]);
    expect(roster.leftOut.map((s) => [s.student_id, s.reason, s.detail, s.file, s.row])).toEqual([
      ['u3', 'several grades', '2, 3', join(dir, 'users.csv'), 4],
      ['u4', 'several grades', '2, 3', join(dir, 'users.csv'), 5],
    ]);
  });

  it('4. leaves out disabled and unenrolled students by default, and keeps them with includeDisabled', async () => {
    const dir = bundle('disabled-unenrolled');
    const users = join(dir, 'users.csv');
    const roster = await readRosterSource(dir);
    expect(placed(roster.students)).toEqual([
      ['st-1', '9', 'S51', 'D5', 'pa-1'],
      ['st-4', '11', 'S51', 'D5', 'st-4'],
    ]);
    expect(roster.warnings).toEqual([
      {
        file: users,
        message:
          '1 student left out: enabledUser is false (how SIS exports mark withdrawn and graduated students); --include-disabled keeps them',
      },
      { file: users, message: '1 student left out: no enrollment in enrollments.csv names them; --include-disabled keeps them' },
    ]);
    expect(roster.leftOut.map((s) => [s.student_id, s.reason, s.row])).toEqual([
      ['st-2', 'disabled', 3],
      ['st-3', 'not enrolled', 4],
    ]);
    const all = await readRosterSource(dir, undefined, { includeDisabled: true });
    expect(placed(all.students)).toEqual([
      ['st-1', '9', 'S51', 'D5', 'pa-1'],
      ['st-2', '12', 'S51', 'D5', 'pa-1'],
      ['st-3', '10', 'S51', 'D5', 'st-3'],
      ['st-4', '11', 'S51', 'D5', 'st-4'],
    ]);
    expect(all.warnings).toEqual([]);
    expect(all.leftOut).toEqual([]);
  });

  it('5. uses every role of a 1.2 user: a parent who is also a student keeps the link to their children', async () => {
    const roster = await readRosterSource(bundle('parent-also-student'));
    expect(roster.format).toBe('oneroster-1.2');
    expect(placed(roster.students)).toEqual([
      ['P1', '12', 'HS-71', 'DIST-7', 'P1'],
      ['C1', 'PK', 'ES-72', 'DIST-7', 'P1'],
      ['C2', 'KG', 'ES-72', 'DIST-7', 'P1'],
      ['C3', '3', 'ES-72', 'DIST-7', 'C3'],
    ]);
    // The children's contact is the parent, by the preferred name; the parent, as a student, has no guardian.
    expect(roster.students.map((s) => [s.caregiver_name, s.caregiver_phone])).toEqual([
      [undefined, undefined],
      ['Val Young', '555-0701'],
      ['Val Young', '555-0701'],
      [undefined, undefined],
    ]);
    expect(roster.warnings).toEqual([]);
  });

  it('6. lists the header and structure problems of every file at once, blank header names only as notes', async () => {
    const dir = bundle('header-problems');
    const validation = await validateRosterSource(dir);
    expect(validation.ok).toBe(false);
    expect(validation.issues).toEqual([
      { file: join(dir, 'enrollments.csv'), row: 2, column: '#11', message: 'expected 10 fields as in the header, found 11' },
      {
        file: join(dir, 'orgs.csv'),
        row: 1,
        column: 'type',
        message:
          'missing required column "type" for OneRoster orgs (the header has: sourcedId, status, dateLastModified, name, orgType, identifier, parentSourcedId)',
      },
      {
        file: join(dir, 'users.csv'),
        row: 1,
        column: 'sourcedId',
        message:
          'missing required column "sourcedId" for OneRoster users (the header has: sourcedID, status, dateLastModified, enabledUser, orgSourcedIds, role, username, userIds, givenName, familyName, middleName, identifier, email, sms, phone, agentSourcedIds, grades, password, , )',
      },
    ]);
    expect(validation.warnings).toEqual([
      { file: join(dir, 'manifest.csv'), row: 1, message: 'a column has no name in the header (#3): not read' },
      { file: join(dir, 'users.csv'), row: 1, message: '2 columns have no name in the header (#19, #20): not read' },
    ]);

    const blank = bundle('blank-header-names');
    const roster = await readRosterSource(blank);
    expect(placed(roster.students)).toEqual([
      ['a1', '4', 'S1', 'D1', 'g1'],
      ['a2', '5', 'S1', 'D1', 'g1'],
    ]);
    expect(roster.warnings).toEqual([
      { file: join(blank, 'orgs.csv'), row: 1, message: '2 columns have no name in the header (#8, #9): not read' },
      { file: join(blank, 'users.csv'), row: 1, message: 'a column has no name in the header (#19): not read' },
    ]);
  });
});

describe('a roster CSV in a SIS layout, through a mapping file', () => {
  it('8. reads its columns and grade labels as ours, and names its own columns in problems', async () => {
    const { roster: mapping } = await readMappingFile('fixtures/mappings/sis-roster.json');
    const file = 'fixtures/real-exports/sis-roster.csv';
    const roster = await readRosterSource(file, undefined, { mapping });
    expect(placed(roster.students)).toEqual([
      ['880101', 'KG', 'SC-41', 'LEA-4', 'F-1'],
      ['880102', '2', 'SC-41', 'LEA-4', 'F-1'],
      ['880103', '3', 'SC-41', 'LEA-4', 'F-2'],
      ['880104', '1', 'SC-41', 'LEA-4', '880104'],
    ]);
    expect(roster.students.map((s) => [s.first_name, s.caregiver_phone, s.preferred_language])).toEqual([
      ['Amir', '555-0801', 'en'],
      ['Bree', '555-0801', 'en'],
      ['Cato', '555-0802', 'es'],
      ['Dana', undefined, 'en'],
    ]);
    expect(roster.warnings).toEqual([]);
    const dir = await tempDir('pilot-mapped-roster-');
    const bad = join(dir, 'roster.csv');
    await writeFile(bad, (await readFile(file, 'utf8')).replace('Grade 2', 'Second'));
    const validation = await validateRosterSource(bad, { mapping });
    expect(validation.issues).toEqual([
      { file: bad, row: 3, column: 'Grade Level', message: 'unknown grade "Second": expected PK, KG (or K, 0), or 1 to 12 (or 01 to 12)' },
    ]);
    await writeFile(bad, 'Student Number,School Code\n1,S\n');
    expect((await validateRosterSource(bad, { mapping })).issues.map((i) => i.column)).toEqual([
      'LEA Code',
      'Grade Level',
      'First Name',
      'Last Name',
      'Family ID',
      'Contact Phone',
      'Home Language Code',
    ]);
  });
});

describe('grade codes', () => {
  it('classifies the OneRoster/CEDS codes: the study grades, and the standard codes outside them', () => {
    expect(STANDARD_GRADE_CODES).toEqual([
      'IT',
      'PR',
      'PK',
      'TK',
      'KG',
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
      '11',
      '12',
      '13',
      'PS',
      'UG',
      'Other',
    ]);
    expect(['PK', 'KG', '01', '12', 'TK', 'other', 'ug', '13', 'G3', ''].map(classifyGrade)).toEqual([
      { grade: 'PK' },
      { grade: 'KG' },
      { grade: '1' },
      { grade: '12' },
      { outside: 'TK' },
      { outside: 'Other' },
      { outside: 'UG' },
      { outside: '13' },
      undefined,
      undefined,
    ]);
  });

  it('accepts any standard grade code, in any case and with spaces around (property)', () => {
    const code = fc.constantFrom(...STANDARD_GRADE_CODES);
    const caseOf = fc.constantFrom(
      (s: string) => s,
      (s: string) => s.toLowerCase(),
      (s: string) => s.toUpperCase(),
    );
    const pad = fc.constantFrom('', ' ', '  ');
    fc.assert(
      fc.property(code, caseOf, pad, pad, (c, recase, before, after) => {
        const placedCode = classifyGrade(`${before}${recase(c)}${after}`);
        expect(placedCode).toBeDefined();
        // A study grade is exactly what normalizeGrade gives; the others keep their standard spelling.
        expect(placedCode).toEqual(normalizeGrade(c) ? { grade: normalizeGrade(c) } : { outside: c });
      }),
    );
  });
});
