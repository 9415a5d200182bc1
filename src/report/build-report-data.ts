import type { AnalysisResult, ArmsInEffect, Certainty, DistrictEffect } from '../analysis/analysis-result.js';
import type { Effort } from '../analysis/decide-effect.js';
import { DECISION_RULES } from '../analysis/decide-effect.js';
import { FIT_CHECKS, MIN_EBFMI } from '../analysis/diagnose-fit.js';
import { SMD_THRESHOLD } from '../assignment/balance.js';
import { VERSION } from '../version.js';
import { buildAnalysisPlanSection } from './analysis-plan-section.js';
import { buildChronicAbsenceSection } from './chronic-absence-section.js';
import { buildDeliveredAndCosts } from './delivered-effect-section.js';
import { densityFromDraws, densityFromSummary } from './effect-density.js';
import { formatCertainty, formatCount, formatNumber, formatPercent } from './format-figures.js';
import type { HouseholdEffectRecord } from './household-effect-statement.js';
import { describeHouseholdEffect, householdCaution } from './household-effect-statement.js';
import { rawAbsenceRates } from './raw-absence-rates.js';
import type { ChanceLeanings, ForestRow, Leaning, ReportData, ReportEffect } from './report-data.js';
import type { ReportStudy, StudyStudent } from './report-study.js';
import { buildSubgroupSection } from './subgroup-section.js';
import {
  absenceRateOverTime,
  analyzedByArmAndDistrict,
  binAbsences,
  countAttendanceTiers,
  countStudentsByArmAndDistrict,
  summarizeAttrition,
  suppressBalance,
} from './summarize-study.js';
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
 * The plain-language headline: the size of the effect of being *sent* the messages
 * (assigned to them, whether or not they arrived), whose figure it is, and how sure we
 * are absences went down.
 *
 * @example
 * writeHeadline({ median: 0.024, ... }, { '0': 0.83 }) // "Students whose caregivers were sent the messages missed about 2.4% fewer days than students whose caregivers were not; we are 83% certain absences went down."
 * writeHeadline(effect, 'the network of 3 districts') // "Across the network of 3 districts, students whose caregivers were sent ..."
 */
export function writeHeadline(effect: ReportEffect, where?: string, kind: 'district' | 'network' = 'district'): string {
  const m = effect.estimate.median;
  const size = Math.abs(m) < 0.0005 ? 'about as many days as' : `about ${formatPercent(Math.abs(m))} ${m > 0 ? 'fewer' : 'more'} days than`;
  const place = where ? `${kind === 'network' ? 'Across' : 'In'} ${where}, students` : 'Students';
  const sure = formatCertainty(effect.certainty['0'] ?? NaN, effect.certainty_mc_error?.['0']);
  return `${place} whose caregivers were sent the messages missed ${size} students whose caregivers were not; we are ${sure} certain absences went down${where ? ' there' : ''}.`;
}

/**
 * What the decision means for next year, in words a district can act on. `perHundred` is
 * days avoided per 100 students sent the messages; `whose` says whose figure it is
 * ("across the network"), left out for a one-district study.
 */
