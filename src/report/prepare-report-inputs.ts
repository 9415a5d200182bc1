import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AnalysisResult } from '../analysis/analysis-result.js';
import type { Effort } from '../analysis/decide-effect.js';
import type { FitProgress } from '../analysis/estimate-effect.js';
import { estimateEffectWithDraws } from '../analysis/estimate-effect.js';
import type { HouseholdEffectOption } from '../analysis/model/household-effect.js';
import { householdEffectOption, householdEffectSetting } from '../analysis/model/household-effect.js';
import { readCosts } from '../data/read-costs.js';
import { PilotError, UsageError } from '../errors.js';
import { sha256File } from '../io/hash.js';
import { generateSeed } from '../random.js';
import { checkArmsInEffect } from '../study/check-arms-in-effect.js';
import { followAnalysisPlan, followPlanInReport, readStudyPlan } from '../study/follow-analysis-plan.js';
import type { StudyFiles } from '../study/read-study-data.js';
import type { DateWindow } from '../types.js';
import type { ReportInputs } from './build-report-data.js';
import { checkReportInputs } from './check-report-inputs.js';
import { effectDrawsFrom } from './effect-draws.js';
import { readAnalysisResult } from './read-analysis-result.js';
import { readEffectDraws } from './read-effect-draws.js';
import { readReportStudy } from './read-report-study.js';
import { withReportCosts } from './report-costs.js';

/** What a report is made from: a finished analysis, a study's files, or both. */
export interface ReportSource {
  /** A `pilot analyze` result: its folder or its `analysis.json`. */
  readonly analysis?: string;
  /** `draws.csv` of that analysis (default: `draws.csv` beside `analysis.json`, if there). */
  readonly drawsFile?: string;
  /** The study's files: the descriptive charts and tables, and the fit when there is no analysis. */
  readonly study?: StudyFiles;
  /** The outcome window (default: the analysis's). */
  readonly window?: DateWindow;
  readonly baseline?: DateWindow;
  /** When the arms took effect (YYYY-MM-DD), for a study assigned elsewhere (default: the manifest's, or the one the analysis was told). */
  readonly assignmentDate?: string;
}

export interface PrepareReportOptions {
  /** The decision rule to report (default: the analysis's, or low). */
  readonly effort?: Effort;
  /** Of a fit run here (study files without an analysis); generated when not given. */
  readonly seed?: number;
  readonly chains?: number;
  readonly warmup?: number;
  /** Draws per chain after warmup. */
  readonly draws?: number;
  /** Of a fit run here: the household random effect (`estimateEffect`'s `householdEffect`; default `'auto'`). */
  readonly householdEffect?: HouseholdEffectOption;
  readonly onProgress?: (progress: FitProgress) => void;
  /** What is being read, for a long step's narration (`reading the study files ...`). */
  readonly onStep?: (message: string) => void;
  /** The study's `analysis-plan.json`, for a fit run here (default: beside the assignment, when its manifest records one). */
  readonly plan?: string;
  /** Reasons for departing from the study's locked plan (`followAnalysisPlan`, `followPlanInReport`). */
  readonly deviate?: readonly string[];
  /**
   * A `costs.json` given to the report (`readCosts`): its costs are computed from the
   * analysis as analyze would (`withReportCosts`). An analysis with other costs is refused
   * unless `replaceCosts`.
   */
  readonly costs?: string;
  /** The report's costs replace the analysis's (the report says they were given to it). */
  readonly replaceCosts?: boolean;
}

/**
 * The inputs of a report, as `pilot report` gathers them: a finished analysis with its
 * draws (given, or found beside it), checked to belong with the study's files when those
 * are given too; or, from the study's files alone, a fit run here. Either way the outcome
 * window must start once the arms were in effect (`checkArmsInEffect`). Returns what
 * `writeReport` takes, and the seed of the fit.
 *
 * @example
 * const inputs = await prepareReportInputs({ analysis: 'results' });
 * await writeReport('reports/2025', inputs);
 */
