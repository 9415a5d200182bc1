import type { AnalysisResult, Certainty, DistrictEffect } from '../analysis/analysis-result.js';
import { decideEffect } from '../analysis/decide-effect.js';
import { FIT_CHECKS, MIN_EBFMI } from '../analysis/diagnose-fit.js';
import { SMD_THRESHOLD } from '../assignment/balance.js';
import type { Effort } from '../analysis/decide-effect.js';
import { VERSION } from '../version.js';
import { densityFromDraws, densityFromSummary } from './effect-density.js';
import { formatCertainty, formatPercent } from './format-figures.js';
import type { ForestRow, ReportData, ReportEffect } from './report-data.js';
import type { ReportStudy, StudyStudent } from './report-study.js';
import { absenceRateOverTime, analyzedByArmAndDistrict, binAbsences, countAttendanceTiers, countStudentsByArmAndDistrict, summarizeAttrition, suppressBalance } from './summarize-study.js';
import { SUPPRESSION_THRESHOLD } from './suppress-small-cells.js';

/** What a report is made from: the analysis, and optionally the study's data and the draws. */
export interface ReportInputs {
  readonly analysis: AnalysisResult;
  /** The study's data for the descriptive charts and tables; without it they are left out. */
  readonly study?: ReportStudy;
  /** Posterior draws by quantity (`effect`, `effect[<district>]`), chains concatenated. */
  readonly draws?: Readonly<Record<string, readonly number[]>>;
  /** The decision rule to apply, when not the one the analysis was run with (both rules are in it). */
  readonly effort?: Effort;
}

export interface ReportScope {
  /** A district of the network: its own report beside the pooled effect. */
  readonly district?: string;
}

const small = (n: number) => n < SUPPRESSION_THRESHOLD;
const published = (n: number) => (small(n) ? null : n);
/** A district whose own estimate is not shown: fewer than the threshold in one of its arms. */
const tooSmallToShow = (d: DistrictEffect) => small(d.n_treatment) || small(d.n_control);

function certaintyFromDraws(draws: readonly number[] | undefined, threshold: number, fallback: Certainty): number {
  if (draws && draws.length > 0) return draws.filter((d) => d > threshold).length / draws.length;
  const known = fallback[String(threshold)];
  if (known === undefined) throw new RangeError(`buildReportData: no draws and no certainty at threshold ${threshold}`);
  return known;
}

/**
 * The plain-language headline: the size of the effect and how sure we are it went down.
 *
 * @example
 * writeHeadline({ median: 0.024, ... }, { '0': 0.83 }) // "Students whose caregivers got the messages missed about 2.4% fewer days; we are 83% certain absences went down."
 */
export function writeHeadline(effect: ReportEffect, where?: string): string {
  const m = effect.estimate.median;
  const size = Math.abs(m) < 0.0005 ? 'about as many days as' : `about ${formatPercent(Math.abs(m))} ${m > 0 ? 'fewer' : 'more'} days than`;
  const place = where ? `In ${where}, students` : 'Students';
  const sure = formatCertainty(effect.certainty['0'] ?? NaN);
  return `${place} whose caregivers got the messages missed ${size} students whose caregivers did not; we are ${sure} certain absences went down${where ? ' there' : ''}.`;
}

/** What the decision means for next year, in words a district can act on. */
export function adviseNextYear(decision: ReportData['decision'] | Omit<ReportData['decision'], 'summary' | 'next_year'>, perHundred: number, flagged: boolean): string {
  const applied = decision.applied;
  const days = Math.round(perHundred);
  const caution = flagged ? ' The fit did not pass its checks, so treat this as provisional until it is rerun.' : '';
  if (decision.working) {
    const scale = days > 0 ? ` Expect about ${days} fewer days missed for every 100 students who get the messages, over a period as long as this one.` : '';
    return `Keep sending the messages next year and extend them to students who did not get them this year.${scale}${caution}`;
  }
  if (applied.effort === 'high' && decision.rules.low.met) {
    return `The messages probably reduced absences, but not by enough, with enough certainty, to justify a demanding intervention. As a low-effort intervention they would count as working: consider keeping them in their low-effort form.${caution}`;
  }
  if ((decision.rules.low.certainty ?? 0) >= 0.5) {
    return `The evidence leans toward fewer absences but is not strong enough to call the messages working. Consider another year of the pilot with more students, or a stronger version of the messages, before rolling them out.${caution}`;
  }
  return `There is no good evidence the messages reduced absences. Do not roll them out as they are; revisit the content, timing or delivery before testing again.${caution}`;
}

