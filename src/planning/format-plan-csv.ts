import { formatCsvObjects } from '../io/write-csv.js';
import type { PlanResult, PlanRow } from './plan-study.js';

export const PLAN_CSV_COLUMNS = [
  'effect',
  'studies',
  'p_working_low',
  'p_working_high',
  'mc_se_low',
  'mc_se_high',
] as const satisfies readonly (keyof PlanRow)[];

/** `plan.csv`: one row per true effect, the probability of each rule's "working" and its Monte Carlo error. */
export function formatPlanCsv(plan: PlanResult): string {
  return formatCsvObjects<PlanRow>(PLAN_CSV_COLUMNS, plan.rows);
}
