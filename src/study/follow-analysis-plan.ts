import { dirname, join } from 'node:path';
import type { AnalysisPlanFollowed, PlanDeviation } from '../analysis/analysis-result.js';
import type { Effort } from '../analysis/decide-effect.js';
import { readCheckedManifest } from '../assignment/assignment-files.js';
import type { LockedAnalysisPlan } from '../assignment/manifest.js';
import { canonicalJson } from '../assignment/manifest.js';
import type { AnalysisPlan, HouseholdEffectSetting } from '../data/analysis-plan.js';
import { ANALYSIS_PLAN_FILE } from '../data/analysis-plan.js';
import { readAnalysisPlan } from '../data/read-analysis-plan.js';
import { PilotError } from '../errors.js';
import type { DateWindow } from '../types.js';

/** The choices of an analysis that a plan fixes; undefined: not given (the plan's, or the default, is used). */
export interface AnalysisChoices {
  readonly window?: DateWindow;
  readonly effort?: Effort;
  readonly thresholds?: readonly number[];
  readonly priorMean?: number;
  readonly priorSd?: number;
  readonly subgroups?: readonly string[];
  readonly receivedAtLeast?: number;
  readonly householdEffect?: HouseholdEffectSetting;
}

export interface PlanField {
  /** The plan's field, as `analysis.json` and the messages name it. */
  readonly field: string;
  /** The option a user sets it with. */
  readonly option: string;
  readonly key: keyof AnalysisChoices;
  readonly planned: (plan: AnalysisPlan) => AnalysisChoices[keyof AnalysisChoices];
}

/** Each plan field and the analysis choice that sets it: following a new field of the plan is one line here. */
export const PLAN_FIELDS: readonly PlanField[] = [
  { field: 'outcome_window', option: '--from/--to', key: 'window', planned: (p) => p.outcome_window },
  { field: 'decision_rule.effort', option: '--effort', key: 'effort', planned: (p) => p.decision_rule.effort },
  { field: 'certainty_thresholds', option: '--thresholds', key: 'thresholds', planned: (p) => p.certainty_thresholds },
  { field: 'prior.mean', option: '--prior-mean', key: 'priorMean', planned: (p) => p.prior.mean },
  { field: 'prior.sd', option: '--prior-sd', key: 'priorSd', planned: (p) => p.prior.sd },
  { field: 'subgroups', option: '--subgroups', key: 'subgroups', planned: (p) => p.subgroups },
  {
    field: 'delivered.received_at_least',
    option: '--received-at-least',
    key: 'receivedAtLeast',
    planned: (p) => p.delivered.received_at_least,
  },
  // A plan written before the household effect existed meant its default, auto.
  { field: 'household_effect', option: '--household-effect', key: 'householdEffect', planned: (p) => p.household_effect ?? 'auto' },
];

/** A study's locked plan: the plan, the file it was read from and the manifest's record of it. */
export interface StudyPlan {
  readonly plan: AnalysisPlan;
  readonly file: string;
  readonly locked: LockedAnalysisPlan;
}

/**
 * The analysis plan locked for the study of `assignments`, read from `planPath` (default:
 * `analysis-plan.json` beside the assignment) and checked against the SHA-256 its manifest
 * recorded; undefined when the manifest records no plan. Refused when the plan is missing
 * or is not the one locked, and when a plan is given for a study that locked none.
 */
export async function readStudyPlan(assignments: string, planPath?: string): Promise<StudyPlan | undefined> {
  const manifest = await readCheckedManifest(assignments);
  const locked = manifest.analysis_plan;
  if (!locked) {
    if (planPath === undefined) return undefined;
    throw new PilotError(
      `${planPath} is not this study's plan: the manifest of ${assignments} records no locked analysis plan; lock one with \`pilot plan --lock --study\` first`,
    );
  }
  const file = planPath ?? join(dirname(assignments), ANALYSIS_PLAN_FILE);
  const { plan, sha256 } = await readAnalysisPlan(file);
  if (sha256 !== locked.sha256)
    throw new PilotError(
      `${file} is not the analysis plan locked for ${assignments}: its SHA-256 is ${sha256.slice(0, 12)}..., the manifest recorded ${locked.sha256.slice(0, 12)}... (locked ${locked.locked_at}); restore the plan as it was locked, and give any departure from it with --deviate "reason"`,
    );
  return { plan, file, locked };
}

const show = (value: unknown): string =>
  value !== null && typeof value === 'object' && 'from' in value && 'to' in value
    ? `${(value as DateWindow).from} to ${(value as DateWindow).to}`
    : Array.isArray(value)
      ? value.length === 0
        ? 'none'
        : value.join(',')
      : String(value);