function decisionSummary(decision: Omit<ReportData['decision'], 'summary' | 'next_year'>): string {
  const a = decision.applied;
  const effortText = a.effort === 'low' ? 'a low-effort intervention' : 'a demanding (high-effort) intervention';
  const rule = a.threshold === 0 ? `at least ${formatPercent(a.min_certainty, 0)} certain that absences went down` : `at least ${formatPercent(a.min_certainty, 0)} certain that absences went down by ${formatPercent(a.threshold, 0)} or more`;
  return `${decision.working ? 'Working' : 'Not shown to be working'}: as ${effortText}, the messages count as working when we are ${rule}; we are ${formatCertainty(a.certainty)} certain.`;
}

function modelFormulas(network: boolean, baseline: 'all' | 'partial' | 'none', priors: Readonly<Record<string, string>>): { formulas: string[]; words: string } {
  const terms = ['log e_i', 'alpha[k[i]]'];
  if (baseline !== 'none') terms.push('gamma * z_i');
  if (baseline === 'partial') terms.push('delta * m_i');
  terms.push(network ? 'theta[d[i]] * T_i' : 'theta * T_i');
  const formulas = ['y_i ~ NegBinomial2(mu_i, phi)        Var(y_i) = mu_i + mu_i^2 / phi', `log mu_i = ${terms.join(' + ')}`];
  if (network) formulas.push('theta[d] = mu_theta + tau * eta[d]', 'effect = 1 - exp(mu_theta)        effect in district d = 1 - exp(theta[d])');
  else formulas.push('effect = 1 - exp(theta)');
  for (const [name, prior] of Object.entries(priors)) formulas.push(`${name} ~ ${prior}`);
  const words =
    'Each student\'s days absent in the outcome window are counted against the days they were enrolled, with a negative binomial model that allows some students to miss many more days than others. ' +
    'Students are compared only with students in the same randomization block (district, school and grade), through one intercept per block. ' +
    (baseline === 'none' ? '' : 'Each student\'s prior absence rate (standardized, on the log scale) adjusts for who was already often absent' + (baseline === 'partial' ? ', with a separate term for students with no prior record. ' : '. ')) +
    (network
      ? 'The effect of the messages is a rate ratio between the arms; each district has its own, drawn toward the network\'s common effect by how much the districts differ (partial pooling), so a small district\'s estimate borrows strength from the others. '
      : 'The effect of the messages is a rate ratio between the arms. ') +
    'Students are analyzed in the arm they were randomized to, whether or not a message reached them (intent to treat). The effect reported is the percent reduction in absences, 1 - rate ratio.';
  return { formulas, words };
}

function forestRows(analysis: AnalysisResult, names: Readonly<Record<string, string>>): ForestRow[] {
  return analysis.districts.map((d: DistrictEffect) => {
    const tooSmall = tooSmallToShow(d);
    return {
      district: d.district,
      name: names[d.district] ?? d.district,
      estimate: tooSmall ? null : d.effect,
      certainty: tooSmall ? null : d.certainty,
    };
  });
}

/**
 * Builds every figure of one report (the network's, or one district's beside the pooled
 * effect) from the analysis and the study's data. Pure: it reads nothing and writes nothing.
 */
