import type { ModelTableRow } from '../data/model-table.js';
import { UsageError } from '../errors.js';
import type { Rng } from '../random.js';
import { randomGamma, randomInt, randomNormal, shuffled } from '../random.js';
import { STUDENT_RATE_SHAPE } from './absence-rates.js';

/**
 * What makes simulated absences more realistic than the model's own negative binomial:
 * a factor shared by the students of a household, weekly shocks shared by a household
 * (an illness going round, a car broken down), and daily absence probabilities capped
 * below certainty. Each factor is log-normal with mean 1 (`exp(sd z - sd^2 / 2)`), so
 * it adds variation without moving the average rate.
 */
export interface AbsenceRealism {
  /** Sd of a household's log factor, shared by its students all year; 0 for none. */
  readonly householdSd?: number;
  /** Sd of a household-week's log shock; 0 for none. */
  readonly weeklyShockSd?: number;
  /** Largest daily absence probability, below 1. */
  readonly dailyCap?: number;
}

/**
 * The realism used to measure the model's calibration (docs/validation.md): on one
 * district of 400 students it makes the plain model's 90% interval cover about 85% of
 * the time. With weekly shocks of sd 1, a household's worst of 8 weeks has about 2.5 times
 * its usual absences.
 */
export const REALISTIC_ABSENCES: Required<AbsenceRealism> = { householdSd: 0.5, weeklyShockSd: 1, dailyCap: 0.9 };

/** A mean-one log-normal factor `exp(sd z - sd^2 / 2)`; draws nothing when `sd` is 0. */
export function drawMeanOneFactor(rng: Rng, sd: number): number {
  return sd > 0 ? Math.exp(sd * randomNormal(rng) - (sd * sd) / 2) : 1;
}

/** Throws UsageError, naming `caller`, for realism settings out of range. */
export function checkAbsenceRealism(realism: AbsenceRealism, caller: string): void {
  for (const name of ['householdSd', 'weeklyShockSd'] as const) {
    const value = realism[name];
    if (value !== undefined && !(value >= 0 && value <= 3)) throw new UsageError(caller, `${name} must be from 0 to 3, got ${value}`);
  }
  const cap = realism.dailyCap;
  if (cap !== undefined && !(cap > 0 && cap < 1)) throw new UsageError(caller, `dailyCap must be in (0, 1), got ${cap}`);
}

export interface SimulateRealisticTableOptions extends AbsenceRealism {
  /** Students in the one district. */
  readonly students: number;
  /** Randomization blocks (households spread evenly); default 13. */
  readonly blocks?: number;
  /** Share of absences the treatment avoids on every uncapped day (0.05 = 5%); default 0. */
  readonly effect?: number;
  /** School days in the outcome window (5 a week); default 40. */
  readonly windowDays?: number;
  /** Days in last year's baseline period; default 170. */
  readonly baselineDays?: number;
  /** Relative frequency of households of 1, 2, 3 and 4 students; default 0.52, 0.3, 0.13, 0.05 (as simulateRoster). */
  readonly householdSizeWeights?: readonly [number, number, number, number];
}

/** The realistic table with the truth a fit should recover. */
export interface SimulatedRealisticTable {
  readonly table: ModelTableRow[];
  readonly truth: {
    /**
     * The share of these students' expected absences in the window that treating all of
     * them would avoid, against treating none: `1 - sum E[y(1)] / sum E[y(0)]` over the
     * students in the fit, given their rates, household factors and shocks. It is what
     * `1 - exp(theta)` means in the model; below `effect` only where the cap binds.
     */
    readonly effect: number;
    /** `log(1 - effect)`: the matching log rate ratio. */
    readonly theta: number;
    /** The effect applied to each uncapped daily probability. */
    readonly dailyEffect: number;
    readonly households: number;
    /** Share of the students in the fit who share a household with another of them. */
    readonly inSharedHouseholds: number;
  };
}

const DEFAULT_HOUSEHOLD_SIZES = [0.52, 0.3, 0.13, 0.05] as const;

function householdSize(rng: Rng, weights: readonly number[]): number {
  let u = rng() * weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < weights.length; i++) if ((u -= weights[i]) < 0) return i + 1;
  return weights.length;
}

