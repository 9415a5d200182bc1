import { describe, expect, it } from 'vitest';
import { readRoster, readRosterColumns } from '../../src/data/read-roster.js';
import { ValidationError } from '../../src/errors.js';

const header =
  'student_id,district_id,school_id,grade,first_name,household_id,baseline_absences,baseline_days,preferred_mode,preferred_language';

async function problems(body: string): Promise<string[]> {
  try {
    await readRoster({ text: `${header}\n${body}` }, 'roster.csv');
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => `${i.row}:${i.column}:${i.message}`);
    throw error;
  }
  return [];
}

describe('readRoster', () => {
  it('normalizes grades, trims cells, defaults language and household, and accepts a BOM', async () => {
    const roster = await readRoster({ text: `\ufeff${header}\n S1 ,D1,A,01,Ana,,3,170,TEXT,\nS2,D1,A,k,Bo,H9,,,,es-MX\n` }, 'roster.csv');
    expect(roster.students).toEqual([
      {
        student_id: 'S1',
        district_id: 'D1',
        school_id: 'A',
        grade: '1',
        first_name: 'Ana',
        household_id: 'S1',
        preferred_language: 'en',
        preferred_mode: 'text',
        baseline_absences: 3,
        baseline_days: 170,
      },
      {
        student_id: 'S2',
        district_id: 'D1',
        school_id: 'A',
        grade: 'KG',
        first_name: 'Bo',
        household_id: 'H9',
        preferred_language: 'es-MX',
        preferred_mode: undefined,
      },
    ]);
  });

  it('reports every problem at once with its row and column', async () => {
    const found = await problems(
      [
        'S1,D1,A,3,Ana,H1,2,170,text,en',
        'S1,D1,A,4,Ana,H2,2,170,text,en', // duplicate id
        'S3,D1,A,14,Bo,H3,2,170,text,en', // unknown grade
        'S4,D1,A,5,Cy,H4,200,170,text,en', // absent > enrolled
        'S5,D2,B,5,Di,H1,1,170,text,en', // household split across districts
        'S6,D1,A,5,Ed,H6,-1,170,text,en', // negative
        'S7,D1,A,5,Fa,H7,1,,text,en', // half a baseline
        'S8,D1,A,5,Gi,H8,1,170,fax,en', // unknown mode
        'S9,D1,A,5,Ho,H9,1,170,text,1234', // not a language
        ',D1,A,5,Iv,H10,1,170,text,en', // blank id
      ].join('\n'),
    );
    expect(found).toEqual([
      '3:student_id:duplicate student_id "S1" (first on row 2)',
      '4:grade:unknown grade "14": expected PK, KG (or K, 0), or 1 to 12 (or 01 to 12)',
      '5:baseline_absences:200 days absent is more than the 170 days enrolled',
      '6:household_id:household "H1" is split across districts "D1" (row 2) and "D2": a household must be in one district',
      '7:baseline_absences:"-1" is not a count of days >= 0',
      '8:baseline_days:baseline_absences and baseline_days go together: give both or leave both blank',
      '9:preferred_mode:unknown mode "fax": expected text, email, robocall, letter',
      '10:preferred_language:"1234" is not a language code such as en or es',
      '11:student_id:blank student_id',
    ]);
  });

  it('groups households and finds one split across districts, sorted by household or not', async () => {
    // Sorted by household (siblings together, households in order), validation needs no map of households.
    const sorted = ['S1,D1,A,3,Ana,H1,,,,', 'S2,D2,A,4,Bo,H1,,,,', 'S3,D1,A,2,Cy,H2,,,,', 'S4,D1,A,2,Di,,,,,'];
    const shuffled = [sorted[2], sorted[0], sorted[3], sorted[1]];
    expect(await problems(sorted.join('\n'))).toEqual([
      '3:household_id:household "H1" is split across districts "D1" (row 2) and "D2": a household must be in one district',
    ]);
    expect(await problems(shuffled.join('\n'))).toEqual([
      '5:household_id:household "H1" is split across districts "D1" (row 3) and "D2": a household must be in one district',
    ]);
    const fixed = (rows: string[]) => rows.map((row) => row.replace('D2', 'D1')).join('\n');
    for (const rows of [sorted, shuffled]) {
      const roster = await readRosterColumns({ text: `${header}\n${fixed(rows)}` }, 'roster.csv');
      const groupOfId = new Map(roster.columns.studentIds.map((id, i) => [id, roster.households.groupOf[i]]));
      expect(groupOfId.get('S1')).toBe(groupOfId.get('S2'));
      expect(new Set(groupOfId.values()).size).toBe(3);
    }
  });

  it('names each missing required column', async () => {
    await expect(readRoster({ text: 'student_id,grade\nS1,3\n' }, 'r.csv')).rejects.toThrow(
      /missing required column "district_id"[\s\S]*missing required column "school_id"/,
    );
  });

  it('reads a semicolon file as European Excel saves it, and says when a file seems to use another delimiter', async () => {
    const roster = await readRoster({ text: 'student_id;district_id;school_id;grade\nS1;D;A;3\n' }, 'r.csv');
    expect(roster.students.map((s) => [s.student_id, s.district_id, s.school_id, s.grade])).toEqual([['S1', 'D', 'A', '3']]);
    await expect(readRoster({ text: 'student_id|district_id|school_id|grade\nS1|D|A|3\n' }, 'r.csv')).rejects.toThrow(
      /delimiter other than a comma/,
    );
  });

  it('names rows whose field count differs from the header', async () => {
    await expect(readRoster({ text: 'student_id,district_id,school_id,grade\nS1,D,A\n' }, 'r.csv')).rejects.toThrow(
      /r.csv, row 2, column grade: expected 4 fields as in the header, found 3/,
    );
  });
});
