import type { AnalysisResult, CostEffectiveness } from '../analysis/analysis-result.js';
import { computeCosts } from '../analysis/costs.js';
import type { StudyCosts } from '../data/read-costs.js';
import { PilotError } from '../errors.js';

export interface ReportCostsOptions {
  /** Where the costs were read from, and the analysis they are added to: named in the refusal. */
  readonly costsPath: string;
  readonly analysisFile: string;
  /** Report these costs although the analysis has other ones (`pilot report --replace-costs`). */
  readonly replace?: boolean;
}

/**
 * An analysis with the costs given to the report (`pilot report --costs`): a district
 * often learns its costs after the analysis. The costs are computed as analyze computes
 * them (`computeCosts`), from the posterior summaries analysis.json keeps (days avoided
 * per treated student, students no longer chronically absent per 1,000) and the treated
 * students in the fit, so no draws are needed; the file's hash joins the analysis's
 * inputs and `costs.file.given_to` is `report`.
 *
 * An analysis that already has costs keeps them when the report's are the same prices
 * and messages; other costs are refused unless `replace` says the report's win, so a
 * report never shows, unasked, figures other than those analyzed.
 *
 * @example
 * withReportCosts(analysis, await readCosts('costs.json'), { costsPath: 'costs.json', analysisFile: 'results/analysis.json' })
 *   .costs.file; // { name: 'costs.json', sha256: '9f2c…', given_to: 'report' }
 */
export function withReportCosts(analysis: AnalysisResult, costs: StudyCosts, options: ReportCostsOptions): AnalysisResult {
  // The cost is spread over the treated students in the fit: an analysis.json without their number cannot be costed.
  if (!(Number.isInteger(analysis.model.n_treatment) && analysis.model.n_treatment > 0))
    throw new PilotError(
      `${options.analysisFile} does not record the treated students in the fit (model.n_treatment), which the costs are spread over: run pilot analyze with --costs instead`,
    );
  const computed = computeCosts(costs, { students_sent: analysis.model.n_treatment, ...analysis }, 'report');
  const analyzed = analysis.costs;
  if (analyzed && sameCosts(analyzed, computed)) return analysis;
  if (analyzed && !options.replace)
    throw new PilotError(
      `${options.costsPath} gives other costs than ${options.analysisFile} was analyzed with${analyzed.file ? ` (${analyzed.file.name})` : ''}: ` +
        "give --replace-costs to report these instead, or leave --costs out to report the analysis's",
    );
  const inputs: Record<string, string> = { ...(analysis.inputs ?? {}) };
  if (costs.file) inputs.costs = costs.file.sha256;
  return { ...analysis, costs: computed, inputs };
}

/** The same prices, currency and messages: the figures then follow from the analysis alike. */
function sameCosts(a: CostEffectiveness, b: CostEffectiveness): boolean {
  const what = (c: CostEffectiveness) => JSON.stringify([c.currency, c.prices, c.messages]);
  return what(a) === what(b);
}
