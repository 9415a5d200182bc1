import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisPlanFollowed, AnalysisResult } from '../analysis/analysis-result.js';
import { computeDeliveredEffect } from '../analysis/complier-effect.js';
import { computeCosts } from '../analysis/costs.js';
import type { EstimateEffectOptions } from '../analysis/estimate-effect.js';
import { estimateEffectWithDraws } from '../analysis/estimate-effect.js';
import { estimateEffectLaplace } from '../analysis/estimate-effect-laplace.js';
import { formatDrawsCsv } from '../analysis/format-draws-csv.js';
import type { EffectPrior } from '../analysis/model/effect-prior.js';
import { DEFAULT_EFFECT_PRIOR } from '../analysis/model/effect-prior.js';
import { householdEffectOption, householdEffectSetting } from '../analysis/model/household-effect.js';
import type { PosteriorDraws } from '../analysis/posterior-draws.js';
import { analyzeSubgroups } from '../analysis/subgroup-analysis.js';
import { manifestPathFor } from '../assignment/assignment-files.js';
import { formatModelTableCsv } from '../data/format-model-table-csv.js';
import type { ModelTable } from '../data/model-table.js';
import { readCosts } from '../data/read-costs.js';
import { readDeliveredPerStudent } from '../data/read-delivered-per-student.js';
import { readModelTable } from '../data/read-model-table.js';
import type { Issue } from '../errors.js';
import { PilotError, UsageError, unwrap } from '../errors.js';
import { sha256, sha256File } from '../io/hash.js';
import { guardOutputs } from '../io/output-guard.js';
import type { PlannedFile } from '../io/write-atomic.js';
import { PRIVATE_MODE, SHARED_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import { generateSeed } from '../random.js';
import type { DateWindow } from '../types.js';
import { checkArmsInEffect } from './check-arms-in-effect.js';
import type { AnalysisChoices } from './follow-analysis-plan.js';
import { followAnalysisPlan, readStudyPlan } from './follow-analysis-plan.js';
import type { StudyFiles } from './read-study-data.js';
import { readModelTableFromStudy } from './read-study-data.js';

/** A model table already built (`model_input.csv`, as `pilot analyze` writes it). */
export interface ModelTableSource {
  readonly table: string;
}

/** A study's files (a mapping file and OneRoster choices too, as `pilot assign` read them) and the outcome window the model table is built over. */
export interface StudyFilesSource extends StudyFiles {
  /** The outcome window; default: the study's locked analysis plan's (required when it has none). */
  readonly window?: DateWindow;
  /** A baseline window in the attendance data (default: the roster's baseline columns). */
  readonly baseline?: DateWindow;
  /** When the arms took effect (YYYY-MM-DD), for a study assigned elsewhere (default: the manifest's date). */
  readonly assignmentDate?: string;
}

export interface AnalyzeStudyOptions extends Omit<EstimateEffectOptions, 'seed' | 'effectPrior'> {
  /** The effect's prior; a part not given is the locked plan's, or the default's. */
  readonly effectPrior?: Partial<EffectPrior>;
  /**
   * The study's `analysis-plan.json` (default: beside the assignment). When the study's
   * manifest records a locked plan, its window, rule, thresholds, prior, subgroups and
   * `received_at_least` are used for every choice not given, and one given that differs
   * is refused unless `deviate` gives a reason (`followAnalysisPlan`).
   */
  readonly plan?: string;
  /** Reasons for departing from the locked plan: one for all the departures, or one each in the plan's field order. */
  readonly deviate?: readonly string[];
  /**
   * Subgroup factors (`prior_tier`, `grade_band`, `language`, `mode` or a roster field):
   * the subgroup model is fitted beside the standard one and its effects are the
   * result's `subgroups` (`analyzeSubgroups`). Default: the locked plan's, else none.
   */
  readonly subgroups?: readonly string[];
  /**
   * A `costs.json` (prices, and the message lists or counts they apply to; `readCosts`):
   * the result's `costs` gives the cost per student, per day gained and per student no
   * longer chronically absent (`computeCosts`).
   */
  readonly costs?: string;
  /**
   * `delivered-per-student.csv` as `pilot deliveries` wrote it, or its folder: the
   * result's `delivered_effect` gives the effect for students whose caregivers received
   * the messages (`computeDeliveredEffect`).
   */
  readonly deliveries?: string;
  /** With `deliveries`: a student received the messages with at least this many delivered (default: the locked plan's, or 1). */
  readonly receivedAtLeast?: number;
  /** Generated when not given; the result says which. */
  readonly seed?: number;
  /** `nuts`, the reported fit (default), or `laplace`, a fast preview marked approximate. */
  readonly method?: 'nuts' | 'laplace';
  /**
   * Folder for `analysis.json`, `model_input.csv` when the table was built from the study's
   * files (so the fit can be repeated exactly), and `draws.csv` with `drawsCsv`; written
   * all or none. Nothing is written without it.
   */
  readonly out?: string;
  readonly drawsCsv?: boolean;
  /** Replace an analysis already in `out` (never an input of the run). */
  readonly force?: boolean;
}

/** What `analyzeStudy` found and wrote. */
export interface StudyAnalysis {
  /** The analysis, as `analysis.json` holds it: with the inputs' hashes, the window and the day the arms took effect. */
  readonly result: AnalysisResult;
  readonly draws: PosteriorDraws;
  readonly table: ModelTable;
  /** Notes on the study's files (rows read but remarked on). */
  readonly warnings: readonly Issue[];
  /** The files written, `analysis.json` first; none without `out`. */
  readonly files: readonly string[];
}

/**
 * Estimates a study's effect as `pilot analyze` does: from a model table, or from the
 * study's files over an outcome window, after checking that the window starts once the
 * arms were in effect (`checkArmsInEffect`); then fits the absence model (NUTS with its
 * checks and refits, or a Laplace preview) and, with `out`, writes the results.
 *
 * @example
 * const { result } = await analyzeStudy(
 *   { roster: 'roster.csv', assignments: 'study/assignments.csv', attendance: 'attendance.csv.gz', window: { from: '2025-09-15', to: '2026-05-29' } },
 *   { seed: 42, out: 'results' },
 * );
 * result.effect.median; // 0.031
 */
export async function analyzeStudy(
  source: ModelTableSource | StudyFilesSource,
  studyOptions: AnalyzeStudyOptions = {},
): Promise<StudyAnalysis> {
  // The locked plan, when the study has one, decides every choice not given: read first.
  const followed = await planChoicesOf(source, studyOptions);
  // The prior as given may be partial (`{ mean: undefined, sd: 1 }`): only the completed one goes on.
  const options: FitChoices & Omit<AnalyzeStudyOptions, 'effectPrior'> = {
    ...studyOptions,
    effectPrior: undefined,
    ...followed.fit,
  } as FitChoices;
  const { method = 'nuts', out, drawsCsv = false, force = false, plan: _plan, deviate: _deviate, subgroups = [], ...fitOptions } = options;
  if (out !== undefined) {
    const inputs =
      'table' in source
        ? [source.table]
        : [source.roster, source.assignments, manifestPathFor(source.assignments), source.attendance, source.calendar];
    // No output may be an input; an earlier analysis (its analysis.json) is replaced only with `force`.
    const written = ['analysis.json', ...('table' in source ? [] : ['model_input.csv']), ...(drawsCsv ? ['draws.csv'] : [])];
    await guardOutputs({ inputs, outputs: written.map((name) => join(out, name)), force: true });
    await guardOutputs({ inputs: [], outputs: [join(out, 'analysis.json')], force });
  }
  // Read before the long fit, so a bad costs file is refused at once.
  const prices = options.costs === undefined ? undefined : await readCosts(options.costs);
  const delivered = options.deliveries === undefined ? undefined : await readDeliveries(options.deliveries);
  const input = await readAnalysisTable('table' in source ? source : { ...source, window: followed.window! });
  const seed = options.seed ?? generateSeed();
  const fit =
    method === 'laplace'
      ? await estimateEffectLaplace(input.table, { ...fitOptions, seed })
      : await estimateEffectWithDraws(input.table, { ...fitOptions, seed });
  const bySubgroup =
    subgroups.length > 0
      ? await analyzeSubgroups(input.table, subgroups, {
          ...fitOptions,
          seed,
          roster: input.roster,
          plan: followed.record,
          start: 'chainEnds' in fit ? fit.chainEnds : undefined,
        })
      : undefined;
  const draws = drawsCsv ? formatDrawsCsv(fit.draws) : undefined;
  const result: AnalysisResult = {
    ...fit.result,
    // The costs file is an input like the others: its hash beside theirs (and its name in `costs.file`).
    inputs: { ...input.inputs, ...(prices?.file ? { costs: prices.file.sha256 } : {}) },
    ...input.context,
    ...(draws !== undefined ? { draws_csv: { file: 'draws.csv', sha256: sha256(draws) } } : {}),
    ...(followed.record ? { analysis_plan: followed.record } : {}),
    ...(bySubgroup ? { subgroups: bySubgroup.result } : {}),
    ...(prices ? { costs: computeCosts(prices, { students_sent: fit.result.model.n_treatment, ...fit.result }) } : {}),
    ...(delivered
      ? {
          delivered_effect: computeDeliveredEffect(input.table, fit.draws, delivered, {
            receivedAtLeast: options.receivedAtLeast,
            thresholds: options.thresholds,
          }),
        }
      : {}),
  };
  const planned: PlannedFile[] = [];
  if (out !== undefined) {
    planned.push({ path: join(out, 'analysis.json'), contents: `${JSON.stringify(result, null, 2)}\n`, mode: SHARED_MODE });
    // The table holds student ids, so it is private like the assignment it came from.
    if (input.built) planned.push({ path: join(out, 'model_input.csv'), contents: formatModelTableCsv(input.table), mode: PRIVATE_MODE });
    // Draws of block and district effects can say much about a block of a few students: owner-only too.
    if (draws !== undefined) planned.push({ path: join(out, 'draws.csv'), contents: draws, mode: PRIVATE_MODE });
    const stale = draws === undefined ? await staleDraws(out) : undefined;
    await writeFilesAtomically(planned);
    // The earlier analysis's draws.csv would sit beside this one's results: removed (it was
    // that analysis's own, by its recorded hash; a draws file of unknown origin is left, and
    // a report ignores it since this analysis records no draws).
    if (stale !== undefined) await rm(stale, { force: true });
  }
  return { result, draws: fit.draws, table: input.table, warnings: input.warnings, files: planned.map((f) => f.path) };
}

/** `out`'s draws.csv when the analysis.json beside it recorded it as its own (by SHA-256). */
async function staleDraws(out: string): Promise<string | undefined> {
  const path = join(out, 'draws.csv');
  try {
    const earlier = JSON.parse(await readFile(join(out, 'analysis.json'), 'utf8')) as Partial<AnalysisResult>;
    return earlier.draws_csv?.sha256 !== undefined && earlier.draws_csv.sha256 === (await sha256File(path)) ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The window and fit options to use: the study's locked plan followed (choices not given
 * are the plan's; departures need reasons), or the options as given when it has none.
 */
async function planChoicesOf(
  source: ModelTableSource | StudyFilesSource,
  options: AnalyzeStudyOptions,
): Promise<{ window?: DateWindow; fit: FitChoices; record?: AnalysisPlanFollowed }> {
  const given: AnalysisChoices = {
    ...(options as AnalysisChoices),
    window: 'table' in source ? undefined : source.window,
    priorMean: options.effectPrior?.mean,
    priorSd: options.effectPrior?.sd,
    householdEffect: options.householdEffect === undefined ? undefined : householdEffectSetting(options.householdEffect),
  };
  const reasons = options.deviate ?? [];
  if ('table' in source) {
    if (options.plan !== undefined || reasons.length > 0)
      throw new UsageError(
        'analyzeStudy',
        'an analysis plan (and deviate) goes with the study files: a model table has no manifest to check it against',
      );
    return { fit: fitOptionsOf(given) };
  }
  const study = await readStudyPlan(source.assignments, options.plan);
  if (study === undefined) {
    if (reasons.length > 0)
      throw new PilotError(`--deviate was given, but the study of ${source.assignments} has no locked analysis plan to depart from`);
    if (source.window === undefined)
      throw new PilotError(
        `the outcome window is needed: give --from and --to (the study of ${source.assignments} has no locked analysis plan to take it from)`,
      );
    return { window: source.window, fit: fitOptionsOf(given) };
  }
  const { choices, record } = followAnalysisPlan(study, given, reasons);
  return { window: choices.window, fit: fitOptionsOf(choices), record };
}

/** The fit options for a plan's choices (a prior given in part is completed with the default's other part). */
function fitOptionsOf(choices: AnalysisChoices): FitChoices {
  const { effort, thresholds, priorMean, priorSd, subgroups, receivedAtLeast } = choices;
  const householdEffect = householdEffectOption(choices.householdEffect);
  const effectPrior =
    priorMean === undefined && priorSd === undefined
      ? undefined
      : { mean: priorMean ?? DEFAULT_EFFECT_PRIOR.mean, sd: priorSd ?? DEFAULT_EFFECT_PRIOR.sd };
  // Only what is set: an option a caller gave is never replaced by an undefined.
  return Object.fromEntries(
    Object.entries({ effort, thresholds, effectPrior, subgroups, receivedAtLeast, householdEffect }).filter(([, v]) => v !== undefined),
  ) as FitChoices;
}

/** The options a plan decides, as the fit takes them (the prior whole). */
type FitChoices = Partial<Omit<AnalyzeStudyOptions, 'effectPrior'>> & { readonly effectPrior?: EffectPrior };

/** The per-student file `pilot deliveries` writes in its folder. */
const DELIVERED_PER_STUDENT_FILE = 'delivered-per-student.csv';

/** `delivered-per-student.csv`, given as the file or the folder `pilot deliveries` wrote it to. */
async function readDeliveries(path: string) {
  const file = (await stat(path).catch(() => undefined))?.isDirectory() ? join(path, DELIVERED_PER_STUDENT_FILE) : path;
  return readDeliveredPerStudent(file);
}

/** The table to fit, what it was made from, and what the result records of that. */
async function readAnalysisTable(source: ModelTableSource | (StudyFilesSource & { readonly window: DateWindow })) {
  if ('table' in source) {
    const read = await readModelTable({ path: source.table }, source.table);
    const table = unwrap(read, `${source.table} cannot be analyzed`);
    return { table, built: false, inputs: { table: read.sha256! }, context: {}, warnings: [], roster: undefined };
  }
  const files: StudyFiles = {
    roster: source.roster,
    assignments: source.assignments,
    attendance: source.attendance,
    calendar: source.calendar,
    map: source.map,
    oneRoster: source.oneRoster,
  };
  // Checked before the long read: outcomes from before the arms took effect are refused.
  const armsInEffect = await checkArmsInEffect(files, source.window, source.assignmentDate);
  const { table, data } = await readModelTableFromStudy(files, source.window, source.baseline);
  return {
    table,
    built: true,
    inputs: data.inputs,
    context: { window: source.window, arms_in_effect: armsInEffect },
    warnings: data.warnings,
    roster: data.roster,
  };
}
