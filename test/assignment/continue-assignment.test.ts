import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assignStudy } from '../../src/assignment/assign-study.js';
import { continueAssignment, newcomerTargets } from '../../src/assignment/continue-assignment.js';
import { normalizeDesign } from '../../src/assignment/design.js';
import { manifestProblems, sealManifest } from '../../src/assignment/manifest.js';
import { verifyAssignmentChain } from '../../src/assignment/read-assignment-chain.js';
import { readAssignments } from '../../src/data/read-assignments.js';
import type { Assignment, RosterStudent } from '../../src/types.js';
import { GRADES } from '../../src/types.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

const created = '2026-08-01T00:00:00.000Z';
const yearOne = smallRoster(600, 2, 31);

/**
 * Year two's roster: grade 12 and every 9th student leave; the others return a grade up;
 * every 5th returning household gets a new kindergarten sibling; two households whose
 * students all left come back with a new student under the same household_id; and 150
 * newcomers (from another simulated roster, ids prefixed N) arrive in new households.
 */
function yearTwoRoster(): { roster: RosterStudent[]; leftHouseholds: string[] } {
  const returning = yearOne
    .filter((s, i) => s.grade !== '12' && i % 9 !== 4)
    .map((s) => ({ ...s, grade: GRADES[GRADES.indexOf(s.grade) + 1] }));
  const stayingHouseholds = new Set(returning.map((s) => s.household_id));
  const siblings = [...stayingHouseholds]
    .filter((_, i) => i % 5 === 0)
    .map((household, i) => {
      const elder = returning.find((s) => s.household_id === household)!;
      return {
        ...elder,
        student_id: `SIB${String(i).padStart(4, '0')}`,
        grade: 'KG' as const,
        baseline_absences: undefined,
        baseline_days: undefined,
      };
    });
  const leftHouseholds = [...new Set(yearOne.map((s) => s.household_id))].filter((h) => !stayingHouseholds.has(h)).slice(0, 2);
  const comeback = leftHouseholds.map((household, i) => {
    const former = yearOne.find((s) => s.household_id === household)!;
    return { ...former, student_id: `BACK${i}`, grade: 'KG' as const };
  });
  const newcomers = smallRoster(150, 2, 32).map((s) => ({ ...s, student_id: `N${s.student_id}`, household_id: `N${s.household_id}` }));
  return { roster: [...returning, ...siblings, ...comeback, ...newcomers], leftHouseholds };
}

async function twoYears(seed = 2027, options: { rerandomize?: boolean; roster?: RosterStudent[] } = {}) {
  const dir = await tempDir();
  await writeFile(join(dir, 'roster-1.csv'), rosterCsv(yearOne));
  const first = await assignStudy(join(dir, 'roster-1.csv'), { out: join(dir, 'year-1'), seed: 2026, created });
  const { roster } = yearTwoRoster();
  await writeFile(join(dir, 'roster-2.csv'), rosterCsv(options.roster ?? roster));
  const second = await assignStudy(join(dir, 'roster-2.csv'), {
    out: join(dir, 'year-2'),
    continueFrom: join(dir, 'year-1', 'assignments.csv'),
    rerandomize: options.rerandomize,
    seed,
    command: 'pilot assign --continue-from ...',
    created,
  });
  return { dir, first, second };
}