export async function prepareReportInputs(
  source: ReportSource,
  options: PrepareReportOptions = {},
): Promise<ReportInputs & { readonly seed: number }> {
  if (!source.analysis && !source.study) throw new UsageError('prepareReportInputs', 'give an analysis, the study files, or both');
  if (source.drawsFile && !source.analysis)
    throw new UsageError(
      'prepareReportInputs',
      'a draws file goes with an analysis (with the study files alone the fit is run here, with its draws)',
    );
  const previous = source.analysis ? await readAnalysisResult(source.analysis) : undefined;
  // Read before any fit, so a bad costs file is refused at once.
  const costs = options.costs === undefined ? undefined : await readCosts(options.costs);
  const costed = (analysis: AnalysisResult, analysisFile: string) =>
    costs ? withReportCosts(analysis, costs, { costsPath: options.costs!, analysisFile, replace: options.replaceCosts }) : analysis;
  // A fit run here follows the study's locked plan as pilot analyze does; a finished analysis already did.
  const followed = !previous && source.study ? await followStudyPlan(source, options) : undefined;
  const window = followed?.choices.window ?? source.window ?? previous?.analysis.window;
  if (source.study && !window) throw new PilotError('--from and --to (the outcome window) are needed to read the study files');
  let study: ReportInputs['study'];
  let table: Awaited<ReturnType<typeof readReportStudy>>['table'] | undefined;
  let armsInEffect = previous?.analysis.arms_in_effect;
  if (source.study) {
    // A date the analysis was told (--assignment-date) holds for its report too.
    const stated = source.assignmentDate ?? (armsInEffect?.source === 'stated' ? armsInEffect.date : undefined);
    armsInEffect = await checkArmsInEffect(source.study, window!, stated);
    options.onStep?.(`reading the study files (one pass over ${source.study.attendance})`);
    ({ study, table } = await readReportStudy({ ...source.study, window: window!, baseline: source.baseline }));
  }
  if (previous) {
    const drawsPath = await drawsOfAnalysis(previous.file, previous.analysis, source.drawsFile, options.onStep);
    if (drawsPath) options.onStep?.(`reading the effect draws from ${drawsPath}`);
    const draws = drawsPath ? await readEffectDraws(drawsPath) : undefined;
    const problems = checkReportInputs(previous.analysis, study, draws);
    if (problems.length > 0) throw new PilotError(`the report's inputs do not belong together:\n  ${problems.join('\n  ')}`);
    const plan = followPlanInReport(previous.analysis.analysis_plan, previous.analysis.decision.effort, options.effort, options.deviate);
    const analysis = {
      ...previous.analysis,
      ...(armsInEffect ? { arms_in_effect: armsInEffect } : {}),
      ...(plan ? { analysis_plan: plan } : {}),
    };
    return {
      analysis: costed(analysis, previous.file),
      study,
      draws,
      effort: options.effort,
      seed: previous.analysis.seed,
    };
  }
  const seed = options.seed ?? generateSeed();
  const choices = followed?.choices;
  const fit = await estimateEffectWithDraws(table!, {
    seed,
    chains: options.chains,
    warmup: options.warmup,
    draws: options.draws,
    // A locked plan decides the household effect as it does the rule (a departure needs a reason).
    householdEffect: choices?.householdEffect ? householdEffectOption(choices.householdEffect) : options.householdEffect,
    effort: choices?.effort ?? options.effort ?? 'low',
    thresholds: choices?.thresholds,
    ...(choices ? { effectPrior: { mean: choices.priorMean!, sd: choices.priorSd! } } : {}),
    onProgress: options.onProgress,
  });
  const analysis: AnalysisResult = {
    ...fit.result,
    window,
    inputs: study!.inputs,
    arms_in_effect: armsInEffect,
    ...(followed ? { analysis_plan: followed.record } : {}),
  };
  return { analysis: costed(analysis, 'the fit run here'), study, draws: effectDrawsFrom(fit.draws), seed };
}

/** The study's locked plan followed for a fit run here (the window and the rule given, or the plan's); undefined without one. */
async function followStudyPlan(source: ReportSource, options: PrepareReportOptions) {
  const plan = await readStudyPlan(source.study!.assignments, options.plan);
  if (!plan) {
    if ((options.deviate ?? []).length > 0)
      throw new PilotError(`--deviate was given, but the study of ${source.study!.assignments} has no locked analysis plan to depart from`);
    return undefined;
  }
  const householdEffect = options.householdEffect === undefined ? undefined : householdEffectSetting(options.householdEffect);
  return followAnalysisPlan(plan, { window: source.window, effort: options.effort, householdEffect }, options.deviate);
}

/**
 * The draws file to use with an analysis: the one given, or `draws.csv` beside
 * `analysis.json`, and only when it is the file the analysis recorded (by SHA-256): a rerun
 * of `pilot analyze` into the folder without `--draws-csv` must not leave its chart drawn
 * from the earlier fit. A file beside an analysis that records no draws is left unused
 * (said through `onStep`); a file given, or one that is not the recorded one, is refused.
 */
async function drawsOfAnalysis(
  analysisFile: string,
  analysis: AnalysisResult,
  given: string | undefined,
  onStep?: (message: string) => void,
): Promise<string | undefined> {
  const besideIt = join(dirname(analysisFile), 'draws.csv');
  const path =
    given ??
    (await access(besideIt).then(
      () => besideIt,
      () => undefined,
    ));
  if (path === undefined) return undefined;
  const recorded = analysis.draws_csv?.sha256;
  const actual = await sha256File(path);
  if (actual === recorded) return path;
  if (recorded === undefined && given === undefined) {
    onStep?.(`${path} is not used: ${analysisFile} records no draws (it is left from another run of pilot analyze)`);
    return undefined;
  }
  throw new PilotError(
    recorded === undefined
      ? `${path} cannot be tied to ${analysisFile}, which records no draws: run pilot analyze with --draws-csv to write the draws with the analysis`
      : `${path} is not the draws.csv of ${analysisFile}: its SHA-256 is ${actual.slice(0, 12)}..., the analysis recorded ${recorded.slice(0, 12)}...; the draws come from another run of pilot analyze`,
  );
}
