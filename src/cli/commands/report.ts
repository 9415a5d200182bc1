import { access } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { PilotError } from '../../errors.js';
import { generateSeed } from '../../random.js';
import type { AnalysisResult } from '../../analysis/analysis-result.js';
import { estimateEffectWithDraws } from '../../analysis/estimate-effect.js';
import type { ReportInputs } from '../../report/build-report-data.js';
import { checkReportInputs } from '../../report/check-report-inputs.js';
import { effectDrawsFrom } from '../../report/effect-draws.js';
import { readAnalysisResult } from '../../report/read-analysis-result.js';
import { readEffectDraws } from '../../report/read-effect-draws.js';
import { readReportStudy } from '../../report/read-report-study.js';
import { checkArmsInEffect } from '../../study/check-arms-in-effect.js';
import { checkChromium } from '../../report/write-report-pdf.js';
import type { WrittenReport } from '../../report/write-report.js';
import { dateWindowOption } from '../command.js';
import type { PilotCommand } from '../command.js';
import { fitProgress } from '../fit-progress.js';
import type { CliIo } from '../io.js';
import { studyFileOptions } from '../study-options.js';
import type { StudyFileArgs } from '../study-options.js';

interface ReportArgs extends StudyFileArgs {
  analysis?: string;
  draws?: string;
  out?: string;
  by?: 'district';
  pdf: boolean;
  effort?: 'low' | 'high';
  seed?: number;
  chains: number;
  warmup: number;
  drawsPerChain: number;
  json: boolean;
}

/**
 * The report's inputs: a finished analysis (`--analysis`, with its draws when given or
 * beside it), or a fit run here on the study's files; the study's files, when given,
 * also feed the descriptive charts and tables.
 */
async function readReportInputs(args: ReportArgs, io: CliIo): Promise<ReportInputs & { seed: number }> {
  const files = [args.roster, args.assignments, args.attendance];
  const someStudy = files.some((f) => f !== undefined) || args.calendar !== undefined;
  if (someStudy && files.some((f) => f === undefined)) throw new PilotError('the study files go together: give --roster, --assignments and --attendance (and --calendar if the school has one)');
  if (!args.analysis && !someStudy) throw new PilotError('report needs --analysis DIR (a `pilot analyze` result) or the study files --roster, --assignments, --attendance with --from and --to');
  if (args.draws && !args.analysis) throw new PilotError('--draws goes with --analysis (with the study files, the report runs the fit and has the draws itself)');
  const previous = args.analysis ? await readAnalysisResult(args.analysis) : undefined;
  const window = dateWindowOption('report', args.from, args.to, ['--from', '--to']) ?? previous?.analysis.window;
  if (someStudy && !window) throw new PilotError('--from and --to (the outcome window) are needed to read the study files');
  const baseline = dateWindowOption('report', args.baselineFrom, args.baselineTo, ['--baseline-from', '--baseline-to']);
  let study: ReportInputs['study'];
  let table;
  let armsInEffect = previous?.analysis.arms_in_effect;
  if (someStudy) {
    // A date the analysis was told (--assignment-date) holds for its report too.
    const stated = args.assignmentDate ?? (armsInEffect?.source === 'stated' ? armsInEffect.date : undefined);
    armsInEffect = await checkArmsInEffect({ assignments: args.assignments!, attendance: args.attendance! }, window!, stated);
    io.stderr(`reading the study files (one pass over ${args.attendance})`);
    ({ study, table } = await readReportStudy({ roster: args.roster!, assignments: args.assignments!, attendance: args.attendance!, calendar: args.calendar, window: window!, baseline }));
  }
  if (previous) {
    const besideIt = join(dirname(previous.file), 'draws.csv');
    const drawsPath = args.draws ?? (await access(besideIt).then(() => besideIt, () => undefined));
    if (drawsPath) io.stderr(`reading the effect draws from ${drawsPath}`);
    const draws = drawsPath ? await readEffectDraws(drawsPath) : undefined;
    const problems = checkReportInputs(previous.analysis, study, draws);
    if (problems.length > 0) throw new PilotError(`the report's inputs do not belong together:\n  ${problems.join('\n  ')}`);
    return { analysis: { ...previous.analysis, ...(armsInEffect ? { arms_in_effect: armsInEffect } : {}) }, study, draws, effort: args.effort, seed: previous.analysis.seed };
  }
  const seed = args.seed ?? generateSeed();
  const progress = fitProgress(io);
  const options = { seed, chains: args.chains, warmup: args.warmup, draws: args.drawsPerChain, effort: args.effort ?? 'low', onProgress: progress.onProgress };
  const fit = await estimateEffectWithDraws(table!, options).finally(progress.stop);
  const analysis: AnalysisResult = { ...fit.result, window, inputs: study!.inputs, arms_in_effect: armsInEffect };
  return { analysis, study, draws: effectDrawsFrom(fit.draws), seed };
}

