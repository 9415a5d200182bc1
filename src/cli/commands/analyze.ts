import { join } from 'node:path';
import { PilotError, UsageError, formatIssue, unwrap } from '../../errors.js';
import { PRIVATE_MODE, SHARED_MODE, writeFilesAtomically } from '../../io/write-atomic.js';
import type { PlannedFile } from '../../io/write-atomic.js';
import { generateSeed } from '../../random.js';
import type { AnalysisResult, ArmsInEffect } from '../../analysis/analysis-result.js';
import { estimateEffectWithDraws } from '../../analysis/estimate-effect.js';
import { estimateEffectLaplace } from '../../analysis/estimate-effect-laplace.js';
import { formatDrawsCsv } from '../../analysis/format-draws-csv.js';
import { readModelTable } from '../../data/read-model-table.js';
import { formatModelTableCsv } from '../../data/format-model-table-csv.js';
import type { ModelTable } from '../../data/model-table.js';
import { readModelTableFromStudy } from '../../study/read-study-data.js';
import { checkArmsInEffect } from '../../study/check-arms-in-effect.js';

import type { DateWindow } from '../../types.js';
import { dateWindowOption, listOption } from '../command.js';
import { fitProgress } from '../fit-progress.js';
import type { PilotCommand } from '../command.js';
import type { CliIo } from '../io.js';
import { studyFileOptions } from '../study-options.js';
import type { StudyFileArgs } from '../study-options.js';

interface AnalyzeArgs extends StudyFileArgs {
  table?: string;
  out: string;
  seed?: number;
  chains: number;
  warmup: number;
  draws: number;
  effort: 'low' | 'high';
  thresholds: string;
  priorMean: number;
  priorSd: number;
  adaptDelta: number;
  drawsCsv: boolean;
  json: boolean;
  method: 'nuts' | 'laplace';
}

/** The few lines the command prints: the effect, the certainty, the decision and the checks. */
function summaryOf(result: AnalysisResult, out: string) {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const d = result.diagnostics;
  const checks = d.flagged ? `FLAGGED: ${d.warnings.join('; ')}` : `ok (R-hat max ${d.rhat_max.toFixed(3)}, bulk-ESS of the effect ${Math.round(d.ess_bulk_effect)}, ${d.divergences} divergences${d.refits.length > 0 ? `, refit at adapt_delta ${d.adapt_delta}` : ''})`;
  const lines = [
    `Effect of sending the messages${result.model.network ? ` (network of ${result.model.n_districts} districts)` : ''}: ${pct(result.effect.median)} fewer absences (90% interval ${pct(result.effect.q05)} to ${pct(result.effect.q95)})${result.approximate ? ' [APPROXIMATE: Laplace preview, not the reported fit]' : ''}`,
    `Certainty: ${Object.entries(result.certainty).map(([t, p]) => `P(effect > ${t}) = ${p.toFixed(3)}`).join(', ')}`,
    `Decision (${result.decision.effort} effort): ${result.decision.working ? 'working' : 'not shown to work'} (P(effect > ${result.decision.applied.threshold}) = ${result.decision.applied.certainty.toFixed(3)}, needs ${result.decision.applied.min_certainty})`,
    `Diagnostics: ${checks}`,
    ...(result.arms_in_effect ? [`Outcomes from ${result.window?.from} on; the arms took effect ${result.arms_in_effect.date} (${{ assignment: "the assignment's date", simulation: 'the first day of the simulated outcomes', stated: 'stated with --assignment-date' }[result.arms_in_effect.source]})`] : []),
    `Seed ${result.seed}; wrote ${join(out, 'analysis.json')}`,
  ];
  const json = { effect: result.effect, certainty: result.certainty, decision: { effort: result.decision.effort, working: result.decision.working }, approximate: result.approximate, diagnostics: { flagged: d.flagged, rhat_max: d.rhat_max, ess_bulk_effect: d.ess_bulk_effect, divergences: d.divergences, adapt_delta: d.adapt_delta, warnings: d.warnings }, seed: result.seed, out };
  return { text: lines.join('\n'), json };
}

