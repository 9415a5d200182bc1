/**
 * Period totals (issue 15, defect 7): an exact duplicate row, two overlapping periods of
 * one student and an absurd days_enrolled (1e20) used to pass and reach the model. Each is
 * refused, naming the row, the column and the row it collides with.
 */
import { describe, expect, it } from 'vitest';
import { readWindowTotals } from '../../src/data/read-window-totals.js';
import { ValidationError } from '../../src/errors.js';

const HEADER = 'student_id,period_start,period_end,days_enrolled,days_absent';
const WINDOW = [{ from: '2025-09-01', to: '2025-10-31' }];

async function issuesOf(rows: readonly string[]) {
  const error = await readWindowTotals({ text: `${HEADER}\n${rows.join('\n')}\n` }, 'periods.csv', WINDOW).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues;
}

describe('period totals', () => {
  it('refuses an exact duplicate row, naming the first', async () => {
    expect(await issuesOf(['S1,2025-09-01,2025-09-30,20,2', 'S2,2025-09-01,2025-09-30,20,0', 'S1,2025-09-01,2025-09-30,20,2'])).toEqual([
      {
        file: 'periods.csv',
        row: 4,
        column: 'period_start',
        message: 'the same period 2025-09-01 to 2025-09-30 for this student as on row 2 (a duplicated row?)',
      },
    ]);
  });

  it("refuses a period that overlaps one of the same student's, and not another student's", async () => {
    expect(await issuesOf(['S1,2025-09-01,2025-09-30,20,2', 'S2,2025-09-15,2025-10-15,20,0', 'S1,2025-09-29,2025-10-31,23,1'])).toEqual([
      {
        file: 'periods.csv',
        row: 4,
        column: 'period_start',
        message: "the period 2025-09-29 to 2025-10-31 overlaps this student's period on row 2: its days would be counted twice",
      },
    ]);
  });

  it('refuses more days enrolled than the period has days (1e20 included)', async () => {
    expect(
      await issuesOf([
        'S1,2025-09-01,2025-09-30,100000000000000000000,2',
        'S2,2025-09-01,2025-09-05,6,0',
        'S3,2025-09-01,2025-09-30,1e20,0',
      ]),
    ).toEqual([
      {
        file: 'periods.csv',
        row: 2,
        column: 'days_enrolled',
        message: '100000000000000000000 days enrolled in a period of 30 calendar days (2025-09-01 to 2025-09-30)',
      },
      {
        file: 'periods.csv',
        row: 3,
        column: 'days_enrolled',
        message: '6 days enrolled in a period of 5 calendar days (2025-09-01 to 2025-09-05)',
      },
      { file: 'periods.csv', row: 4, column: 'days_enrolled', message: '"1e20" is not a whole number of days >= 0' },
    ]);
  });

  it('totals adjacent periods of one student, and a whole period of enrolled days', async () => {
    const read = await readWindowTotals(
      { text: `${HEADER}\nS1,2025-09-01,2025-09-30,30,2\nS1,2025-10-01,2025-10-31,21,1.5\n` },
      'periods.csv',
      WINDOW,
    );
    expect(read.totals[0].get('S1')).toEqual({ days_enrolled: 51, days_absent: 3.5 });
  });
});
