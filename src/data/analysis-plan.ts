import { parseIsoDate } from './parse-values.js';

/** The file a locked analysis plan is kept in, beside the study's `assignments.csv`. */
export const ANALYSIS_PLAN_FILE = 'analysis-plan.json' as const;

/** The household random effect as a plan and the commands name it: fitted where siblings are common (`auto`), always (`on`), never (`off`). */
export type HouseholdEffectSetting = 'auto' | 'on' | 'off';

/** The settings of the household effect, in the order the commands list them. */
export const HOUSEHOLD_EFFECT_SETTINGS: readonly HouseholdEffectSetting[] = ['auto', 'on', 'off'];

/**
 * `analysis-plan.json`: how a study's effect will be estimated and judged, written before
 * the outcomes are seen (`pilot plan --lock`, or `pilot assign --plan`). Its SHA-256 is
 * recorded in the assignment's manifest, so an edit to the plan is refused; an analysis
 * that departs from it says so (`--deviate`). Field names are snake_case: a file format
 * (docs/data-formats.md).
 */
export interface AnalysisPlan {
  readonly tool: 'attendance-pilot';
  readonly kind: 'analysis-plan';
  /** The version of `pilot` that wrote the plan. */
  readonly version: string;
  /** When the plan was written (ISO 8601). */
  readonly created_at: string;
  /** The outcome window (YYYY-MM-DD, both days counted). */
  readonly outcome_window: { readonly from: string; readonly to: string };
  /** The rule that says "working": the effect must exceed `threshold` with at least `min_certainty`. */
  readonly decision_rule: { readonly effort: 'low' | 'high'; readonly threshold: number; readonly min_certainty: number };
  /** The thresholds t whose certainty P(effect > t) the analysis reports. */
  readonly certainty_thresholds: readonly number[];
  /** The prior of the effect parameter (log rate ratio): Normal(mean, sd). */
  readonly prior: { readonly mean: number; readonly sd: number };
  /** Roster columns whose subgroups are estimated (none: an empty list). */
  readonly subgroups: readonly string[];
  /** A student counts as "delivered" when their caregivers received at least this many messages. */
  readonly delivered: { readonly received_at_least: number };
  /** The household random effect (docs/model.md, "Household effect"); absent in plans written before it existed, which mean `auto`. */
  readonly household_effect?: HouseholdEffectSetting;
  /** Dates of interim looks at the outcomes (none: an empty list). */
  readonly interim_looks: readonly string[];
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isDate = (v: unknown): v is string => typeof v === 'string' && parseIsoDate(v) !== undefined;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks a parsed `analysis-plan.json` field by field, for its type and meaning (a window
 * that ends after it starts, a prior sd above 0, a whole number of messages ...). Returns
 * every problem, in words that name the field and its value; none for a plan as
 * `pilot plan --lock` wrote it.
 */
export function analysisPlanProblems(json: unknown): string[] {
  if (!isObject(json)) return ['it is not a JSON object'];
  const problems: string[] = [];
  const say = (field: string, what: string, value: unknown) =>
    problems.push(`${field} ${what} (it is ${value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 80)})`);
  if (json.tool !== 'attendance-pilot') say('tool', 'must be "attendance-pilot"', json.tool);
  if (json.kind !== 'analysis-plan') say('kind', 'must be "analysis-plan"', json.kind);
  if (typeof json.version !== 'string' || json.version === '') say('version', 'must be a version string', json.version);
  if (typeof json.created_at !== 'string' || Number.isNaN(Date.parse(json.created_at)))
    say('created_at', 'must be a date and time (ISO 8601)', json.created_at);
  const window = json.outcome_window;
  if (!isObject(window) || !isDate(window.from) || !isDate(window.to) || window.from > window.to)
    say('outcome_window', 'must be { from, to }: dates (YYYY-MM-DD), from not after to', window);
  const rule = json.decision_rule;
  if (
    !isObject(rule) ||
    (rule.effort !== 'low' && rule.effort !== 'high') ||
    !isNumber(rule.threshold) ||
    !(rule.threshold < 1) ||
    !isNumber(rule.min_certainty) ||
    !(rule.min_certainty > 0 && rule.min_certainty < 1)
  )
    say('decision_rule', 'must be { effort: "low" or "high", threshold below 1, min_certainty in (0, 1) }', rule);
  const thresholds = json.certainty_thresholds;
  if (!Array.isArray(thresholds) || !thresholds.every((t) => isNumber(t) && t < 1))
    say('certainty_thresholds', 'must be a list of numbers below 1', thresholds);
  const prior = json.prior;
  if (!isObject(prior) || !isNumber(prior.mean) || !isNumber(prior.sd) || !(prior.sd > 0))
    say('prior', 'must be { mean, sd } with sd above 0', prior);
  const subgroups = json.subgroups;
  if (!Array.isArray(subgroups) || !subgroups.every((s) => typeof s === 'string' && s !== ''))
    say('subgroups', 'must be a list of roster column names (empty for none)', subgroups);
  const delivered = json.delivered;
  if (!isObject(delivered) || !Number.isInteger(delivered.received_at_least) || (delivered.received_at_least as number) < 1)
    say('delivered', 'must be { received_at_least: a whole number of messages, 1 or more }', delivered);
  if (json.household_effect !== undefined && !HOUSEHOLD_EFFECT_SETTINGS.includes(json.household_effect as HouseholdEffectSetting))
    say('household_effect', 'must be "auto", "on" or "off" (or absent: auto)', json.household_effect);
  const looks = json.interim_looks;
  if (!Array.isArray(looks) || !looks.every(isDate)) say('interim_looks', 'must be a list of dates (YYYY-MM-DD; empty for none)', looks);
  return problems;
}

/** A plan's file text: indented, with a final newline (its SHA-256 is what the manifest records). */
export function formatAnalysisPlan(plan: AnalysisPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
