import { describe, expect, it } from 'vitest';
import { estimateEffectWithDraws } from '../../src/analysis/estimate-effect.js';
import { analyzeSubgroups, SUBGROUP_ADAPT_DELTA } from '../../src/analysis/subgroup-analysis.js';
import { estimateSubgroupEffects } from '../../src/analysis/subgroup-effects.js';
import { createRng } from '../../src/random.js';
import type { RosterStudent } from '../../src/types.js';
import { simulateSubgroupTable } from './subgroup-simulation.js';

describe('estimateSubgroupEffects', () => {
  it('fits the levels, suppresses small ones, and marks undeclared factors exploratory', async () => {
    const { table, factors } = simulateSubgroupTable(createRng('subgroup-effects-1'), { students: 600, blocks: 4, levels: [3], days: 40 });
    // A fourth level with 4 treated and 4 control students: fitted, never shown.
    const few = table.slice(0, 8).map((row) => row.student_id);
    const levels = new Map(factors[0].levels);
    for (const id of few) levels.set(id, 'tiny');
    const { result, draws } = await estimateSubgroupEffects(
      table,
      [
        { factor: 'f0', levels },
        { factor: 'f0copy', levels: factors[0].levels },
      ],
      {
        seed: 7,
        chains: 2,
        warmup: 300,
        draws: 300,
        threads: 0,
        declared: ['f0'],
      },
    );
    expect(result.factors.map((f) => [f.factor, f.status])).toEqual([
      ['f0', 'confirmatory'],
      ['f0copy', 'exploratory'],
    ]);
    const tiny = result.factors[0].levels.find((l) => l.level === 'tiny')!;
    expect(tiny).toEqual({ level: 'tiny', suppressed: true });
    expect(draws.values['effect[f0=tiny]']).toHaveLength(2);
    const shown = result.factors[0].levels.filter((l) => !l.suppressed);
    expect(shown.map((l) => l.level)).toEqual(['L0', 'L1', 'L2']);
    expect(shown.reduce((s, l) => s + l.n_treatment! + l.n_control!, 0)).toBe(592);
    for (const level of shown) {
      expect(level.effect!.q05).toBeLessThan(level.effect!.median);
      expect(level.effect!.median).toBeLessThan(level.effect!.q95);
      expect(Object.keys(level.certainty!)).toEqual(['0', '0.05']);
    }
    expect(result.small_cell_threshold).toBe(10);
    expect(result.diagnostics.divergences).toBeGreaterThanOrEqual(0);
    expect(result.priors).toEqual({ theta: 'normal(0, 0.5)', subgroup_tau: 'half-normal(0, 0.1)', subgroup_z: 'normal(0, 1)' });
  });

  it('finds a large difference between two levels', async () => {
    // 2,000 students; the true effects differ by construction: level L1 triples the effect's log.
    const { table, factors } = simulateSubgroupTable(createRng('subgroup-effects-2'), { students: 2000, blocks: 4, levels: [2], days: 60 });
    const levels = factors[0].levels;
    const strong = table.map((row) =>
      row.treat === 1 && levels.get(row.student_id) === 'L1' ? { ...row, y: Math.round(row.y * 0.5) } : row,
    );
    const { result } = await estimateSubgroupEffects(strong, factors, {
      seed: 3,
      chains: 2,
      warmup: 300,
      draws: 300,
      threads: 0,
      refit: false,
    });
    const [l0, l1] = result.factors[0].levels;
    // Halving the treated L1 students' absences: their level's effect is far above L0's.
    expect(l1.effect!.median - l0.effect!.median).toBeGreaterThan(0.15);
    expect(result.factors[0].tau.median).toBeGreaterThan(0.1);
  });

  it('starts from the standard fit: analyzeSubgroups adapts for a fifth of its warmup and finds the same levels', async () => {
    const { table, factors } = simulateSubgroupTable(createRng('subgroup-effects-3'), { students: 800, blocks: 4, levels: [3], days: 50 });
    const options = { seed: 11, chains: 2, warmup: 500, draws: 400, threads: 0 };
    const { chainEnds } = await estimateEffectWithDraws(table, options);
    expect(chainEnds).toHaveLength(2);
    const levels = factors[0].levels;
    const roster: RosterStudent[] = table.map((row) => ({
      student_id: row.student_id,
      district_id: row.district,
      school_id: row.block,
      grade: '3',
      household_id: row.student_id,
      preferred_language: levels.get(row.student_id)!,
    }));
    const warm = await analyzeSubgroups(table, ['language'], { ...options, roster, start: chainEnds });
    const cold = await analyzeSubgroups(table, ['language'], { ...options, roster });
    expect([warm.result.warmup, cold.result.warmup]).toEqual([100, 250]);
    // The first fit is at SUBGROUP_ADAPT_DELTA (800 draws may still be refit for an R-hat by chance).
    expect(warm.result.diagnostics.refits[0]?.adapt_delta ?? warm.result.diagnostics.adapt_delta).toBe(SUBGROUP_ADAPT_DELTA);
    expect(warm.result.diagnostics.flagged).toBe(false);
    // The same posterior either way, within Monte Carlo error (800 draws each).
    warm.result.factors[0].levels.forEach((level, i) => {
      const other = cold.result.factors[0].levels[i];
      expect(Math.abs(level.effect!.mean - other.effect!.mean)).toBeLessThan(0.25 * other.effect!.sd);
    });
    await expect(estimateSubgroupEffects(table, factors, { ...options, start: chainEnds!.slice(1) })).rejects.toThrow(
      "start has 1 chains' ends for 2 chains",
    );
  });
});
