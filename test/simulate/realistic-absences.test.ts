import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { createRng } from '../../src/random.js';
import { REALISTIC_ABSENCES, simulateRealisticModelTable } from '../../src/simulate/realistic-absences.js';

/** Pearson correlation of the absence rates of the first two students of each household. */
function siblingCorrelation(table: ReturnType<typeof simulateRealisticModelTable>['table']): number {
  const firsts = new Map<string, number>();
  const pairs: [number, number][] = [];
  for (const row of table) {
    if (row.e === 0) continue;
    const rate = row.y / row.e;
    const first = firsts.get(row.household!);
    if (first === undefined) firsts.set(row.household!, rate);
    else if (first >= 0) {
      pairs.push([first, rate]);
      firsts.set(row.household!, -1);
    }
  }
  const mean = (i: 0 | 1) => pairs.reduce((s, p) => s + p[i], 0) / pairs.length;
  const [mx, my] = [mean(0), mean(1)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('simulateRealisticModelTable', () => {
  it('randomizes households whole, half of each block to each arm', () => {
    const { table, truth } = simulateRealisticModelTable(createRng('arms'), { students: 1000, blocks: 7 });
    const armOf = new Map<string, number>();
    const perBlock = new Map<string, Set<string>[]>();
    for (const row of table) {
      expect(armOf.get(row.household!) ?? row.treat).toBe(row.treat);
      armOf.set(row.household!, row.treat);
      const arms = perBlock.get(row.block) ?? [new Set<string>(), new Set<string>()];
      arms[row.treat].add(row.household!);
      perBlock.set(row.block, arms);
    }
    expect(armOf.size).toBe(truth.households);
    expect(perBlock.size).toBe(7);
    for (const [control, treatment] of perBlock.values()) expect(Math.abs(control.size - treatment.size)).toBeLessThanOrEqual(1);
    expect(table).toHaveLength(1000);
    // Household sizes 1-4 with weights 0.52/0.3/0.13/0.05: mean size 1.71, so about 585 households.
    expect(truth.households).toBeGreaterThan(550);
    expect(truth.households).toBeLessThan(620);
  });

  it('has a truth equal to the daily effect when the cap never binds, and smaller when it does', () => {
    const free = simulateRealisticModelTable(createRng('truth'), { students: 500, effect: 0.2, dailyCap: 0.999 });
    expect(free.truth.effect).toBeCloseTo(0.2, 12);
    expect(free.truth.theta).toBeCloseTo(Math.log(0.8), 12);
    // A cap of 0.1 binds for most students' control days: treating them avoids less.
    const capped = simulateRealisticModelTable(createRng('truth'), { students: 500, effect: 0.2, dailyCap: 0.1 });
    expect(capped.truth.effect).toBeLessThan(0.15);
    expect(capped.truth.effect).toBeGreaterThan(0);
    expect(Math.max(...capped.table.map((r) => r.y / r.e).filter(Number.isFinite))).toBeLessThanOrEqual(0.4);
  });

  it('makes siblings alike with a household factor or weekly shocks, and not without', () => {
    const options = { students: 6000, dailyCap: 0.95 };
    const plain = siblingCorrelation(simulateRealisticModelTable(createRng('siblings'), options).table);
    const household = siblingCorrelation(simulateRealisticModelTable(createRng('siblings'), { ...options, householdSd: 0.8 }).table);
    const shocks = siblingCorrelation(simulateRealisticModelTable(createRng('siblings'), { ...options, weeklyShockSd: 1 }).table);
    // About 1,800 sibling pairs: a correlation's sd is about 0.024 when there is none.
    expect(Math.abs(plain)).toBeLessThan(0.08);
    expect(household).toBeGreaterThan(0.2);
    expect(shocks).toBeGreaterThan(0.1);
  });

  it('keeps the average absence rate: the factors have mean one', () => {
    const rate = (t: ReturnType<typeof simulateRealisticModelTable>['table']) =>
      t.reduce((s, r) => s + r.y, 0) / t.reduce((s, r) => s + r.e, 0);
    const plain = rate(simulateRealisticModelTable(createRng('mean'), { students: 8000, dailyCap: 0.999 }).table);
    const realistic = rate(
      simulateRealisticModelTable(createRng('mean'), { students: 8000, householdSd: 0.5, weeklyShockSd: 0.5, dailyCap: 0.999 }).table,
    );
    expect(plain).toBeGreaterThan(0.055);
    expect(plain).toBeLessThan(0.075);
    expect(realistic / plain).toBeGreaterThan(0.92);
    expect(realistic / plain).toBeLessThan(1.08);
  });

  it('is reproducible from its seed and records households and baselines', () => {
    const a = simulateRealisticModelTable(createRng(7), { students: 300, ...REALISTIC_ABSENCES, effect: 0.1 });
    const b = simulateRealisticModelTable(createRng(7), { students: 300, ...REALISTIC_ABSENCES, effect: 0.1 });
    expect(a).toEqual(b);
    expect(a.table.every((r) => r.household !== undefined && r.baseline_days === 170 && r.e <= 40)).toBe(true);
    expect(a.truth.inSharedHouseholds).toBeGreaterThan(0.5);
    expect(a.truth.inSharedHouseholds).toBeLessThan(0.8);
  });

  it('refuses settings out of range, naming them', () => {
    const rng = createRng(1);
    expect(() => simulateRealisticModelTable(rng, { students: 10, dailyCap: 1 })).toThrow(UsageError);
    expect(() => simulateRealisticModelTable(rng, { students: 10, householdSd: -1 })).toThrow(/householdSd must be from 0 to 3/);
    expect(() => simulateRealisticModelTable(rng, { students: 1 })).toThrow(/students must be a whole number >= 2/);
    expect(() => simulateRealisticModelTable(rng, { students: 10, effect: 1 })).toThrow(/effect must be in \[0, 1\)/);
  });
});
