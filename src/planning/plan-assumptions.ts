import { UsageError } from '../errors.js';

/**
 * What a plan assumes about next year's absences beyond the design: the model's
 * parameters that the roster cannot tell (docs/planning.md, "Assumptions").
 */
export interface PlanAssumptions {
  /** Negative binomial dispersion of a student's absences given the baseline (`phi`); default 2. */
  readonly phi: number;
  /** Slope of the standardized baseline (`gamma`): how much last year predicts this year; default 0.6. */
  readonly baselineSlope: number;
  /** Log shift for a student without a baseline (`delta`); default 0.2. */
  readonly missingShift: number;
  /** Between-district sd of the true effect on the log scale (`tau`); default 0.05. */
  readonly tau: number;
}

export const DEFAULT_PLAN_ASSUMPTIONS: PlanAssumptions = { phi: 2, baselineSlope: 0.6, missingShift: 0.2, tau: 0.05 };

/** The assumptions with defaults filled in, checked. */
export function normalizePlanAssumptions(given: Partial<PlanAssumptions> = {}, caller = 'planStudy'): PlanAssumptions {
  const assumptions = { ...DEFAULT_PLAN_ASSUMPTIONS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
  if (!(assumptions.phi > 0 && Number.isFinite(assumptions.phi)))
    throw new UsageError(caller, `phi must be a positive number, got ${assumptions.phi}`);
  if (!Number.isFinite(assumptions.baselineSlope))
    throw new UsageError(caller, `baselineSlope must be a number, got ${assumptions.baselineSlope}`);
  if (!Number.isFinite(assumptions.missingShift))
    throw new UsageError(caller, `missingShift must be a number, got ${assumptions.missingShift}`);
  if (!(assumptions.tau >= 0 && Number.isFinite(assumptions.tau)))
    throw new UsageError(caller, `tau must be a number >= 0, got ${assumptions.tau}`);
  return assumptions;
}