export function adviseNextYear(
  decision: ReportData['decision'] | Omit<ReportData['decision'], 'summary' | 'next_year' | 'basis'>,
  perHundred: number,
  flagged: boolean,
  whose?: string,
): string {
  const applied = decision.applied;
  const days = Math.round(perHundred);
  const caution = flagged ? ' The analysis did not pass its checks, so treat this as provisional until it is rerun.' : '';
  if (decision.working) {
    const expect = whose ? `${capitalized(whose)}, expect` : 'Expect';
    const scale =
      days > 0
        ? ` ${expect} about ${days} fewer days missed for every 100 students whose caregivers are sent the messages, over a period as long as this one.`
        : '';
    return `Keep sending the messages next year and extend them to students whose caregivers were not sent them this year.${scale}${caution}`;
  }
  // "Across the network, the evidence ...": whose finding it is, when the report is not the study's only one.
  const opening = (sentence: string) =>
    whose ? `${capitalized(whose)}, ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}` : sentence;
  if (applied.effort === 'high' && decision.rules.low.met) {
    return `${opening('The messages probably reduced absences, but not by enough, with enough certainty, to justify a demanding intervention.')} As a low-effort intervention they would count as working: consider keeping them in their low-effort form.${caution}`;
  }
  if ((decision.rules.low.certainty ?? 0) >= 0.5) {
    return `${opening('The evidence leans toward fewer absences but is not strong enough to call the messages working.')} Consider another year of the pilot with more students, or a stronger version of the messages, before rolling them out.${caution}`;
  }
  return `${opening('There is no good evidence the messages reduced absences.')} Do not roll them out as they are; revisit the content, timing or delivery before testing again.${caution}`;
}

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** The certainty a district needs for its evidence to lean one way: the low-effort rule's line (80%). */
const LEAN_CERTAINTY = DECISION_RULES.low.minCertainty;

/** Which way evidence leans, from the certainty that absences went down. */
export function leaningOf(certainty: number): Leaning {
  if (certainty >= LEAN_CERTAINTY) return 'fewer';
  if (1 - certainty >= LEAN_CERTAINTY) return 'more';
  return 'neither';
}

/** How a district's leaning reads in words. */
export const LEANING_WORDS: Readonly<Record<Leaning, string>> = {
  fewer: 'leans toward fewer absences',
  more: 'leans toward more absences',
  neither: 'does not lean clearly either way',
};

/**
 * With no effect at all, a district's certainty that absences went down is about equally
 * likely to be anything from 0 to 1, so each district reaches the 80% line with chance
 * about 1 - 0.80 = 0.20, and D districts give about 0.2 D such leanings by chance alone.
 * The network decision is the one a study is designed (and sized) for; this says so.
 */
export function countChanceLeanings(rows: readonly ForestRow[]): ChanceLeanings {
  const shown = rows.filter((r) => r.leaning !== null);
  const chanceEach = 1 - LEAN_CERTAINTY;
  const expected = shown.length * chanceEach;
  const fewer = shown.filter((r) => r.leaning === 'fewer').length;
  const oneIn = Math.round(1 / chanceEach);
  const statement =
    `A district's own result is evidence that leans one way or the other, not a decision of its own: even if the messages did nothing at all, each district would have about a 1 in ${oneIn} chance of reaching ${formatPercent(LEAN_CERTAINTY, 0)} certainty that absences went down, so across ${shown.length} district${shown.length === 1 ? '' : 's'} about ${formatNumber(expected, 1)} would by chance alone. ` +
    `Here ${fewer} of ${shown.length} ${fewer === 1 ? 'leans' : 'lean'} toward fewer absences. The study's decision is the network's, the one it was designed for.`;
  return {
    districts: shown.length,
    leaning_fewer: fewer,
    min_certainty: LEAN_CERTAINTY,
    chance_each: chanceEach,
    expected_by_chance: expected,
    statement,
  };
}

/**
 * Below this many students in the fit, a report says its certainty may be a few points
 * optimistic (docs/model.md, "Known limitation": about 4 points at 400
 * students, calibrated from 1,000 on). The line is drawn at 1,000, the smallest size
 * measured calibrated, rather than at 400, so no study between the two goes unwarned.
 */
export const SMALL_STUDY_STUDENTS = 1000;

/** What the day the arms took effect means for the figures, in one sentence for the methods. */
export function describeArmsInEffect(arms: ArmsInEffect | undefined, window: { from: string } | null): string {
  const when = describeWhenInEffect(arms, window);
  if (!arms?.imported) return when;
  const { file, sha256, source, probabilities } = arms.imported;
  return `${when} The randomization was not made by this tool: the arms were imported from ${file} (made by ${source}; SHA-256 ${sha256.slice(0, 12)}...), with the probability of treatment given ${probabilities}; pilot checked that every student was assigned once, that siblings share an arm and that each block had one probability, and the model compares students within those blocks.`;
}