/**
 * Follows a locked plan: every choice not given is the plan's, and a choice given that
 * differs from the plan's (`PLAN_FIELDS`) is a deviation, allowed only with a reason:
 * one reason for all of them, or one each in the order of `PLAN_FIELDS`. Refused, naming
 * each field with the plan's value and the one given, without reasons (or with reasons
 * and nothing departing from the plan). Returns the choices to use and what
 * `analysis.json` records (`analysis_plan`).
 */
export function followAnalysisPlan(
  study: StudyPlan,
  given: AnalysisChoices,
  reasons: readonly string[] = [],
): { choices: AnalysisChoices; record: AnalysisPlanFollowed } {
  const choices: Record<string, unknown> = {};
  const departures: Omit<PlanDeviation, 'reason'>[] = [];
  for (const { field, option, key, planned } of PLAN_FIELDS) {
    const plannedValue = planned(study.plan);
    const givenValue = given[key];
    choices[key] = givenValue ?? plannedValue;
    if (givenValue !== undefined && canonicalJson(givenValue) !== canonicalJson(plannedValue))
      departures.push({ field, option, planned: plannedValue, used: givenValue });
  }
  const listed = departures.map((d) => `${d.field}: the plan says ${show(d.planned)}, ${d.option} gave ${show(d.used)}`).join('; ');
  if (departures.length > 0 && reasons.length === 0)
    throw new PilotError(
      `the analysis departs from the plan locked in ${study.file} (${listed}). Leave these options out to follow the plan, or give --deviate "reason" to depart from it: the analysis and the report then list the deviation with its reason`,
    );
  if (departures.length === 0 && reasons.length > 0)
    throw new PilotError(
      `--deviate was given, but nothing departs from the plan locked in ${study.file}: leave --deviate out (a reason is recorded only with a departure)`,
    );
  if (reasons.length > 1 && reasons.length !== departures.length)
    throw new PilotError(
      `${reasons.length} reasons (--deviate) for ${departures.length} departures from the plan (${listed}): give one reason for all, or one per departure in this order`,
    );
  const deviations = departures.map((d, i) => ({ ...d, reason: reasons.length === 1 ? reasons[0] : reasons[i] }));
  const windowFrom = (choices.window as DateWindow).from;
  return {
    choices: choices as AnalysisChoices,
    record: {
      file: study.file,
      sha256: study.locked.sha256,
      locked_at: study.locked.locked_at,
      with_assignment: study.locked.with_assignment,
      window_from: windowFrom,
      locked_before_window: lockedBefore(study.locked.locked_at, windowFrom),
      deviations,
    },
  };
}

/**
 * Whether a lock at `lockedAt` (ISO 8601) came on a day before `day` (YYYY-MM-DD), in UTC:
 * outcomes are daily, so a lock on the window's first day itself is not counted as before.
 */
export function lockedBefore(lockedAt: string, day: string): boolean {
  return new Date(lockedAt).toISOString().slice(0, 10) < day;
}

/**
 * An analysis's plan record with the decision rule a report applies: an effort that
 * departs from the plan's (the analysis's own, unless it recorded a departure from it) is
 * refused without a reason, and recorded with one; the plan's effort, where the analysis
 * had departed, drops that departure. Reasons without a departure are refused.
 */
export function followPlanInReport(
  record: AnalysisPlanFollowed | undefined,
  analysisEffort: Effort,
  effort: Effort | undefined,
  reasons: readonly string[] = [],
): AnalysisPlanFollowed | undefined {
  if (!record) {
    if (reasons.length > 0) throw new PilotError('--deviate was given, but the analysis followed no locked analysis plan to depart from');
    return undefined;
  }
  const field = 'decision_rule.effort';
  const planned = (record.deviations.find((d) => d.field === field)?.planned as Effort | undefined) ?? analysisEffort;
  const others = record.deviations.filter((d) => d.field !== field);
  if (effort === undefined || effort === planned) {
    if (reasons.length > 0)
      throw new PilotError(`--deviate was given, but the report's decision rule is the plan's (${planned}): leave --deviate out`);
    return effort === undefined ? record : { ...record, deviations: others };
  }
  if (reasons.length === 0)
    throw new PilotError(
      `the report departs from the plan locked in ${record.file} (${field}: the plan says ${planned}, --effort gave ${effort}). Leave --effort out to follow the plan, or give --deviate "reason": the report then lists the deviation with its reason`,
    );
  return { ...record, deviations: [...others, { field, option: '--effort', planned, used: effort, reason: reasons.join('; ') }] };
}
