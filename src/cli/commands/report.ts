import { join, relative } from 'node:path';
import { householdEffectOption } from '../../analysis/model/household-effect.js';
import type { HouseholdEffectSetting } from '../../data/analysis-plan.js';
import { UsageError } from '../../errors.js';
import type { ReportSource } from '../../report/prepare-report-inputs.js';
import { prepareReportInputs } from '../../report/prepare-report-inputs.js';
import type { WrittenReport } from '../../report/write-report.js';
import { checkChromium } from '../../report/write-report-pdf.js';
import type { PilotCommand } from '../command.js';
import { dateRules, dateWindowOption, numberRules, SEED_RULE } from '../command.js';
import { EXPORT_OPTIONS } from '../export-options.js';
import { fitProgress } from '../fit-progress.js';
import { HOUSEHOLD_EFFECT_OPTION } from '../household-effect-option.js';
import type { StudyFileArgs } from '../study-options.js';
import { studyFileOptions, studyFilesOf } from '../study-options.js';

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
  force: boolean;
  plan?: string;
  deviate?: string[];
  householdEffect?: HouseholdEffectSetting;
  costs?: string;
  replaceCosts: boolean;
}

/** The few lines the command prints: what was reported, the headline, the decision, where it is. */
function summaryOf(written: readonly WrittenReport[], seed: number) {
  const [main, ...districts] = written;
  const d = main.data.decision;
  const rule = `at least ${Math.round(100 * d.applied.min_certainty)}% certain absences went down${d.applied.threshold > 0 ? ` by ${Math.round(100 * d.applied.threshold)}% or more` : ''}`;
  const decision = `${d.working ? 'working' : 'not shown to work'} as a ${d.effort}-effort intervention (the rule: ${rule}; ${d.basis === 'network' ? 'across the network ' : ''}we are ${Math.round(100 * d.applied.certainty)}% certain)`;
  const lines = [
    `${main.data.title} (seed ${seed})`,
    ...main.data.cautions.map((c) => `CAUTION: ${c}`),
    main.data.headline,
    `Decision: ${decision}`,
    `Wrote ${main.html}${main.pdf ? ` and ${main.pdf}` : ''}, report.json and the chart specs (.vl.json)`,
    ...(districts.length > 0
      ? [`  and ${districts.length} district reports: ${districts.map((r) => relative(main.dir, r.html)).join(', ')}`]
      : []),
  ];
  const json = {
    title: main.data.title,
    headline: main.data.headline,
    decision: {
      effort: d.effort,
      working: d.working,
      certainty: d.applied.certainty,
      min_certainty: d.applied.min_certainty,
      threshold: d.applied.threshold,
      basis: d.basis,
    },
    flagged: main.data.methods.diagnostics.flagged,
    approximate: main.data.methods.approximate,
    seed,
    reports: written.map((r) => ({
      scope: r.data.scope.kind,
      district: r.data.scope.district ?? null,
      dir: r.dir,
      html: r.html,
      pdf: r.pdf ?? null,
      headline: r.data.headline,
    })),
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
      .option('seed', { type: 'number', describe: 'random seed of the fit (generated and printed when not given)' })
      .option('household-effect', HOUSEHOLD_EFFECT_OPTION)
      .option('chains', { type: 'number', default: 4, describe: 'chains of the fit' })
      .option('warmup', { type: 'number', default: 1000, describe: 'warmup iterations per chain' })
      .option('draws-per-chain', { type: 'number', default: 1000, describe: 'draws per chain after warmup' })
      .option('by', { choices: ['district'] as const, describe: 'also one report per district, beside the network report' })
      .option('effort', {
        choices: ['low', 'high'] as const,
        describe: "decision rule: low P(effect>0)>=0.8, high P(effect>=0.05)>=0.9 (default: the analysis's, or low)",
      })
      .option('plan', {
        type: 'string',
        describe: "with the study files alone: the study's locked analysis-plan.json (default: beside the assignment)",
      })
      .option('deviate', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'REASON for departing from the locked plan (--effort, or the window of a fit run here); repeatable',
      })
      .option('costs', {
        type: 'string',
        describe: 'costs.json, learnt after the analysis: the report adds what the messages cost (as analyze --costs would)',
      })
      .option('replace-costs', {
        type: 'boolean',
        default: false,
        describe: 'with --costs: report these costs although the analysis has other ones (the report says they were given to it)',
      })
      .option('out', { type: 'string', describe: 'report folder (default reports/<from>_<to>, or reports/report)' })
      .option('pdf', { type: 'boolean', default: false, describe: "also print report.pdf (needs Debian's chromium at /usr/bin/chromium)" })
      .option('force', { type: 'boolean', default: false, describe: 'replace a report already in --out (files it did not write are kept)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .group(
        ['analysis', 'draws', 'roster', 'assignments', 'attendance', 'calendar', ...EXPORT_OPTIONS],
        'Inputs (an analysis, the study files, or both):',
      )
      .group(['from', 'to', 'baseline-from', 'baseline-to', 'baseline-attendance', 'assignment-date'], 'Windows (with the study files):')
      .group(['seed', 'household-effect', 'chains', 'warmup', 'draws-per-chain'], 'Fit (study files without --analysis):')
      .group(['by', 'effort', 'plan', 'deviate', 'costs', 'replace-costs'], 'Report:')
      .group(['out', 'pdf', 'force', 'json'], 'Output:')
      .check(
        numberRules('report', {
          chains: { whole: true, min: 1 },
          warmup: { whole: true, min: 0 },
          'draws-per-chain': { whole: true, min: 4 },
          seed: SEED_RULE,
        }),
      )
      .check(dateRules('report', ['assignment-date']))
      .check((argv) => Boolean(sourceOf(argv as unknown as ReportArgs)))
      .check((argv) => {
        if (argv.replaceCosts && argv.costs === undefined)
          throw new UsageError('report', "--replace-costs goes with --costs (the costs that replace the analysis's)");
        return true;
      }),
  examples: [
    {
      line: 'pilot report --analysis results --by district --out reports/fixtures',
      does: 'report on a finished `pilot analyze` result (see `pilot analyze --help`), one page per district too',
    },
    {
      line: 'pilot report --roster fixtures/roster.csv --assignments fixtures/study/assignments.csv --attendance fixtures/attendance.csv.gz --calendar fixtures/calendar.csv --from 2025-09-15 --to 2026-05-29 --seed 7 --by district',
      does: 'fit and report in one step, into reports/2025-09-15_2026-05-29',
    },
  ],
  handler: async (args, io) => {
    // Checked again where the browser starts; asked here too so a missing Chromium is said
    // before a fit of several minutes, not after it.
    if (args.pdf) await checkChromium();
    const progress = fitProgress(io);
    const fit = {
      effort: args.effort,
      seed: args.seed,
      chains: args.chains,
      warmup: args.warmup,
      draws: args.drawsPerChain,
      householdEffect: householdEffectOption(args.householdEffect),
      onProgress: progress.onProgress,
      onStep: (m: string) => io.stderr(m),
      plan: args.plan,
      deviate: args.deviate,
      costs: args.costs,
      replaceCosts: args.replaceCosts,
    };
    const inputs = await prepareReportInputs(sourceOf(args), fit).finally(progress.stop);
    const window = inputs.analysis.window;
    const out = args.out ?? join('reports', window ? `${window.from}_${window.to}` : 'report');
    // Loaded here, not at the top: vega and vega-lite take most of a second to load, and
    // every other `pilot` command would pay for them.
    const { writeReport } = await import('../../report/write-report.js');
    const written = await writeReport(out, inputs, {
      byDistrict: args.by === 'district',
      pdf: args.pdf,
      force: args.force,
      onProgress: (m) => io.stderr(m),
    });
    if (args.by === 'district' && written.length === 1)
      io.stderr("--by district: the analysis has one district, so the report is that district's");
    const summary = summaryOf(written, inputs.seed);
    io.stdout(args.json ? JSON.stringify(summary.json, null, 2) : summary.text);
  },
};

/**
 * What the report is made from, as the options give it: an analysis, the study files, or
 * both. A usage error (before anything is read) for a partial set of study files, neither
 * input, draws without their analysis, or a malformed window.
 */
function sourceOf(args: ReportArgs): ReportSource {
  const files = [args.roster, args.assignments, args.attendance];
  const someStudy = files.some((f) => f !== undefined) || args.calendar !== undefined;
  if (someStudy && files.some((f) => f === undefined))
    throw new UsageError(
      'report',
      'the study files go together: give --roster, --assignments and --attendance (and --calendar if the school has one)',
    );
  if (!args.analysis && !someStudy)
    throw new UsageError(
      'report',
      'report needs --analysis DIR (a `pilot analyze` result) or the study files --roster, --assignments, --attendance with --from and --to',
    );
  if (args.draws && !args.analysis)
    throw new UsageError('report', '--draws goes with --analysis (with the study files, the report runs the fit and has the draws itself)');
  if (args.householdEffect !== undefined && args.analysis)
    throw new UsageError(
      'report',
      "--household-effect goes with the study files alone (an analysis's fit is made: its model.household_effect says which model it fitted)",
    );
  const window = dateWindowOption('report', args.from, args.to, ['--from', '--to']);
  const baseline = dateWindowOption('report', args.baselineFrom, args.baselineTo, ['--baseline-from', '--baseline-to']);
  const study = someStudy ? studyFilesOf(args) : undefined;
  return { analysis: args.analysis, drawsFile: args.draws, study, window, baseline, assignmentDate: args.assignmentDate };
}