describe('continueAssignment (a second year)', () => {
  it('keeps the arm of every returning student and household, new siblings and returning household_ids included', async () => {
    const { first, second } = await twoYears();
    const armOf = new Map(first.assignments.map((a) => [a.student_id, a.arm]));
    const armOfHousehold = new Map(first.assignments.map((a) => [a.household_id, a.arm]));
    const { roster, leftHouseholds } = yearTwoRoster();
    expect(second.assignments).toHaveLength(roster.length);
    let returning = 0;
    let joined = 0;
    for (const row of second.assignments) {
      if (armOf.has(row.student_id)) {
        returning++;
        expect(row.arm).toBe(armOf.get(row.student_id));
      } else if (armOfHousehold.has(row.household_id)) {
        joined++;
        expect(row.arm).toBe(armOfHousehold.get(row.household_id));
      }
    }
    // Every student of year one who stayed (600 less grade 12 and every 9th) returned, and each new sibling joined.
    expect(returning).toBe(roster.filter((s) => armOf.has(s.student_id)).length);
    expect(joined).toBe(roster.filter((s) => !armOf.has(s.student_id) && armOfHousehold.has(s.household_id)).length);
    expect(joined).toBeGreaterThan(leftHouseholds.length);
    for (const household of leftHouseholds)
      expect(second.assignments.find((a) => a.household_id === household)!.arm).toBe(armOfHousehold.get(household));
    const link = second.manifest.continued_from!;
    expect(link).toMatchObject({ assignments: '../year-1/assignments.csv', rerandomized: false, returning_students: returning });
    expect(link.assignments_sha256).toBe(first.manifest.output.sha256);
    expect(link.manifest_sha256).toBe(first.manifest.manifest_sha256);
    expect(second.manifest.runs[0].assigned_at).toBe('initial');
  });

  it('randomizes the newcomers of each block with exact counts: each arm gets the floor or ceiling of its target', async () => {
    const { first, second } = await twoYears();
    const armOf = new Map(first.assignments.map((a) => [a.student_id, a.arm]));
    const oldHouseholds = new Set(first.assignments.map((a) => a.household_id));
    const design = normalizeDesign();
    // Households of year two, each in the block its rows record, kept or new.
    const households = new Map<string, { block: string; arm: string; kept: boolean }>();
    for (const row of second.assignments) {
      const kept = armOf.has(row.student_id) || oldHouseholds.has(row.household_id) || households.get(row.household_id)?.kept === true;
      households.set(row.household_id, { block: row.block, arm: row.arm, kept });
    }
    const blocks = new Map<string, { kept: number[]; fresh: number[] }>();
    for (const { block, arm, kept } of households.values()) {
      const counts = blocks.get(block) ?? { kept: [0, 0], fresh: [0, 0] };
      (kept ? counts.kept : counts.fresh)[design.arms.indexOf(arm)]++;
      blocks.set(block, counts);
    }
    let blocksWithNewcomers = 0;
    for (const { kept, fresh } of blocks.values()) {
      const n = fresh[0] + fresh[1];
      if (n === 0) continue;
      blocksWithNewcomers++;
      const targets = newcomerTargets(n, kept, design.probabilities);
      for (let a = 0; a < 2; a++) expect([Math.floor(targets[a] + 1e-9), Math.ceil(targets[a] - 1e-9)]).toContain(fresh[a]);
    }
    expect(blocksWithNewcomers).toBeGreaterThan(10);
    // The manifest's counts per block and arm are the file's.
    const total = second.manifest.runs[0].counts.reduce((sum, c) => sum + c.students, 0);
    expect(total).toBe(second.assignments.length);
  });

  it('gives the same bytes for the same seed, whatever the roster order, and others for another seed', async () => {
    const a = await twoYears(2027);
    const b = await twoYears(2027, { roster: [...yearTwoRoster().roster].reverse() });
    const c = await twoYears(2028);
    expect(b.second.csvText).toBe(a.second.csvText);
    expect(c.second.csvText).not.toBe(a.second.csvText);
  });

  it('writes a chain that verifies, and is refused once last year is changed or replaced', async () => {
    const { dir, second } = await twoYears();
    const chain = await verifyAssignmentChain(second.files!.assignments);
    expect(chain.map((link) => link.assignments)).toEqual([second.files!.assignments, join(dir, 'year-2', '../year-1/assignments.csv')]);
    // Year one replaced by another assignment (its own manifest verifies, but it is not the one continued).
    await assignStudy(join(dir, 'roster-1.csv'), { out: join(dir, 'other'), seed: 1, created });
    for (const name of ['assignments.csv', 'assignments.manifest.json'])
      await writeFile(join(dir, 'year-1', name), await readFile(join(dir, 'other', name)));
    await expect(verifyAssignmentChain(second.files!.assignments)).rejects.toThrow(/is another one/);
  });

  it('refuses a household that would keep two arms, naming it, and re-randomizes everyone on request', async () => {
    const first = (await twoYears()).first;
    const control = first.assignments.find((a) => a.arm === 'control')!;
    const treatment = first.assignments.find((a) => a.arm === 'treatment')!;
    // This year's roster puts a control student in a treatment household.
    const merged = yearOne.map((s) => (s.student_id === control.student_id ? { ...s, household_id: treatment.household_id } : s));
    const design = normalizeDesign();
    expect(() => continueAssignment(first.assignments, merged, design, 1, 'y1/assignments.csv')).toThrow(
      new RegExp(`y1/assignments.csv: .*household "${treatment.household_id}" would keep two arms .*--rerandomize`),
    );
    const again = await twoYears(2027, { rerandomize: true, roster: merged });
    expect(again.second.manifest.continued_from).toMatchObject({ rerandomized: true, kept_households: 0 });
    const fresh = await assignStudy(merged, { seed: 2027, created });
    expect(again.second.csvText).toBe(fresh.csvText);
  });

  it('refuses an arm last year had that the design lacks', () => {
    const previous: Assignment[] = [{ ...assignmentOf(yearOne[0]), arm: 'letters' }];
    expect(() => continueAssignment(previous, yearOne.slice(0, 5), normalizeDesign(), 1, 'y1.csv')).toThrow(
      /kept arm "letters", which is not an arm of this design/,
    );
  });

  it('records the link in the sealed manifest: a damaged link is refused', async () => {
    const { second } = await twoYears();
    expect(manifestProblems(second.manifest)).toEqual([]);
    const damaged = sealManifest({ ...second.manifest, continued_from: { ...second.manifest.continued_from!, manifest_sha256: 'x' } });
    expect(manifestProblems(damaged)).toEqual([expect.stringMatching(/^continued_from must be/)]);
    const text = await readFile(second.files!.assignments, 'utf8');
    expect(await readAssignments({ text }, 'a.csv')).toEqual(second.assignments);
  });
});

