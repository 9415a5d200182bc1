import { UsageError } from '../errors.js';
import type { Rng } from '../random.js';
import { createFastRandom } from './fast-random.js';
import type { PlanDesign, PlanStudent } from './plan-design.js';
import { buildPlanDesign } from './plan-design.js';

export interface SizesPlanOptions {
  readonly students: number;
  readonly districts: number;
  /** School days in the outcome window. */
  readonly windowDays: number;
  /** Network daily absence rate; default 0.07. */
  readonly absenceRate?: number;
  /** Randomization blocks per district (e.g. school x grade); default 4. */
  readonly blocksPerDistrict?: number;
  /** Days in last year's baseline period; default 170 (a school year). */
  readonly baselineDays?: number;
  /** Share of students without a baseline; default 0.1. */
  readonly missingBaseline?: number;
}

/**
 * A planned study from assumed sizes, drawn once from `rng`: students spread evenly over
 * districts and their blocks, each its own household; block rates vary around the
 * network's rate (sd 0.3 on the log scale) and each student's baseline absences are
 * negative binomial around their block's rate with a student propensity (sd 0.5), the
 * spread `simulateModelTable` uses.
 */
export function planDesignFromSizes(rng: Rng, options: SizesPlanOptions): PlanDesign {
  const { students, districts, windowDays } = options;
  const rate = options.absenceRate ?? 0.07;
  const blocksPerDistrict = options.blocksPerDistrict ?? 4;
  const baselineDays = options.baselineDays ?? 170;
  const missing = options.missingBaseline ?? 0.1;
  if (!(Number.isInteger(districts) && districts >= 1))
    throw new UsageError('planDesignFromSizes', `districts must be a whole number >= 1, got ${districts}`);
  if (!(Number.isInteger(students) && students >= 2 * districts))
    throw new UsageError(
      'planDesignFromSizes',
      `students must be a whole number, at least 2 per district, got ${students} for ${districts} districts`,
    );
  if (!(Number.isInteger(blocksPerDistrict) && blocksPerDistrict >= 1))
    throw new UsageError('planDesignFromSizes', `blocksPerDistrict must be a whole number >= 1, got ${blocksPerDistrict}`);
  if (!(rate > 0 && rate < 1)) throw new UsageError('planDesignFromSizes', `absenceRate must be between 0 and 1, got ${rate}`);
  if (!(missing >= 0 && missing <= 1))
    throw new UsageError('planDesignFromSizes', `missingBaseline must be between 0 and 1, got ${missing}`);
  const random = createFastRandom(rng);
  const width = String(students).length;
  const rows: PlanStudent[] = [];
  const blockLogRate = new Map<string, number>();
  for (let i = 0; i < students; i++) {
    const d = Math.floor((i * districts) / students);
    const district = `D${String(d + 1).padStart(2, '0')}`;
    const first = Math.ceil((d * students) / districts);
    const size = Math.ceil(((d + 1) * students) / districts) - first;
    const blocks = Math.min(blocksPerDistrict, size);
    const block = `${district}-B${((i - first) % blocks) + 1}`;
    let logRate = blockLogRate.get(block);
    if (logRate === undefined) {
      logRate = Math.log(rate) + 0.3 * random.normal();
      blockLogRate.set(block, logRate);
    }
    const known = random.uniform() >= missing;
    const mu = baselineDays * Math.min(0.9, Math.exp(logRate + 0.5 * random.normal()));
    rows.push({
      district,
      block,
      household: `H${String(i + 1).padStart(width, '0')}`,
      ...(known ? { baseline_absences: random.negBinomial(mu, 5), baseline_days: baselineDays } : {}),
    });
  }
  return buildPlanDesign(rows, { windowDays, absenceRate: rate });
}
