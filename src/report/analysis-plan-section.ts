import type { AnalysisPlanFollowed, PlanDeviation } from '../analysis/analysis-result.js';

/** The study's locked analysis plan as a report shows it (report.json `methods.analysis_plan`). */
export interface ReportAnalysisPlan {
  /** SHA-256 of `analysis-plan.json`, as the assignment's manifest recorded it. */
  readonly sha256: string;
  /** The day the plan was locked (YYYY-MM-DD, UTC). */
  readonly locked_on: string;
  readonly with_assignment: boolean;
  /** The first day of the outcome window analyzed. */
  readonly window_from: string;
  readonly locked_before_window: boolean;
  /** Each departure from the plan, with the reason given (`--deviate`). */
  readonly deviations: readonly PlanDeviation[];
  /** Whether the plan was locked before the window, and whether the analysis followed it, in plain words. */
  readonly statement: string;
}

/** A value of the plan or of the analysis as a reader reads it: a window as "from to to", a list with commas. */
export function formatPlanValue(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'from' in value && 'to' in value) {
    const window = value as { from: string; to: string };
    return `${window.from} to ${window.to}`;
  }
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
}

/** What the report says of the plan; null for a study that locked none (`describeNoPlan` is said instead). */
export function buildAnalysisPlanSection(record: AnalysisPlanFollowed | undefined): ReportAnalysisPlan | null {
  if (!record) return null;
  const lockedOn = new Date(record.locked_at).toISOString().slice(0, 10);
  const when = record.with_assignment ? `with the assignment, on ${lockedOn}` : `on ${lockedOn}`;
  const timing = record.locked_before_window
    ? `The analysis plan was locked ${when}, before the outcome window began on ${record.window_from}: the window, the decision rule and the prior were fixed before any outcome was counted.`
    : `The analysis plan was locked ${when}, not before the outcome window began on ${record.window_from}: some outcomes could have been seen when it was fixed, so it does not show that the rule was chosen in advance.`;
  const n = record.deviations.length;
  const followed =
    n === 0
      ? 'The analysis followed the plan in every choice.'
      : `The analysis departs from the plan in ${n === 1 ? 'one choice, with the reason given' : `${n} choices, each with the reason given`}: ${record.deviations.map((d) => `${d.field} (planned ${formatPlanValue(d.planned)}, used ${formatPlanValue(d.used)}): "${d.reason}"`).join('; ')}.`;
  return {
    sha256: record.sha256,
    locked_on: lockedOn,
    with_assignment: record.with_assignment,
    window_from: record.window_from,
    locked_before_window: record.locked_before_window,
    deviations: record.deviations,
    statement: `${timing} ${followed}`,
  };
}

/** The sentence for a study without a locked plan. */
export const NO_PLAN_STATEMENT =
  'No analysis plan was locked for this study (`pilot plan --lock`): the outcome window and the decision rule were chosen when the analysis was run.';

/**
 * The plan's paragraph and, when the analysis departed from it, a table of the departures
 * (field, planned, used, reason), for the report's methods. `e` escapes text for HTML.
 */
export function renderAnalysisPlanSection(
  plan: ReportAnalysisPlan | null,
  table: (head: readonly string[], rows: readonly (readonly string[])[]) => string,
  e: (text: string) => string,
): string {
  if (!plan) return `<p>${e(NO_PLAN_STATEMENT)}</p>`;
  const parts = [`<p class="analysis-plan">${e(plan.statement)} The plan's SHA-256 is ${e(plan.sha256.slice(0, 12))}….</p>`];
  if (plan.deviations.length > 0)
    parts.push(
      table(
        ['Departure from the plan', 'Planned', 'Used', 'Reason given'],
        plan.deviations.map((d) => [e(d.field), e(formatPlanValue(d.planned)), e(formatPlanValue(d.used)), e(d.reason)]),
      ),
    );
  return parts.join('\n');
}
