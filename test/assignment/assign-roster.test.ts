import { describe, expect, it } from 'vitest';
import { assignBlocked, assignRoster } from '../../src/assignment/assign-blocked.js';
import { computeBalance, computeBalanceByPosition } from '../../src/assignment/balance.js';
import { normalizeDesign } from '../../src/assignment/design.js';
import {
  assignedRowsPart,
  encodeAssignedRows,
  encodeAssignedRowsPart,
  encodeAssignments,
} from '../../src/assignment/format-assignments.js';
import { ROSTER_COLUMNS, validateRoster, validateRosterColumns } from '../../src/data/read-roster.js';
import { rosterColumnsOf } from '../../src/data/roster-columns.js';
import { readCsv } from '../../src/io/read-csv.js';
import { formatCsvObjects } from '../../src/io/write-csv.js';
import { createRng, shuffled } from '../../src/random.js';
import { assignHouseholds, groupHouseholds, indexHouseholds } from '../helpers/households.js';
import { smallRoster } from '../helpers/roster.js';

// assignRoster is assignBlocked's fast path (a million students); these tests hold it to
// the general path it replaced: households assigned one by one, then sorted by id.
describe('assignRoster', () => {
  const roster = shuffled(smallRoster(900, 3, 4), createRng(8));
  const designs = {
    blocked: normalizeDesign(),
    unclustered: normalizeDesign({ clustered: false }),
    threeArms: normalizeDesign({ arms: ['control', 'goal', 'compare'], probabilities: [0.5, 0.3, 0.2], blockBy: ['school'] }),
    complete: normalizeDesign({ blockBy: [] }),
  };

  for (const [name, design] of Object.entries(designs)) {
    it(`gives the rows, counts and balance of the household-by-household path (${name})`, () => {
      const run = assignRoster(rosterColumnsOf(roster), design, 31);
      const general = assignHouseholds(groupHouseholds(roster, design.blockBy, design.clustered), design, 31, 'initial');
      expect(run.assignments).toEqual(general.assignments);
      expect(run.counts).toEqual(general.counts);
      expect([run.households, run.householdsSpanningBlocks]).toEqual([general.households, general.householdsSpanningBlocks]);
      expect(assignBlocked(roster, design, 31)).toEqual(general);
      // Arms by roster position agree with the rows, and so does the balance built from them.
      const armOfId = new Map(general.assignments.map((a) => [a.student_id, a.arm]));
      roster.forEach((s, i) => expect(design.arms[run.armOfStudent[i]]).toBe(armOfId.get(s.student_id)));
      const byPosition = computeBalanceByPosition(
        rosterColumnsOf(roster),
        run.armOfStudent,
        run.householdSizeOfStudent,
        design.arms,
        design.controlArm,
      );
      expect(byPosition).toEqual(computeBalance(roster, general.assignments, design.arms, design.controlArm));
      // The rows written from positions are the bytes of the rows written from objects.
      expect(encodeAssignedRows(run.rows).equals(encodeAssignments(general.assignments))).toBe(true);
    });
  }

  it('writes the same bytes from positions as from objects, for ids and places that need quoting or neutralizing', () => {
    // Ids, households and schools starting with formula characters, holding commas, quotes,
    // line breaks and non-ASCII text; siblings in other schools and grades, so households span blocks.
    const tricky = ['=', '+', '-', '@', "'", "'=", '"', ',', '\n', '\r', '\t', 'é', '東', '😀', ' '];
    const hostile = roster.map((s, i) => ({
      ...s,
      student_id: i % 3 === 0 ? `${tricky[i % tricky.length]}${s.student_id}${tricky[(i * 7) % tricky.length]}` : s.student_id,
      household_id: i % 5 === 0 ? `${tricky[i % tricky.length]}${s.household_id}` : s.household_id,
      school_id: i % 4 === 0 ? `${tricky[i % tricky.length]}${s.school_id}` : s.school_id,
    }));
    for (const design of Object.values(designs)) {
      const run = assignRoster(rosterColumnsOf(hostile), design, 5);
      const general = assignHouseholds(groupHouseholds(hostile, design.blockBy, design.clustered), design, 5, 'initial');
      expect(run.householdsSpanningBlocks).toBe(general.householdsSpanningBlocks);
      expect(encodeAssignedRows(run.rows).equals(encodeAssignments(general.assignments))).toBe(true);
      // Written in two parts, as two threads write a large roster, then joined: the same bytes.
      for (const half of [0, 1, 333, hostile.length]) {
        const parts = [
          encodeAssignedRowsPart(assignedRowsPart(run.rows, 0, half), true),
          encodeAssignedRowsPart(assignedRowsPart(run.rows, half, hostile.length), false),
        ];
        expect(Buffer.concat(parts).equals(encodeAssignedRows(run.rows))).toBe(true);
        // The worker's part comes with its ids packed: the same bytes again.
        const packed = encodeAssignedRowsPart(assignedRowsPart(run.rows, half, hostile.length, { packed: true }), false);
        expect(packed.equals(parts[1])).toBe(true);
      }
    }
  });

  // Rows shuffled, so the roster's file order is not id order; or sorted by household (the
  // order in which validation groups without a map) with ids descending within it, so not in
  // id order either. Some students have no household_id.
  const withLoners = roster.map((s, i) => (i % 7 === 0 ? { ...s, household_id: '' } : s));
  const byHousehold = [...withLoners].sort((a, b) => {
    const [ha, hb] = [a.household_id || a.student_id, b.household_id || b.student_id];
    return ha < hb ? -1 : ha > hb ? 1 : a.student_id < b.student_id ? 1 : -1;
  });
  for (const [order, students] of [
    ['shuffled', withLoners],
    ['sorted by household', byHousehold],
  ] as const) {
    it(`gives the same rows with the households roster validation found, and ignores a grouping that does not fit (${order})`, async () => {
      const text = formatCsvObjects(ROSTER_COLUMNS, students);
      const validated = validateRosterColumns(await readCsv({ text }, 'roster.csv')).value!;
      // The columns are those of the students validateRoster makes, by the same rules.
      expect(validated.columns).toEqual(rosterColumnsOf(validateRoster(await readCsv({ text }, 'roster.csv')).value!.students));
      expect(validated.households.firstOf.length).toBeLessThan(validated.columns.count);
      const inFirstOrder = validateRosterColumns(await readCsv({ text: formatCsvObjects(ROSTER_COLUMNS, withLoners) }, 'roster.csv'))
        .value!;
      const unfit = { groupOf: new Int32Array(validated.columns.count), firstOf: [0] };
      for (const design of Object.values(designs)) {
        const anew = encodeAssignedRows(assignRoster(validated.columns, design, 7).rows);
        expect(encodeAssignedRows(assignRoster(validated.columns, design, 7, validated.households).rows).equals(anew)).toBe(true);
        expect(encodeAssignedRows(assignRoster(validated.columns, design, 7, unfit).rows).equals(anew)).toBe(true);
        // The same rows whatever the file's order.
        expect(anew.equals(encodeAssignedRows(assignRoster(inFirstOrder.columns, design, 7).rows))).toBe(true);
      }
    });
  }

  it('counts household size by household_id even when students are assigned alone', () => {
    const run = assignRoster(rosterColumnsOf(roster), designs.unclustered, 2);
    const size = new Map<string, number>();
    for (const s of roster) size.set(s.household_id, (size.get(s.household_id) ?? 0) + 1);
    expect(Math.max(...run.householdSizeOfStudent)).toBeGreaterThan(1);
    roster.forEach((s, i) => expect(run.householdSizeOfStudent[i]).toBe(size.get(s.household_id)));
  });
});

describe('indexHouseholds', () => {
  it('says which household each student is in, by position', () => {
    const roster = smallRoster(200, 2, 9);
    const { households, householdOf } = indexHouseholds(roster, ['district', 'school', 'grade'], true);
    expect(households).toEqual(groupHouseholds(roster, ['district', 'school', 'grade'], true));
    roster.forEach((s, i) => expect(households[householdOf[i]].students).toContain(s));
  });
});
