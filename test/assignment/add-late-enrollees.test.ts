import { describe, expect, it } from 'vitest';
import { addLateEnrollees } from '../../src/assignment/add-late-enrollees.js';
import { normalizeDesign } from '../../src/assignment/design.js';
import type { AssignmentManifest } from '../../src/assignment/manifest.js';
import { planInitialAssignment, planLateAssignment } from '../../src/assignment/plan-assignment.js';
import { readAssignments } from '../../src/data/read-assignments.js';
import type { RosterStudent } from '../../src/types.js';
import { assignHouseholds, groupHouseholds } from '../helpers/households.js';
import { smallRoster } from '../helpers/roster.js';

const context = { command: 'test', inputs: {}, created: '2026-01-01T00:00:00.000Z' };

describe('planLateAssignment', () => {
  const everyone = smallRoster(400, 2, 21);
  // The first roster lacks every 7th student; some are siblings of assigned students.
  const early = everyone.filter((_, i) => i % 7 !== 3);
  const initial = planInitialAssignment(early, normalizeDesign(), 77, context);
  const manifest = { ...initial.manifest, output: { file: 'assignments.csv', sha256: 'x' } } as AssignmentManifest;

  it('leaves every existing row byte-identical and appends only new students', async () => {
    const existing = await readAssignments({ text: initial.csvText }, 'a.csv');
    const late = planLateAssignment(initial.csvText, existing, manifest, everyone, context);
    expect(late.csvText.startsWith(initial.csvText)).toBe(true);
    const all = await readAssignments({ text: late.csvText }, 'a.csv');
    expect(all.length).toBe(everyone.length);
    expect(late.run.assignments.every((a) => a.assigned_at === 'late-1')).toBe(true);
    expect(late.manifest.runs.map((r) => r.assigned_at)).toEqual(['initial', 'late-1']);
  });

  it('puts a new sibling in the arm and block of its household', async () => {
    const existing = await readAssignments({ text: initial.csvText }, 'a.csv');
    const late = planLateAssignment(initial.csvText, existing, manifest, everyone, context);
    const byHousehold = new Map(existing.map((a) => [a.household_id, a]));
    const joined = late.run.assignments.filter((a) => byHousehold.has(a.household_id));
    expect(joined.length).toBeGreaterThan(0);
    for (const a of joined) {
      expect(a.arm).toBe(byHousehold.get(a.household_id)!.arm);
      expect(a.block).toBe(byHousehold.get(a.household_id)!.block);
    }
  });

  it("randomizes new households as the reference path does, under the run's label", async () => {
    const existing = await readAssignments({ text: initial.csvText }, 'a.csv');
    const design = normalizeDesign();
    const run = addLateEnrollees(existing, everyone, design, 77, 'late-1');
    const households = new Set(existing.map((a) => a.household_id));
    const fresh = everyone.filter((s) => !existing.some((a) => a.student_id === s.student_id) && !households.has(s.household_id));
    const reference = assignHouseholds(groupHouseholds(fresh, design.blockBy, true), design, 77, 'late-1');
    expect(reference.assignments.length).toBeGreaterThan(0);
    expect(run.assignments.filter((a) => !households.has(a.household_id))).toEqual(reference.assignments);
    expect(run.households).toBe(reference.households);
    expect(run.counts.slice(0, reference.counts.length)).toEqual(reference.counts);
  });

  it('is reproducible from the recorded seed, and adds nothing when no one is new', async () => {
    const existing = await readAssignments({ text: initial.csvText }, 'a.csv');
    const once = planLateAssignment(initial.csvText, existing, manifest, everyone, context).csvText;
    expect(planLateAssignment(initial.csvText, existing, manifest, [...everyone].reverse() as RosterStudent[], context).csvText).toBe(once);
    expect(planLateAssignment(initial.csvText, existing, manifest, early, context).csvText).toBe(initial.csvText);
  });
});
