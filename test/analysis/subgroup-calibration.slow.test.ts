import { describe, expect, it } from 'vitest';
import { estimateSubgroupEffects, subgroupEffectName } from '../../src/analysis/subgroup-effects.js';
import { summarizeDraws } from '../../src/analysis/summarize-draws.js';
import { deriveRng } from '../../src/random.js';
import { binomialTestPValue } from './calibration.js';
import { simulateSubgroupTable } from './subgroup-simulation.js';

// Calibration of the subgroup model (docs/validation.md, "The subgroup model"): over
// DATA_SETS one-district data sets simulated from the model with every effect parameter
// drawn from its prior (theta ~ Normal(0, 0.5), tau_g ~ HalfNormal(0, 0.1),
// z ~ Normal(0, 1); subgroupSimulation.ts), the 90% interval of each level's effect must
// cover its true effect 90% of the time. Two factors (3 and 2 levels), 400 students, 4
// blocks, 2 chains x (300 warmup + 400 draws), no refits (about 20 s)
// on an idle 2-core machine.
//
// Judged by exact two-sided binomial tests at alpha = 0.01 on one level per data set
// (independent across data sets: 200 trials), and on the share of all 5 levels covered,
// held to the band of 200 independent trials (the levels of one data set share their
// theta and tau, so their coverage is correlated and a 1,000-trial band would be too tight).
const DATA_SETS = Number(process.env.SUBGROUP_CALIBRATION_SETS ?? 200);
const ALPHA = 0.01;

describe('estimateSubgroupEffects is calibrated (simulated data sets with known subgroup effects)', () => {
  it("covers each level's true effect with its 90% interval about 90% of the time", async () => {
    const started = Date.now();
    let firstCovered = 0;
    let allCovered = 0;
    let allIntervals = 0;
    let flagged = 0;
    let divergent = 0;
    for (let i = 0; i < DATA_SETS; i++) {
      const rng = deriveRng('subgroup-calibration', `data-${i}`);
      const { table, factors, truth } = simulateSubgroupTable(rng, { students: 400, blocks: 4, levels: [3, 2], days: 40 });
      const { result, draws } = await estimateSubgroupEffects(table, factors, {
        seed: i,
        chains: 2,
        warmup: 300,
        draws: 400,
        threads: 0,
        smallCellThreshold: 1,
        // Short chains often miss the 400 bulk-ESS of the effect; a refit would triple the
        // time without changing what is measured here (interval coverage).
        refit: false,
      });
      if (result.diagnostics.flagged) flagged++;
      if (result.diagnostics.divergences > 0) divergent++;
      for (const [key, value] of truth) {
        const [factor, level] = key.split('=');
        const { q05, q95 } = summarizeDraws(draws.values[subgroupEffectName(factor, level)]);
        const covered = value >= q05 && value <= q95;
        allIntervals++;
        if (covered) allCovered++;
        if (key === 'f0=L0' && covered) firstCovered++;
      }
    }
    const share = allCovered / allIntervals;
    const band = 2.576 * Math.sqrt((0.9 * 0.1) / DATA_SETS);
    console.log(
      JSON.stringify({
        dataSets: DATA_SETS,
        firstCovered,
        allCovered,
        allIntervals,
        share,
        flagged,
        divergent,
        seconds: (Date.now() - started) / 1000,
      }),
    );
    expect(binomialTestPValue(firstCovered, DATA_SETS, 0.9)).toBeGreaterThan(ALPHA);
    expect(Math.abs(share - 0.9)).toBeLessThan(band);
    // Without refits, a fit this short often misses the 400 bulk-ESS check (flagged counts
    // those, and is only reported), and some diverge at adapt_delta 0.8 (26 of 200 here;
    // pilot analyze refits those at 0.95): more than a fifth would be a sign of a funnel
    // the non-centered levels did not remove.
    expect(divergent).toBeLessThanOrEqual(Math.ceil(0.2 * DATA_SETS));
  });
});