function describeWhenInEffect(arms: ArmsInEffect | undefined, window: { from: string } | null): string {
  if (!arms)
    return window
      ? 'The analysis was given a ready-made model table, so the day the arms took effect was not checked against the outcome window.'
      : 'The outcome window was not recorded.';
  const start = window ? `The outcome window starts ${window.from}, ` : 'The outcome window starts ';
  if (arms.source === 'assignment')
    return `${start}on or after ${arms.date}, the day the assignment was made (from its manifest), so every outcome counted comes after the arms took effect.`;
  if (arms.source === 'stated')
    return `${start}on or after ${arms.date}, the day the arms took effect as stated by whoever ran the analysis (--assignment-date), not a date the tool took from the assignment's manifest.`;
  const truth = arms.simulation
    ? ` with a true effect of ${formatPercent(arms.simulation.true_effect)} (seed ${arms.simulation.seed})`
    : '';
  return `The outcomes are simulated: \`pilot simulate attendance\` made them over this assignment${truth}, with the arms in effect from ${arms.date}, as the assignment's manifest records; ${start.charAt(0).toLowerCase()}${start.slice(1)}on or after that day.`;
}

function decisionSummary(decision: Omit<ReportData['decision'], 'summary' | 'next_year' | 'basis'>, whose?: string): string {
  const a = decision.applied;
  const effortText = a.effort === 'low' ? 'a low-effort intervention' : 'a demanding (high-effort) intervention';
  const rule =
    a.threshold === 0
      ? `at least ${formatPercent(a.min_certainty, 0)} certain that absences went down`
      : `at least ${formatPercent(a.min_certainty, 0)} certain that absences went down by ${formatPercent(a.threshold, 0)} or more`;
  return `${decision.working ? 'Working' : 'Not shown to be working'}: as ${effortText}, the messages count as working when we are ${rule}; ${whose ? `${whose} ` : ''}we are ${formatCertainty(a.certainty, a.certainty_mc_error)} certain.`;
}

function modelFormulas(
  network: boolean,
  baseline: 'all' | 'partial' | 'none',
  priors: Readonly<Record<string, string>>,
  imported: boolean,
  household: HouseholdEffectRecord,
  studentsInFit: number,
): { formulas: string[]; words: string } {
  const terms = ['log e_i', 'alpha[k[i]]'];
  if (baseline !== 'none') terms.push('gamma * z_i');
  if (baseline === 'partial') terms.push('delta * m_i');
  terms.push(network ? 'theta[d[i]] * T_i' : 'theta * T_i');
  if (household?.fitted) terms.push('sigma_household * z_household[h[i]]');
  const formulas = ['y_i ~ NegBinomial2(mu_i, phi)        Var(y_i) = mu_i + mu_i^2 / phi', `log mu_i = ${terms.join(' + ')}`];
  if (network)
    formulas.push('theta[d] = mu_theta + tau * eta[d]', 'effect = 1 - exp(mu_theta)        effect in district d = 1 - exp(theta[d])');
  else formulas.push('effect = 1 - exp(theta)');
  for (const [name, prior] of Object.entries(priors)) formulas.push(`${name} ~ ${prior}`);
  const words =
    "Each student's days absent in the outcome window are counted against the days they were enrolled, with a negative binomial model that allows some students to miss many more days than others. " +
    `Students are compared only with students in the same randomization block (${imported ? 'the blocks of the imported assignment' : 'district, school and grade'}), through one intercept per block. ` +
    (baseline === 'none'
      ? ''
      : "Each student's prior absence rate (standardized, on the log scale) adjusts for who was already often absent" +
        (baseline === 'partial' ? ', with a separate term for students with no prior record. ' : '. ')) +
    (network
      ? "The effect of the messages is a rate ratio between the arms; each district has its own, drawn toward the network's common effect by how much the districts differ (partial pooling), so a small district's estimate borrows strength from the others. "
      : 'The effect of the messages is a rate ratio between the arms. ') +
    `${describeHouseholdEffect(household, studentsInFit)} `.trimStart() +
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
      ...(d.certainty_mc_error ? { certainty_mc_error: tooSmall ? null : d.certainty_mc_error } : {}),
      leaning: tooSmall ? null : leaningOf(d.certainty['0'] ?? NaN),
    };
  });
}