describe('newcomerTargets', () => {
  it('fills a block to the design shares when the kept households allow it (worked by hand)', () => {
    expect(newcomerTargets(10, [8, 2], [0.5, 0.5])).toEqual([2, 8]);
    expect(newcomerTargets(5, [0, 0], [0.5, 0.5])).toEqual([2.5, 2.5]);
    // 12 households at 1/3 each is 4 apiece.
    expect(newcomerTargets(6, [4, 1, 1], [1 / 3, 1 / 3, 1 / 3]).map((t) => Math.round(t * 1e9) / 1e9)).toEqual([0, 3, 3]);
  });

  it('gives an arm already over its share none, and shares the rest among the others', () => {
    expect(newcomerTargets(4, [8, 2], [0.5, 0.5])).toEqual([0, 4]);
    // 14 households, 30/70: control keeps 9 (over its 4.2), so all 4 go to treatment.
    expect(newcomerTargets(4, [9, 1], [0.3, 0.7])).toEqual([0, 4]);
    // Three arms, one over: the other two share 4 + 1 + 1 = 6 equally, 3 each.
    expect(newcomerTargets(4, [10, 1, 1], [1 / 3, 1 / 3, 1 / 3]).map((t) => Math.round(t * 1e9) / 1e9)).toEqual([0, 2, 2]);
  });
});

function assignmentOf(s: RosterStudent): Assignment {
  return {
    student_id: s.student_id,
    household_id: s.household_id,
    district_id: s.district_id,
    school_id: s.school_id,
    grade: s.grade,
    block: 'b',
    arm: 'control',
    p_treatment: 0.5,
    assigned_at: 'initial',
  };
}
