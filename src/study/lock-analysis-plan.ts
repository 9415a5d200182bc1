import { join } from 'node:path';
import type { Effort } from '../analysis/decide-effect.js';
import { DECISION_RULES } from '../analysis/decide-effect.js';
import { DEFAULT_EFFECT_PRIOR } from '../analysis/model/effect-prior.js';
import { assignmentPaths, fileExists, readCheckedManifest } from '../assignment/assignment-files.js';
import type { AssignmentManifest } from '../assignment/manifest.js';
import { formatManifest } from '../assignment/manifest.js';
import type { AnalysisPlan, HouseholdEffectSetting } from '../data/analysis-plan.js';
import { ANALYSIS_PLAN_FILE, analysisPlanProblems, formatAnalysisPlan } from '../data/analysis-plan.js';
import { PilotError, UsageError } from '../errors.js';
import { withExclusiveLock } from '../io/exclusive-lock.js';
import { sha256 } from '../io/hash.js';
import { guardOutputs } from '../io/output-guard.js';
import { PRIVATE_MODE, SHARED_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import type { DateWindow } from '../types.js';
import { VERSION } from '../version.js';

/** What a plan fixes before the outcomes are seen; all but the window have the analysis' defaults. */
export interface AnalysisPlanOptions {
  readonly window: DateWindow;
  /** The decision rule (default `low`: P(effect > 0) >= 0.80). */
  readonly effort?: Effort;
  /** The thresholds whose certainty is reported (default 0 and 0.05). */
  readonly thresholds?: readonly number[];
  /** The prior of the effect parameter (default Normal(0, 0.5)). */
  readonly effectPrior?: { readonly mean: number; readonly sd: number };
  /** Roster columns whose subgroups are estimated (default none). */
  readonly subgroups?: readonly string[];
  /** "Delivered" means at least this many messages received (default 1). */
  readonly receivedAtLeast?: number;
  /** The household random effect (default `auto`: fitted where siblings are common). */
  readonly householdEffect?: HouseholdEffectSetting;
  /** Dates of interim looks (default none). */
  readonly interimLooks?: readonly string[];
}

/**
 * The analysis plan for these choices, as `analysis-plan.json` holds it, with the decision
 * rule's threshold and certainty written out (`DECISION_RULES`). Throws a usage error,
 * naming each field, for choices that are not a plan (`analysisPlanProblems`).
 *
 * @example
 * buildAnalysisPlan({ window: { from: '2025-09-15', to: '2026-05-29' }, effort: 'high' }, '2025-08-20T09:00:00Z').decision_rule;
 * // { effort: 'high', threshold: 0.05, min_certainty: 0.9 }
 */
export function buildAnalysisPlan(options: AnalysisPlanOptions, createdAt: string = new Date().toISOString()): AnalysisPlan {
  const effort = options.effort ?? 'low';
  const rule = DECISION_RULES[effort] ?? { threshold: Number.NaN, minCertainty: Number.NaN };
  const plan: AnalysisPlan = {
    tool: 'attendance-pilot',
    kind: 'analysis-plan',
    version: VERSION,
    created_at: createdAt,
    outcome_window: { from: options.window.from, to: options.window.to },
    decision_rule: { effort, threshold: rule.threshold, min_certainty: rule.minCertainty },
    certainty_thresholds: [...(options.thresholds ?? [0, 0.05])],
    prior: { mean: (options.effectPrior ?? DEFAULT_EFFECT_PRIOR).mean, sd: (options.effectPrior ?? DEFAULT_EFFECT_PRIOR).sd },
    subgroups: [...(options.subgroups ?? [])],
    delivered: { received_at_least: options.receivedAtLeast ?? 1 },
    household_effect: options.householdEffect ?? 'auto',
    interim_looks: [...(options.interimLooks ?? [])],
  };
  const problems = analysisPlanProblems(plan);
  if (problems.length > 0) throw new UsageError('buildAnalysisPlan', `not a plan: ${problems.join('; ')}`);
  return plan;
}

export interface LockAnalysisPlanOptions {
  /** A study folder with its assignment: the plan is written there and locked in its manifest. */
  readonly study?: string;
  /** Without a study: the folder to write `analysis-plan.json` in, for `pilot assign --plan`. */
  readonly out?: string;
  /** What the manifest records as the command (the CLI passes the command line as typed). */
  readonly command?: string;
  /** When the plan is locked (ISO 8601); default now. Injected so tests are exact. */
  readonly lockedAt?: string;
}

/**
 * Writes `analysis-plan.json`. In a study folder (`study`) the plan is locked at once: it is
 * written beside the assignment together with the manifest, which records its SHA-256 and
 * the time (`analysis_plan`), sealed like every manifest, so an edit to the plan or to the
 * record is refused; a study's plan is locked once. In a plain folder (`out`) it is only
 * written, to be locked by `pilot assign --plan` with the assignment's first run.
 * Returns the plan's path and, in a study, the updated manifest.
 */
export async function lockAnalysisPlan(
  plan: AnalysisPlan,
  options: LockAnalysisPlanOptions,
): Promise<{ file: string; manifest?: AssignmentManifest }> {
  if ((options.study === undefined) === (options.out === undefined))
    throw new UsageError(
      'lockAnalysisPlan',
      'give study (a study folder with its assignment) or out (a folder for the plan alone), not both',
    );
  const text = formatAnalysisPlan(plan);
  if (options.out !== undefined) {
    const file = join(options.out, ANALYSIS_PLAN_FILE);
    await guardOutputs({ inputs: [], outputs: [file] });
    await writeFilesAtomically([{ path: file, contents: text, mode: SHARED_MODE }]);
    return { file };
  }
  const dir = options.study!;
  const paths = assignmentPaths(dir);
  const file = join(dir, ANALYSIS_PLAN_FILE);
  return withExclusiveLock(dir, options.command ?? 'lockAnalysisPlan', async () => {
    if (!(await fileExists(paths.assignments)))
      throw new PilotError(`${dir} holds no assignment (${paths.assignments}): lock the plan in the folder \`pilot assign\` wrote`);
    // Checked in full first: writing beside an edited manifest would seal the edit as valid.
    const manifest = await readCheckedManifest(paths.assignments);
    if (manifest.analysis_plan)
      throw new PilotError(
        `${paths.manifest} already records an analysis plan, locked ${manifest.analysis_plan.locked_at}: a plan is locked once; an analysis that departs from it says why with --deviate`,
      );
    await guardOutputs({ inputs: [], outputs: [file] });
    const lockedAt = options.lockedAt ?? new Date().toISOString();
    const updated: AssignmentManifest = {
      ...manifest,
      analysis_plan: {
        file: ANALYSIS_PLAN_FILE,
        sha256: sha256(text),
        locked_at: lockedAt,
        command: options.command ?? 'lockAnalysisPlan',
        after_run: manifest.runs[manifest.runs.length - 1].assigned_at,
        with_assignment: false,
      },
    };
    await writeFilesAtomically([
      { path: file, contents: text, mode: SHARED_MODE },
      { path: paths.manifest, contents: formatManifest(updated), mode: PRIVATE_MODE },
    ]);
    return { file, manifest: updated };
  });
}