/**
 * Draws a one-district model table from a data-generating process the standard model
 * does not assume (docs/simulate.md, "Realistic absences"): households of siblings
 * randomized together (half the households of each block to each arm), heavy-tailed
 * student rates (Gamma, as `pilot simulate`) times a household factor, day-by-day
 * absences with weekly household shocks and a daily cap, a baseline from last year at
 * the same latent rate, late entrants and a few students never enrolled. The table has
 * a `household` column. All randomness comes from `rng`.
 *
 * @example
 * const { table, truth } = simulateRealisticModelTable(createRng(1), { students: 400, effect: 0.1, householdSd: 0.5, weeklyShockSd: 0.5, dailyCap: 0.9 });
 * truth.effect; // a little under 0.1: the cap binds on a few days
 */
export function simulateRealisticModelTable(rng: Rng, options: SimulateRealisticTableOptions): SimulatedRealisticTable {
  checkAbsenceRealism(options, 'simulateRealisticModelTable');
  const { students, blocks = 13, effect = 0, windowDays = 40, baselineDays = 170 } = options;
  if (!(Number.isInteger(students) && students >= 2))
    throw new UsageError('simulateRealisticModelTable', `students must be a whole number >= 2, got ${students}`);
  if (!(effect >= 0 && effect < 1)) throw new UsageError('simulateRealisticModelTable', `effect must be in [0, 1), got ${effect}`);
  const householdSd = options.householdSd ?? 0;
  const shockSd = options.weeklyShockSd ?? 0;
  const cap = options.dailyCap ?? 0.95;
  const weeks = Math.ceil(windowDays / 5);
  const width = String(students).length;
  const id = (prefix: string, i: number) => `${prefix}${String(i).padStart(width, '0')}`;

  // Households, each in one block; a block's households are split half and half between the arms.
  const blockRate = Array.from({ length: blocks }, () => 0.065 * Math.exp(0.3 * randomNormal(rng)));
  const byBlock: number[][] = Array.from({ length: blocks }, () => []);
  const sizes: number[] = [];
  for (let placed = 0; placed < students; ) {
    const size = Math.min(students - placed, householdSize(rng, options.householdSizeWeights ?? DEFAULT_HOUSEHOLD_SIZES));
    byBlock[sizes.length % blocks].push(sizes.length);
    sizes.push(size);
    placed += size;
  }
  const treated = new Uint8Array(sizes.length);
  for (const members of byBlock) {
    const order = shuffled(members, rng);
    for (let j = 0; j < order.length; j++) treated[order[j]] = j % 2;
  }

  const table: ModelTableRow[] = [];
  let expectedControl = 0;
  let expectedTreated = 0;
  let next = 0;
  const sharedCount = new Map<number, number>();
  sizes.forEach((size, h) => {
    const block = h % blocks;
    const factor = drawMeanOneFactor(rng, householdSd);
    const shocks = Array.from({ length: weeks }, () => drawMeanOneFactor(rng, shockSd));
    for (let s = 0; s < size; s++) {
      const rate = (blockRate[block] * randomGamma(rng, STUDENT_RATE_SHAPE)) / STUDENT_RATE_SHAPE;
      // Last year's baseline at the same latent rate, with a year-to-year drift.
      const lastYear = Math.min(cap, rate * factor * Math.exp(0.25 * randomNormal(rng) - 0.03));
      let baseline = 0;
      for (let d = 0; d < baselineDays; d++) if (rng() < lastYear) baseline++;
      const u = rng();
      const start = u < 0.003 ? windowDays : u < 0.033 ? randomInt(rng, windowDays) : 0;
      let y = 0;
      for (let d = start; d < windowDays; d++) {
        const p = rate * factor * shocks[Math.floor(d / 5)];
        const pControl = Math.min(cap, p);
        const pTreated = Math.min(cap, p * (1 - effect));
        expectedControl += pControl;
        expectedTreated += pTreated;
        if (rng() < (treated[h] === 1 ? pTreated : pControl)) y++;
      }
      const e = windowDays - start;
      if (e > 0) sharedCount.set(h, (sharedCount.get(h) ?? 0) + 1);
      table.push({
        student_id: id('S', ++next),
        y,
        e,
        treat: treated[h] as 0 | 1,
        block: `B${String(block + 1).padStart(2, '0')}`,
        district: 'D01',
        household: id('H', h + 1),
        baseline_absences: baseline,
        baseline_days: baselineDays,
      });
    }
  });
  const inFit = [...sharedCount.values()];
  const truthEffect = 1 - expectedTreated / expectedControl;
  return {
    table,
    truth: {
      effect: truthEffect,
      theta: Math.log(1 - truthEffect),
      dailyEffect: effect,
      households: sizes.length,
      inSharedHouseholds: inFit.filter((n) => n >= 2).reduce((s, n) => s + n, 0) / inFit.reduce((s, n) => s + n, 0),
    },
  };
}