/**
 * One plain sentence on why the raw charts can disagree with the estimate (even point
 * the other way): the estimate compares students within the same school and grade,
 * allows for their absences before the study, and in a district report draws on the
 * other districts; the raw figures do none of that.
 */
function explainRawVersusEstimate(rawReduction: number, estimate: number, isDistrict: boolean): { agree: boolean; explanation: string } {
  const agree = Math.sign(rawReduction) === Math.sign(estimate) || Math.abs(rawReduction) < 0.0005 || Math.abs(estimate) < 0.0005;
  const why = `the estimate compares students within the same school and grade and allows for each student's absences before the study${isDistrict ? ", and it draws on the other districts' results as well as this district's" : ''}, while the raw figures do none of that`;
  const explanation = agree
    ? `These charts show the raw figures, before any adjustment; they need not match the estimate above, because ${why}.`
    : `In these raw figures students whose caregivers were sent the messages missed ${rawReduction < 0 ? 'a larger' : 'a smaller'} share of days than the others, yet the estimate above says ${estimate > 0 ? 'fewer' : 'more'} absences, because ${why}.`;
  return { agree, explanation };
}

/**
 * Builds every figure of one report (the network's, or one district's beside the
 * network's) from the analysis and the study's data. Every figure says whose it is: a
 * district report's effect and days avoided are the district's own, and any network
 * figure in it is labelled so. Pure: it reads nothing and writes nothing.
 */
