import { describe, expect, it } from 'vitest';
import { assignBlocked } from '../../src/assignment/assign-blocked.js';
import { blockOf, normalizeDesign } from '../../src/assignment/design.js';
import { formatAssignments } from '../../src/assignment/format-assignments.js';
import { gradeIndex } from '../../src/data/normalize-grade.js';
import { createRng, shuffled } from '../../src/random.js';
import type { RosterStudent } from '../../src/types.js';
import { groupHouseholds } from '../helpers/households.js';
import { smallRoster } from '../helpers/roster.js';

const design = normalizeDesign();

function armsByHousehold(assignments: readonly { household_id: string; arm: string }[]): Map<string, Set<string>> {
  const arms = new Map<string, Set<string>>();
  for (const a of assignments) arms.set(a.household_id, (arms.get(a.household_id) ?? new Set()).add(a.arm));
  return arms;
}

describe('assignBlocked', () => {
  const roster = smallRoster(600, 3);

  it('keeps siblings in one arm', () => {
    const run = assignBlocked(roster, design, 5);
    for (const arms of armsByHousehold(run.assignments).values()) expect(arms.size).toBe(1);
    expect(run.householdsSpanningBlocks).toBeGreaterThan(0);
  });

  it('assigns the floor or ceiling of each arm share of households in every block', () => {
    const run = assignBlocked(roster, design, 5);
    const perBlock = new Map<string, number>();
    for (const c of run.counts) perBlock.set(c.block, (perBlock.get(c.block) ?? 0) + c.households);
    for (const c of run.counts) {
      const n = perBlock.get(c.block)!;
      expect([Math.floor(n / 2), Math.ceil(n / 2)]).toContain(c.households);
    }
    // The counts describe the assignments: every student once, in its household's block.
    expect(run.assignments.length).toBe(roster.length);
    expect(run.counts.reduce((s, c) => s + c.students, 0)).toBe(roster.length);
  });

  it('puts a household spanning blocks in the block of its lowest-grade student', () => {
    const run = assignBlocked(roster, design, 5);
    const blockOfRow = new Map(run.assignments.map((a) => [a.student_id, a.block]));
    for (const household of groupHouseholds(roster, design.blockBy, true).filter((h) => h.spansBlocks)) {
      const lowest = [...household.students].sort(
        (a, b) => gradeIndex(a.grade) - gradeIndex(b.grade) || (a.student_id < b.student_id ? -1 : 1),
      )[0];
      for (const s of household.students) expect(blockOfRow.get(s.student_id)).toBe(blockOf(lowest, design.blockBy));
    }
  });

  it('gives the same output for the same seed, and a different one for another seed', () => {
    const a = formatAssignments(assignBlocked(roster, design, 99).assignments);
    expect(formatAssignments(assignBlocked(roster, design, 99).assignments)).toBe(a);
    expect(formatAssignments(assignBlocked(roster, design, 100).assignments)).not.toBe(a);
  });

  it('does not depend on the order of the roster rows', () => {
    const a = formatAssignments(assignBlocked(roster, design, 3).assignments);
    for (const seed of [1, 2, 3])
      expect(formatAssignments(assignBlocked(shuffled(roster, createRng(seed)), design, 3).assignments)).toBe(a);
  });

  it('supports three arms with unequal probabilities and records P(any non-control arm)', () => {
    const threeArms = normalizeDesign({ arms: ['control', 'goal', 'comparison'], probabilities: [0.5, 0.25, 0.25], blockBy: ['district'] });
    const run = assignBlocked(roster, threeArms, 8);
    expect(new Set(run.assignments.map((a) => a.arm))).toEqual(new Set(['control', 'goal', 'comparison']));
    expect(new Set(run.assignments.map((a) => a.p_treatment))).toEqual(new Set([0.5]));
    for (const arms of armsByHousehold(run.assignments).values()) expect(arms.size).toBe(1);
  });

  it('assigns students alone when not clustered, and completely when not blocked', () => {
    const run = assignBlocked(roster, normalizeDesign({ clustered: false, blockBy: [] }), 4);
    const treated = run.assignments.filter((a) => a.arm === 'treatment').length;
    expect(treated).toBe(roster.length / 2);
    expect(new Set(run.assignments.map((a) => a.block))).toEqual(new Set(['all']));
  });

  it('gives every household its recorded probability, empirically over 2,000 seeds', () => {
    // Small blocks with odd household counts (and households spanning blocks) are where an
    // assignment could quietly favour some households; the leftover draw must not.
    const students: RosterStudent[] = smallRoster(60, 1, 3);
    const seeds = 2000;
    const treated = new Map<string, number>();
    let p = 0;
    for (let seed = 0; seed < seeds; seed++) {
      const run = assignBlocked(students, design, seed);
      const treatedHouseholds = new Set(run.assignments.filter((a) => a.arm === 'treatment').map((a) => a.household_id));
      for (const h of treatedHouseholds) treated.set(h, (treated.get(h) ?? 0) + 1);
      p = run.assignments[0].p_treatment;
    }
    expect(p).toBe(0.5);
    const households = groupHouseholds(students, design.blockBy, true);
    const limit = 4 * Math.sqrt((p * (1 - p)) / seeds); // 4 sd: about 1 in 16,000 per household
    let farthest = 0;
    for (const h of households) farthest = Math.max(farthest, Math.abs((treated.get(h.id) ?? 0) / seeds - p));
    expect(farthest).toBeLessThan(limit);
    expect(households.some((h) => h.spansBlocks)).toBe(true);
  });
});