export const analyzeCommand: PilotCommand<AnalyzeArgs> = {
  command: 'analyze',
  describe: 'Estimate the effect on absences with the standard absence model (NUTS, validated against Stan)',
  builder: (y) =>
    studyFileOptions(y, 'with --assignments, --attendance, --from, --to instead of --table')
      .option('table', { type: 'string', describe: 'model_input.csv: student_id, y, e, treat, block, district[, baseline_absences, baseline_days]' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder (analysis.json)' })
      .option('seed', { type: 'number', describe: 'random seed (generated and printed when not given)' })
      .option('chains', { type: 'number', default: 4 })
      .option('warmup', { type: 'number', default: 1000, describe: 'warmup iterations per chain' })
      .option('draws', { type: 'number', default: 1000, describe: 'draws per chain after warmup' })
      .option('effort', { choices: ['low', 'high'] as const, default: 'low' as const, describe: 'decision rule: low P(effect>0)>=0.8, high P(effect>=0.05)>=0.9' })
      .option('thresholds', { type: 'string', default: '0,0.05', describe: 'report P(effect > t) for these t' })
      .option('prior-mean', { type: 'number', default: 0, describe: 'prior mean of the effect parameter (log rate ratio)' })
      .option('prior-sd', { type: 'number', default: 0.5, describe: 'prior sd of the effect parameter' })
      .option('adapt-delta', { type: 'number', default: 0.8, describe: 'target acceptance of the first fit (refits use 0.95, 0.99)' })
      .option('draws-csv', { type: 'boolean', default: false, describe: 'also write draws.csv' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('method', { choices: ['nuts', 'laplace'] as const, default: 'nuts' as const, describe: 'laplace: a fast approximate preview' })
      .example('$0 analyze --table model_input.csv --out results --seed 42', 'fit and write results/analysis.json')
      .example('$0 analyze --roster roster.csv --assignments study/assignments.csv --attendance attendance.csv.gz --calendar calendar.csv --from 2025-09-15 --to 2026-06-05 --out results', 'build results/model_input.csv from the study files, then fit'),
  handler: async (args, io) => {
    const input = await readAnalysisInput(args, io);
    const seed = args.seed ?? generateSeed();
    const table = input.table;
    const thresholds = (listOption(args.thresholds) ?? []).map(Number);
    if (thresholds.some((t) => !Number.isFinite(t))) throw new PilotError(`--thresholds must be numbers, got "${args.thresholds}"`);
    const options = { seed, chains: args.chains, warmup: args.warmup, draws: args.draws, effort: args.effort, thresholds, effectPrior: { mean: args.priorMean, sd: args.priorSd }, adaptDelta: args.adaptDelta };
    const progress = fitProgress(io);
    const fit = args.method === 'laplace' ? await estimateEffectLaplace(table, options) : await estimateEffectWithDraws(table, { ...options, onProgress: progress.onProgress }).finally(progress.stop);
    const result: AnalysisResult = { ...fit.result, inputs: input.inputs, ...(input.window ? { window: input.window } : {}), ...(input.armsInEffect ? { arms_in_effect: input.armsInEffect } : {}) };
    const files: PlannedFile[] = [{ path: join(args.out, 'analysis.json'), contents: `${JSON.stringify(result, null, 2)}\n`, mode: SHARED_MODE }];
    // The table holds student ids, so it is private like the assignment it came from.
    if (input.built) files.push({ path: join(args.out, 'model_input.csv'), contents: formatModelTableCsv(table), mode: PRIVATE_MODE });
    // Draws of block and district effects can say much about a block of a few students: owner-only too.
    if (args.drawsCsv) files.push({ path: join(args.out, 'draws.csv'), contents: formatDrawsCsv(fit.draws), mode: PRIVATE_MODE });
    await writeFilesAtomically(files);
    const summary = summaryOf(result, args.out);
    io.stdout(args.json ? JSON.stringify(summary.json, null, 2) : summary.text);
  },
};

const STUDY_OPTIONS = ['roster', 'assignments', 'attendance', 'from', 'to'] as const;

/**
 * The model table to fit: read from `--table`, or built from the study files over the
 * outcome window (and written beside the results, so the fit can be repeated exactly).
 */
async function readAnalysisInput(args: AnalyzeArgs, io: CliIo): Promise<{ table: ModelTable; built: boolean; inputs: Record<string, string>; window?: DateWindow; armsInEffect?: ArmsInEffect }> {
  const given = STUDY_OPTIONS.filter((name) => args[name] !== undefined);
  if (args.table !== undefined) {
    const studyOnly = [...given, ...(args.calendar ? ['calendar'] : []), ...(args.baselineFrom || args.baselineTo ? ['baseline-from/--baseline-to'] : []), ...(args.assignmentDate ? ['assignment-date'] : [])];
    if (studyOnly.length > 0) throw new UsageError('analyze', `--table cannot be combined with --${studyOnly.join(', --')}: give either a model table or the study files`);
    const read = await readModelTable({ path: args.table }, args.table);
    const table = unwrap(read, `${args.table} cannot be analyzed`);
    return { table, built: false, inputs: { table: read.sha256! } };
  }
  const missing = STUDY_OPTIONS.filter((name) => args[name] === undefined);
  if (given.length === 0) throw new UsageError('analyze', 'give --table model_input.csv, or the study files: --roster, --assignments, --attendance, --from and --to');
  if (missing.length > 0) throw new UsageError('analyze', `building the model table from study files also needs ${missing.map((m) => `--${m}`).join(', ')}`);
  const outcome = dateWindowOption('analyze', args.from, args.to, ['--from', '--to'])!;
  const baseline = dateWindowOption('analyze', args.baselineFrom, args.baselineTo, ['--baseline-from', '--baseline-to']);
  const files = { roster: args.roster!, assignments: args.assignments!, attendance: args.attendance!, calendar: args.calendar };
  const armsInEffect = await checkArmsInEffect(files, outcome, args.assignmentDate);
  const { table, data } = await readModelTableFromStudy(files, outcome, baseline);
  for (const warning of data.warnings) io.stderr(`warning: ${formatIssue(warning)}`);
  return { table, built: true, inputs: data.inputs, window: outcome, armsInEffect };
}