export function buildReportData(inputs: ReportInputs, scope: ReportScope = {}): ReportData {
  const { study, draws } = inputs;
  const analysis = inputs.effort ? withEffort(inputs.analysis, inputs.effort) : inputs.analysis;
  const network = analysis.model.network;
  const names = study?.districtNames ?? {};
  const district = scope.district === undefined ? undefined : analysis.districts.find((d) => d.district === scope.district);
  if (scope.district !== undefined && !district) throw new RangeError(`buildReportData: the analysis has no district "${scope.district}" (it has ${analysis.districts.map((d) => d.district).join(', ')})`);
  const isDistrict = district !== undefined && network;
  const districtSuppressed = isDistrict && tooSmallToShow(district);
  // The district's own estimate is shown (partially pooled); otherwise the pooled effect is.
  const ownEstimate = isDistrict && !districtSuppressed;
  const name = district ? (names[district.district] ?? district.district) : analysis.districts.length === 1 ? (names[analysis.districts[0].district] ?? analysis.districts[0].district) : 'the network';
  const pooled: ReportEffect = { estimate: analysis.effect, certainty: analysis.certainty };
  const effectDraws = ownEstimate ? draws?.[`effect[${district.district}]`] : draws?.effect;
  const effect: ReportEffect = ownEstimate ? { estimate: district.effect, certainty: district.certainty } : pooled;

  const cautions: string[] = [];
  if (analysis.diagnostics.flagged) cautions.push(`The model fit did not pass its checks (${analysis.diagnostics.warnings.join('; ')}). These figures are provisional and must not be presented as final.`);
  if (analysis.approximate) cautions.push('These figures come from a fast approximation (Laplace preview), not the full fit; rerun `pilot analyze` without --method laplace for final figures.');
  if (districtSuppressed) cautions.push(`Fewer than ${SUPPRESSION_THRESHOLD} students of this district are in one of the arms, so its own estimate is not shown; the network's pooled effect is.`);
  if (!study) cautions.push('The study\'s attendance data were not given, so the charts and tables of absences by arm are left out.');

  const decisionBase = ownEstimate
    ? { ...decideEffect((t) => certaintyFromDraws(effectDraws, t, district.certainty), analysis.decision.effort), basis: 'district' as const }
    : { ...analysis.decision, basis: 'network' as const };
  const perHundred = analysis.days_avoided.per_100_treated.mean;
  const decision = { ...decisionBase, summary: decisionSummary(decisionBase), next_year: adviseNextYear(decisionBase, perHundred, analysis.diagnostics.flagged || analysis.approximate) };

  const students: readonly StudyStudent[] = study ? (isDistrict ? study.students.filter((s) => s.district === district.district) : study.students) : [];
  const arms = study?.arms ?? ['control', 'treatment'];
  const districtsShown = isDistrict ? [district.district] : analysis.districts.map((d) => d.district);
  const leftOut = study
    ? arms.map((arm) => ({ arm, leftOut: students.filter((s) => s.arm === arm && s.outcome.days_enrolled <= 0).length }))
    : isDistrict
      ? undefined
      : [
          { arm: 'control', leftOut: analysis.model.attrition.control },
          { arm: 'treatment', leftOut: analysis.model.attrition.treatment },
        ];
  const attrition = leftOut ? summarizeAttrition(leftOut) : null;
  const analyzedCells = study
    ? analyzedByArmAndDistrict(students, arms, districtsShown)
    : districtsShown.map((id) => {
        const d = analysis.districts.find((x) => x.district === id)!;
        return arms.map((arm) => (arm === 'treatment' ? d.n_treatment : arm === 'control' ? d.n_control : 0));
      });
  const byDistrict = countStudentsByArmAndDistrict(analyzedCells, arms, districtsShown);
  const balanceRows = study ? (isDistrict ? study.balance.byDistrict[district.district] : study.balance.all) : undefined;
  const balance = balanceRows ? suppressBalance(balanceRows, arms) : null;
  const distribution = study ? binAbsences(students, arms) : null;
  const tiers = study ? countAttendanceTiers(students, arms) : null;
  const overTime = study && study.periods.length > 0 ? absenceRateOverTime(students, study.periods, arms) : null;

  const parameter = analysis.effect_parameter;
  const density = effectDraws && effectDraws.length > 1 ? densityFromDraws(effectDraws) : densityFromSummary(ownEstimate ? approximateDistrictParameter(district) : parameter);
  const kind = isDistrict ? 'district' : network ? 'network' : 'study';
  const { formulas, words } = modelFormulas(network, analysis.model.baseline, analysis.model.priors);
  const suppressedCells =
    (attrition?.suppressed ?? 0) + byDistrict.suppressed + (distribution?.suppressed ?? 0) + (tiers?.suppressed ?? 0) +
    (overTime?.filter((r) => r.students === null).length ?? 0) + (balance?.filter((b) => b.flagged === null).length ?? 0);
  const titleName = kind === 'network' ? `${analysis.districts.length}-district network` : name;

  return {
    format: 'attendance-pilot-report/1',
    scope: { kind, ...(isDistrict ? { district: district.district } : {}), name, districts: analysis.districts.length },
    title: `Did the attendance messages work? Report for the ${titleName}`.replace('for the the', 'for the'),
    headline: writeHeadline(effect, ownEstimate ? name : undefined),
    cautions,
    effect: { ...effect, partially_pooled: ownEstimate },
    ...(isDistrict ? { network_effect: pooled } : {}),
    decision,
    days_avoided: { scope: network ? 'network' : 'study', per_treated_student: analysis.days_avoided.per_treated_student, per_100_treated: analysis.days_avoided.per_100_treated },
    district_effects: network ? { rows: forestRows(analysis, names), pooled, ...(isDistrict ? { highlight: district.district } : {}) } : null,
    arms,
    tables: { students_by_arm_and_district: byDistrict, attrition, balance },
    charts: {
      posterior: { ...density, thresholds: [0, 0.05], certainty: effect.certainty['0'] ?? certaintyFromDraws(effectDraws, 0, effect.certainty) },
      absence_distribution: distribution,
      absence_rate_over_time: overTime,
      attendance_tiers: tiers,
    },
    methods: {
      method: analysis.method,
      approximate: analysis.approximate,
      model: {
        network,
        baseline: analysis.model.baseline,
        priors: analysis.model.priors,
        n: published(analysis.model.n),
        n_blocks: analysis.model.n_blocks,
        n_districts: analysis.model.n_districts,
        rounded_half_days: analysis.model.rounded_half_days === 0 ? 0 : published(analysis.model.rounded_half_days),
        chains: analysis.model.chains,
        warmup: analysis.model.warmup,
        draws: analysis.model.draws,
        formulas,
        in_words: words,
      },
      window: analysis.window ?? (study ? study.window : null),
      diagnostics: {
        rhat_max: analysis.diagnostics.rhat_max,
        ess_bulk_min: analysis.diagnostics.ess_bulk_min,
        ess_tail_min: analysis.diagnostics.ess_tail_min,
        ess_bulk_effect: analysis.diagnostics.ess_bulk_effect,
        divergences: analysis.diagnostics.divergences,
        treedepth_saturated: analysis.diagnostics.treedepth_saturated,
        ebfmi_min: analysis.diagnostics.ebfmi_min,
        adapt_delta: analysis.diagnostics.adapt_delta,
        refits: analysis.diagnostics.refits,
        flagged: analysis.diagnostics.flagged,
        warnings: analysis.diagnostics.warnings,
        checks: { rhat_max: FIT_CHECKS.maxRhat, ess_bulk_effect_min: FIT_CHECKS.minEssBulkEffect, divergences_max: FIT_CHECKS.maxDivergences, ebfmi_min: MIN_EBFMI, smd_imbalance: SMD_THRESHOLD },
      },
      intervals: [0.9, 0.95],
      hash: 'SHA-256',
      seed: analysis.seed,
      version: analysis.version,
      report_version: VERSION,
      inputs: { ...(analysis.inputs ?? {}), ...(study?.inputs ?? {}) },
    },
    privacy: {
      threshold: SUPPRESSION_THRESHOLD,
      suppressed_cells: suppressedCells,
      statement: `Aggregates only: no student is named or identified. Any figure about fewer than ${SUPPRESSION_THRESHOLD} students is suppressed (shown as "suppressed" in a table, left out of a chart), and enough other cells are suppressed that it cannot be worked out from the totals.`,
    },
  };
}

/** The analysis with its decision taken under the other effort's rule (an analysis carries both rules' certainties). */
export function withEffort(analysis: AnalysisResult, effort: Effort): AnalysisResult {
  const { rules } = analysis.decision;
  return { ...analysis, decision: { effort, working: rules[effort].met, applied: rules[effort], rules } };
}

/**
 * Without draws, a district's effect density is drawn from a normal on its log rate
 * ratio matched to the summary's 5% and 95% quantiles: log(1 - q95) to log(1 - q05).
 */
function approximateDistrictParameter(district: DistrictEffect) {
  const upper = Math.log(1 - district.effect.q05);
  const lower = Math.log(1 - district.effect.q95);
  const mean = (upper + lower) / 2;
  const sd = (upper - lower) / (2 * 1.6448536269514722);
  return { ...district.effect, mean, sd, median: mean };
}