export function buildReportData(inputs: ReportInputs, scope: ReportScope = {}): ReportData {
  const { study, draws } = inputs;
  const analysis = inputs.effort ? withEffort(inputs.analysis, inputs.effort) : inputs.analysis;
  const network = analysis.model.network;
  const names = study?.districtNames ?? {};
  const district = scope.district === undefined ? undefined : analysis.districts.find((d) => d.district === scope.district);
  if (scope.district !== undefined && !district)
    throw new RangeError(
      `buildReportData: the analysis has no district "${scope.district}" (it has ${analysis.districts.map((d) => d.district).join(', ')})`,
    );
  const isDistrict = district !== undefined && network;
  const districtSuppressed = isDistrict && tooSmallToShow(district);
  // The district's own estimate is shown (partially pooled); otherwise the network's is, labelled so.
  const ownEstimate = isDistrict && !districtSuppressed;
  const name = district
    ? (names[district.district] ?? district.district)
    : analysis.districts.length === 1
      ? (names[analysis.districts[0].district] ?? analysis.districts[0].district)
      : 'the network';
  const networkName = `the network of ${analysis.districts.length} districts`;
  const pooled: ReportEffect = withMcError({ estimate: analysis.effect, certainty: analysis.certainty }, analysis.certainty_mc_error);
  const effectDraws = ownEstimate ? draws?.[`effect[${district.district}]`] : draws?.effect;
  const effect: ReportEffect = ownEstimate
    ? withMcError({ estimate: district.effect, certainty: district.certainty }, district.certainty_mc_error)
    : pooled;

  const cautions: string[] = [];
  if (analysis.diagnostics.flagged && !analysis.approximate)
    cautions.push(
      'The statistical checks on this analysis did not pass, so these figures are provisional and must not be presented as final; the analysis should be rerun (details under "For researchers").',
    );
  if (analysis.approximate)
    cautions.push(
      'These figures come from a quick approximation, not the full analysis, and must not be presented as final; rerun the analysis in full before using them (details under "For researchers").',
    );
  if (analysis.arms_in_effect?.source === 'simulation') {
    const truth = analysis.arms_in_effect.simulation
      ? ` with a true effect of ${formatPercent(analysis.arms_in_effect.simulation.true_effect)} fewer absences`
      : '';
    cautions.push(
      `These students and their absences are simulated (made up by the toolkit${truth}) to show how a report reads: this is not a real study.`,
    );
  }
  if (analysis.model.n < SMALL_STUDY_STUDENTS) {
    cautions.push(
      `This is a small study (${formatCount(published(analysis.model.n))} students in the analysis). In studies this small the certainty figures may be a few points too high, so read a result near the ${formatPercent(analysis.decision.applied.min_certainty, 0)} line as weaker than it looks.`,
    );
  }
  const siblings = householdCaution(analysis.model.household_effect, analysis.model.n);
  if (siblings) cautions.push(siblings);
  if (districtSuppressed)
    cautions.push(
      `Fewer than ${SUPPRESSION_THRESHOLD} students of this district are in one of the arms, so its own estimate is not shown; the figures below are the network's, for all ${analysis.districts.length} districts together.`,
    );
  if (!study) cautions.push("The study's attendance data were not given, so the charts and tables of absences by arm are left out.");

  // The decision is the one the study was designed for: the network's (or a one-district
  // study's). A district's own result is described as a leaning, not decided on.
  const whoseDecision = network ? `across the network of ${analysis.districts.length} districts` : undefined;
  const decisionBase = { ...analysis.decision, basis: network ? ('network' as const) : ('study' as const) };
  const flaggedOrApproximate = analysis.diagnostics.flagged || analysis.approximate;
  const decision = {
    ...decisionBase,
    summary: decisionSummary(decisionBase, whoseDecision),
    next_year: adviseNextYear(decisionBase, analysis.days_avoided.per_100_treated.mean, flaggedOrApproximate, whoseDecision),
  };
  const forest = network ? forestRows(analysis, names) : null;
  const chance = forest ? countChanceLeanings(forest) : null;
  const ownCertainty = ownEstimate ? certaintyFromDraws(effectDraws, 0, district.certainty) : undefined;
  // The error recorded by the analysis, from the same draws (chains apart, which the report's draws are not).
  const ownMcError = ownEstimate ? district.certainty_mc_error?.['0'] : undefined;
  const districtEvidence =
    ownEstimate && ownCertainty !== undefined
      ? {
          district: district.district,
          leaning: leaningOf(ownCertainty),
          certainty: ownCertainty,
          ...(ownMcError !== undefined ? { certainty_mc_error: ownMcError } : {}),
          statement: `On its own, the evidence in ${name} ${LEANING_WORDS[leaningOf(ownCertainty)]}: we are ${formatCertainty(ownCertainty, ownMcError)} certain absences went down there (a district's evidence leans one way at ${formatPercent(LEAN_CERTAINTY, 0)} or more).`,
        }
      : undefined;

  const networkDays = {
    scope: network ? ('network' as const) : ('study' as const),
    per_treated_student: analysis.days_avoided.per_treated_student,
    per_100_treated: analysis.days_avoided.per_100_treated,
  };
  const daysAvoided = ownEstimate ? { scope: 'district' as const, district: district.district, ...district.days_avoided } : networkDays;

  const students: readonly StudyStudent[] = study
    ? isDistrict
      ? study.students.filter((s) => s.district === district.district)
      : study.students
    : [];
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
  const chronic = buildChronicAbsenceSection(analysis.chronic_absence, network, study ? students : undefined, arms);
  const overTime = study && study.periods.length > 0 ? absenceRateOverTime(students, study.periods, arms) : null;
  const raw = study ? rawAbsenceRates(students, arms) : null;
  const rawReduction = raw && raw.control > 0 ? 1 - raw.treated / raw.control : null;
  const rawVersusEstimate =
    rawReduction === null
      ? null
      : { raw_reduction: rawReduction, ...explainRawVersusEstimate(rawReduction, effect.estimate.median, ownEstimate) };

  const parameter = analysis.effect_parameter;
  const density =
    effectDraws && effectDraws.length > 1
      ? densityFromDraws(effectDraws)
      : densityFromSummary(ownEstimate ? approximateDistrictParameter(district) : parameter);
  const kind = isDistrict ? 'district' : network ? 'network' : 'study';
  const { formulas, words } = modelFormulas(
    network,
    analysis.model.baseline,
    analysis.model.priors,
    analysis.arms_in_effect?.imported !== undefined,
    analysis.model.household_effect,
    analysis.model.n,
  );
  const suppressedCells =
    (attrition?.suppressed ?? 0) +
    byDistrict.suppressed +
    (distribution?.suppressed ?? 0) +
    (tiers?.suppressed ?? 0) +
    (chronic.transitions?.reduce((sum, t) => sum + t.suppressed, 0) ?? 0) +
    (overTime?.filter((r) => r.students === null).length ?? 0) +
    (balance?.filter((b) => b.flagged === null).length ?? 0);
  const titleName = kind === 'network' ? `${analysis.districts.length}-district network` : name;
  const window = analysis.window ?? (study ? study.window : null);

  return {
    format: 'attendance-pilot-report/1',
    scope: { kind, ...(isDistrict ? { district: district.district } : {}), name, districts: analysis.districts.length },
    title: `Did the attendance messages work? Report for the ${titleName}`.replace('for the the', 'for the'),
    headline: ownEstimate ? writeHeadline(effect, name) : network ? writeHeadline(pooled, networkName, 'network') : writeHeadline(effect),
    cautions,
    effect: { ...effect, partially_pooled: ownEstimate },
    ...(isDistrict ? { network_effect: pooled } : {}),
    decision,
    ...(districtEvidence ? { district_evidence: districtEvidence } : {}),
    chance,
    days_avoided: daysAvoided,
    ...(ownEstimate ? { network_days_avoided: networkDays } : {}),
    chronic_absence: chronic,
    ...buildDeliveredAndCosts(analysis.delivered_effect, analysis.costs, network),
    district_effects: forest ? { rows: forest, pooled, ...(isDistrict ? { highlight: district.district } : {}) } : null,
    raw_vs_estimate: rawVersusEstimate,
    subgroups: buildSubgroupSection(analysis),
    arms,
    tables: { students_by_arm_and_district: byDistrict, attrition, balance },
    charts: {
      posterior: {
        ...density,
        thresholds: [0, 0.05],
        certainty: effect.certainty['0'] ?? certaintyFromDraws(effectDraws, 0, effect.certainty),
      },
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
      window,
      arms_in_effect: analysis.arms_in_effect ?? null,
      arms_in_effect_statement: describeArmsInEffect(analysis.arms_in_effect, window),
      analysis_plan: buildAnalysisPlanSection(analysis.analysis_plan),
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
        checks: {
          rhat_max: FIT_CHECKS.maxRhat,
          ess_bulk_effect_min: FIT_CHECKS.minEssBulkEffect,
          divergences_max: FIT_CHECKS.maxDivergences,
          ebfmi_min: MIN_EBFMI,
          smd_imbalance: SMD_THRESHOLD,
        },
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

/** An effect with its certainties' Monte Carlo errors, when the analysis recorded them. */
function withMcError(effect: ReportEffect, mcError: Certainty | undefined): ReportEffect {
  return mcError ? { ...effect, certainty_mc_error: mcError } : effect;
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