/** The few lines the command prints: what was reported, the headline, the decision, where it is. */
function summaryOf(written: readonly WrittenReport[], seed: number) {
  const [main, ...districts] = written;
  const d = main.data.decision;
  const decision = `${d.working ? 'working' : 'not shown to work'} as a ${d.effort}-effort intervention (${Math.round(100 * d.applied.certainty)}% certain${d.basis === 'network' ? ' across the network' : ''}, the rule needs ${Math.round(100 * d.applied.min_certainty)}%)`;
  const lines = [
    `${main.data.title} (seed ${seed})`,
    ...main.data.cautions.map((c) => `CAUTION: ${c}`),
    main.data.headline,
    `Decision: ${decision}`,
    `Wrote ${main.html}${main.pdf ? ` and ${main.pdf}` : ''}, report.json and the chart specs (.vl.json)`,
    ...(districts.length > 0 ? [`  and ${districts.length} district reports: ${districts.map((r) => relative(main.dir, r.html)).join(', ')}`] : []),
  ];
  const json = {
    title: main.data.title,
    headline: main.data.headline,
    decision: { effort: d.effort, working: d.working, certainty: d.applied.certainty, min_certainty: d.applied.min_certainty, threshold: d.applied.threshold, basis: d.basis },
    flagged: main.data.methods.diagnostics.flagged,
    approximate: main.data.methods.approximate,
    seed,
    reports: written.map((r) => ({ scope: r.data.scope.kind, district: r.data.scope.district ?? null, dir: r.dir, html: r.html, pdf: r.pdf ?? null, headline: r.data.headline })),
  };
  return { text: lines.join('\n'), json };
}

export const reportCommand: PilotCommand<ReportArgs> = {
  command: 'report',
  describe: 'Write the effect report (HTML, report.json, chart specs; PDF with --pdf) for districts and researchers',
  builder: (y) =>
    studyFileOptions(y, 'study files: the report runs the analysis, and draws the descriptive charts')
      .option('analysis', { type: 'string', describe: 'a `pilot analyze` result: its folder or analysis.json' })
      .option('draws', { type: 'string', describe: 'draws.csv of that analysis (default: draws.csv beside analysis.json, if there)' })
      .option('out', { type: 'string', describe: 'report folder (default reports/<from>_<to>, or reports/report)' })
      .option('by', { choices: ['district'] as const, describe: 'also one report per district, beside the network report' })
      .option('pdf', { type: 'boolean', default: false, describe: 'also print report.pdf (needs Debian\'s chromium at /usr/bin/chromium)' })
      .option('effort', { choices: ['low', 'high'] as const, describe: 'decision rule: low P(effect>0)>=0.8, high P(effect>=0.05)>=0.9 (default: the analysis\'s, or low)' })
      .option('seed', { type: 'number', describe: 'random seed of the fit (generated and printed when not given)' })
      .option('chains', { type: 'number', default: 4, describe: 'chains of the fit (study files only)' })
      .option('warmup', { type: 'number', default: 1000, describe: 'warmup iterations per chain (study files only)' })
      .option('draws-per-chain', { type: 'number', default: 1000, describe: 'draws per chain after warmup (study files only)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .example('$0 report --analysis results --by district', 'report on a finished `pilot analyze` result')
      .example('$0 report --roster roster.csv --assignments study/assignments.csv --attendance attendance.csv.gz --calendar calendar.csv --from 2025-08-18 --to 2026-05-29 --seed 7 --by district --pdf', 'analyze the study files and report'),
  handler: async (args, io) => {
    // Checked again where the browser starts; asked here too so a missing Chromium is said
    // before a fit of several minutes, not after it.
    if (args.pdf) await checkChromium();
    const inputs = await readReportInputs(args, io);
    const window = inputs.analysis.window;
    const out = args.out ?? join('reports', window ? `${window.from}_${window.to}` : 'report');
    // Loaded here, not at the top: vega and vega-lite take most of a second to load, and
    // every other `pilot` command would pay for them.
    const { writeReport } = await import('../../report/write-report.js');
    const written = await writeReport(out, inputs, { byDistrict: args.by === 'district', pdf: args.pdf, onProgress: (m) => io.stderr(m) });
    if (args.by === 'district' && written.length === 1) io.stderr('--by district: the analysis has one district, so the report is that district\'s');
    const summary = summaryOf(written, inputs.seed);
    io.stdout(args.json ? JSON.stringify(summary.json, null, 2) : summary.text);
  },
};
