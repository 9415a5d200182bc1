import { join } from 'node:path';
import type { AnalysisPlanFollowed, AnalysisResult } from '../../analysis/analysis-result.js';
import { householdEffectOption } from '../../analysis/model/household-effect.js';
import type { HouseholdEffectSetting } from '../../data/analysis-plan.js';
import { formatIssue, UsageError } from '../../errors.js';
import type { ModelTableSource, StudyFilesSource } from '../../study/analyze-study.js';
import { analyzeStudy } from '../../study/analyze-study.js';
import type { PilotCommand } from '../command.js';
import { dateRules, dateWindowOption, listOption, numberRules, SEED_RULE } from '../command.js';
import { EXPORT_OPTIONS } from '../export-options.js';
import { fitProgress } from '../fit-progress.js';
import { HOUSEHOLD_EFFECT_OPTION } from '../household-effect-option.js';
import type { StudyFileArgs } from '../study-options.js';
import { studyFileOptions, studyFilesOf } from '../study-options.js';

interface AnalyzeArgs extends StudyFileArgs {
  table?: string;
  out: string;
  seed?: number;
  chains: number;
  warmup: number;
  drawsPerChain: number;
  /** The old name of --draws-per-chain, kept hidden for scripts that use it. */
  draws?: number;
  effort?: 'low' | 'high';
  thresholds?: number[];
  priorMean?: number;
  priorSd?: number;
  plan?: string;
  deviate?: string[];
  subgroups?: string[];
  costs?: string;
  deliveries?: string;
  receivedAtLeast?: number;
  adaptDelta?: number;
  drawsCsv: boolean;
  force: boolean;
  json: boolean;
  method: 'nuts' | 'laplace';
  householdEffect?: HouseholdEffectSetting;
}

/** Whether the analysis followed the study's locked plan, in a line: when it was locked, and each departure. */
function planLine(plan: AnalysisPlanFollowed): string {
  const timing = `${plan.locked_before_window ? 'before' : 'NOT before'} the window began ${plan.window_from}`;
  const departures = plan.deviations.map((d) => `${d.field} (${d.option}: "${d.reason}")`).join(', ');
  return `Analysis plan: locked ${plan.locked_at} (${timing}); ${departures ? `departs from it in ${departures}` : 'followed in every choice'}`;
}

/** The few lines the command prints: the effect, the certainty, the decision and the checks. */
function summaryOf(result: AnalysisResult, out: string) {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const d = result.diagnostics;
  const checks = d.flagged
    ? `FLAGGED: ${d.warnings.join('; ')}`
    : `ok (R-hat max ${d.rhat_max.toFixed(3)}, bulk-ESS of the effect ${Math.round(d.ess_bulk_effect)}, ${d.divergences} divergences${d.refits.length > 0 ? `, refit at adapt_delta ${d.adapt_delta}` : ''})`;
  const lines = [
    `Effect of sending the messages${result.model.network ? ` (network of ${result.model.n_districts} districts)` : ''}: ${pct(result.effect.median)} fewer absences (90% interval ${pct(result.effect.q05)} to ${pct(result.effect.q95)})${result.approximate ? ' [APPROXIMATE: Laplace preview, not the reported fit]' : ''}`,
    `Certainty: ${Object.entries(result.certainty)
      .map(([t, p]) => `P(effect > ${t}) = ${p.toFixed(3)}`)
      .join(', ')}`,
    `Decision (${result.decision.effort} effort): ${result.decision.working ? 'working' : 'not shown to work'} (P(effect > ${result.decision.applied.threshold}) = ${result.decision.applied.certainty.toFixed(3)}, needs ${result.decision.applied.min_certainty})`,
    `Diagnostics: ${checks}`,
    ...(result.arms_in_effect
      ? [
          `Outcomes from ${result.window?.from} on; the arms took effect ${result.arms_in_effect.date} (${{ assignment: "the assignment's date", simulation: 'the first day of the simulated outcomes', stated: 'stated with --assignment-date' }[result.arms_in_effect.source]})`,
        ]
      : []),
    ...(result.analysis_plan ? [planLine(result.analysis_plan)] : []),
    ...subgroupLines(result),
    ...derivedFigureLines(result),
    `Seed ${result.seed}; wrote ${join(out, 'analysis.json')}`,
  ];
  const json = {
    effect: result.effect,
    certainty: result.certainty,
    decision: { effort: result.decision.effort, working: result.decision.working },
    approximate: result.approximate,
    diagnostics: {
      flagged: d.flagged,
      rhat_max: d.rhat_max,
      ess_bulk_effect: d.ess_bulk_effect,
      divergences: d.divergences,
      adapt_delta: d.adapt_delta,
      warnings: d.warnings,
    },
    seed: result.seed,
    out,
  };
  return { text: lines.join('\n'), json };
}

export const analyzeCommand: PilotCommand<AnalyzeArgs> = {
  command: 'analyze',
  describe: 'Estimate the effect on absences with the standard absence model (NUTS, validated against Stan)',
  builder: (y) =>
    studyFileOptions(y, 'with --assignments, --attendance, --from, --to instead of --table')
      .option('table', {
        type: 'string',
        describe: 'model_input.csv: student_id, y, e, treat, block, district[, baseline_absences, baseline_days]',
      })
      .option('method', {
        choices: ['nuts', 'laplace'] as const,
        default: 'nuts' as const,
        describe: 'laplace: a fast approximate preview',
      })
      .option('household-effect', HOUSEHOLD_EFFECT_OPTION)
      .option('chains', { type: 'number', default: 4, describe: 'Markov chains' })
      .option('warmup', { type: 'number', default: 1000, describe: 'warmup iterations per chain' })
      .option('draws-per-chain', { type: 'number', default: 1000, describe: 'draws per chain after warmup' })
      .option('draws', { type: 'number', hidden: true, describe: 'the old name of --draws-per-chain' })
      .option('prior-mean', { type: 'number', describe: "prior mean of the effect parameter (log rate ratio; default the plan's, or 0)" })
      .option('prior-sd', { type: 'number', describe: "prior sd of the effect parameter (default the plan's, or 0.5)" })
      .option('adapt-delta', {
        type: 'number',
        describe: 'target acceptance of the first fit (default 0.8, the subgroup fit 0.9; refits use 0.95, 0.99)',
      })
      .option('seed', { type: 'number', describe: 'random seed (generated and printed when not given)' })
      .option('effort', {
        choices: ['low', 'high'] as const,
        describe: "decision rule: low P(effect>0)>=0.8, high P(effect>=0.05)>=0.9 (default the plan's, or low)",
      })
      .option('thresholds', {
        type: 'string',
        coerce: thresholdsOption,
        describe: "report P(effect > t) for these t (default the plan's, or 0,0.05)",
      })
      .option('subgroups', {
        type: 'string',
        coerce: subgroupsOption,
        describe:
          "effects by subgroup of these factors: prior_tier, grade_band, language, mode or a roster field (default the plan's, or none)",
      })
      .option('plan', {
        type: 'string',
        describe: "the study's locked analysis-plan.json (default: beside the assignment, when its manifest records one)",
      })
      .option('deviate', {
        type: 'string',
        array: true,
        requiresArg: true,
        describe: 'REASON for departing from the locked plan (one for all, or one per departure; repeatable)',
      })
      .option('costs', {
        type: 'string',
        describe:
          'costs.json: prices and the message lists they apply to; adds the cost per student, per day gained and per student no longer chronically absent',
      })
      .option('deliveries', {
        type: 'string',
        describe:
          'delivered-per-student.csv from pilot deliveries (or its folder): adds the effect for students whose caregivers received the messages',
      })
      .option('received-at-least', {
        type: 'number',
        describe: "with --deliveries: a student received the messages with at least K delivered (default the plan's, or 1)",
      })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder (analysis.json)' })
      .option('draws-csv', { type: 'boolean', default: false, describe: 'also write draws.csv' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an analysis already in --out (never an input of the run)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .group(['roster', 'assignments', 'attendance', 'calendar', ...EXPORT_OPTIONS, 'table'], 'Inputs (the study files, or --table):')
      .group(['from', 'to', 'baseline-from', 'baseline-to', 'baseline-attendance', 'assignment-date'], 'Windows (with the study files):')
      .group(
        ['method', 'household-effect', 'chains', 'warmup', 'draws-per-chain', 'prior-mean', 'prior-sd', 'adapt-delta', 'seed'],
        'Model:',
      )
      .group(['effort', 'thresholds', 'subgroups', 'plan', 'deviate'], 'Decision (a locked plan sets these):')
      .group(['deliveries', 'received-at-least', 'costs'], 'Effect when delivered, and costs:')
      .group(['out', 'draws-csv', 'force', 'json'], 'Output:')
      .check(
        numberRules('analyze', {
          chains: { whole: true, min: 1 },
          warmup: { whole: true, min: 0 },
          'draws-per-chain': DRAWS_RULE,
          draws: DRAWS_RULE,
          'prior-mean': {},
          'prior-sd': { above: 0 },
          'adapt-delta': { above: 0, below: 1 },
          seed: SEED_RULE,
          'received-at-least': { whole: true, min: 1 },
        }),
      )
      .check(dateRules('analyze', ['assignment-date']))
      .check((argv) => Boolean(sourceOf(argv as unknown as AnalyzeArgs))),
  examples: [
    {
      line: 'pilot analyze --roster fixtures/roster.csv --assignments fixtures/study/assignments.csv --attendance fixtures/attendance.csv.gz --calendar fixtures/calendar.csv --from 2025-09-15 --to 2026-05-29 --out results --seed 42',
      does: 'build results/model_input.csv from the study files, fit, and write results/analysis.json',
    },
    {
      line: 'pilot analyze --table results/model_input.csv --out results-again --seed 42',
      does: 'fit that model table again: the same result',
    },
    {
      line: 'pilot analyze --table results/model_input.csv --out preview --method laplace',
      does: 'a preview in seconds, marked approximate',
    },
  ],
  handler: async (args, io) => {
    if (args.draws !== undefined) io.stderr('note: --draws is now --draws-per-chain (report --draws names a file)');
    const progress = fitProgress(io);
    const options = {
      seed: args.seed,
      chains: args.chains,
      warmup: args.warmup,
      draws: args.draws ?? args.drawsPerChain,
      effort: args.effort,
      thresholds: args.thresholds,
      effectPrior: { mean: args.priorMean, sd: args.priorSd },
      adaptDelta: args.adaptDelta,
      plan: args.plan,
      deviate: args.deviate,
      subgroups: args.subgroups,
      costs: args.costs,
      deliveries: args.deliveries,
      receivedAtLeast: args.receivedAtLeast,
      householdEffect: householdEffectOption(args.householdEffect),
    };
    const study = await analyzeStudy(sourceOf(args), {
      ...options,
      method: args.method,
      out: args.out,
      drawsCsv: args.drawsCsv,
      force: args.force,
      onProgress: progress.onProgress,
    }).finally(progress.stop);
    for (const warning of study.warnings) io.stderr(`warning: ${formatIssue(warning)}`);
    const summary = summaryOf(study.result, args.out);
    io.stdout(args.json ? JSON.stringify(summary.json, null, 2) : summary.text);
  },
};

/** The sampler's floor: fewer than 4 draws per chain cannot be split for R-hat. */
const DRAWS_RULE = { whole: true, min: 4 } as const;

const STUDY_OPTIONS = ['roster', 'assignments', 'attendance'] as const;

/**
 * What to fit: a model table (`--table`), or the study files over the outcome window.
 * Throws a usage error for a mix of the two or an incomplete set, before anything is read.
 */
function sourceOf(args: AnalyzeArgs): ModelTableSource | StudyFilesSource {
  const given = STUDY_OPTIONS.filter((name) => args[name] !== undefined);
  if (args.table !== undefined) {
    const studyOnly = [
      ...given,
      ...(args.from || args.to ? ['from/--to'] : []),
      ...(args.plan || args.deviate ? ['plan/--deviate'] : []),
      ...(args.calendar ? ['calendar'] : []),
      ...(args.map ? ['map'] : []),
      ...(args.district ? ['district'] : []),
      ...(args.includeDisabled ? ['include-disabled'] : []),
      ...(args.baselineFrom || args.baselineTo ? ['baseline-from/--baseline-to'] : []),
      ...(args.baselineAttendance ? ['baseline-attendance'] : []),
      ...(args.assignmentDate ? ['assignment-date'] : []),
    ];
    if (studyOnly.length > 0)
      throw new UsageError(
        'analyze',
        `--table cannot be combined with --${studyOnly.join(', --')}: give either a model table or the study files`,
      );
    return { table: args.table };
  }
  // The window may come from a locked plan, but half of one is a mistake said with the rest.
  const halfWindow =
    args.from !== undefined && args.to === undefined ? ['to'] : args.to !== undefined && args.from === undefined ? ['from'] : [];
  const missing = [...STUDY_OPTIONS.filter((name) => args[name] === undefined), ...halfWindow];
  if (given.length === 0)
    throw new UsageError(
      'analyze',
      'give --table model_input.csv, or the study files: --roster, --assignments, --attendance, and --from and --to (unless the study has a locked analysis plan)',
    );
  if (missing.length > 0)
    throw new UsageError('analyze', `building the model table from study files also needs ${missing.map((m) => `--${m}`).join(', ')}`);
  const window = dateWindowOption('analyze', args.from, args.to, ['--from', '--to']);
  const baseline = dateWindowOption('analyze', args.baselineFrom, args.baselineTo, ['--baseline-from', '--baseline-to']);
  return { ...studyFilesOf(args), window, baseline, assignmentDate: args.assignmentDate };
}

/** `prior_tier,grade_band` as factor names: words of letters, digits and underscores. */
function subgroupsOption(value: string): string[] {
  const names = listOption(value) ?? [];
  const bad = names.find((name) => !/^[A-Za-z][A-Za-z0-9_]*$/.test(name));
  if (names.length === 0 || bad !== undefined)
    throw new UsageError(
      'analyze',
      `--subgroups takes factor names separated by commas (prior_tier, grade_band, language, mode or a roster field), got "${value}"`,
    );
  return names;
}

/** One line per subgroup factor: each level's effect and 90% interval, and whether the factor was planned. */
function subgroupLines(result: AnalysisResult): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const subgroups = result.subgroups;
  if (!subgroups) return [];
  if (subgroups.diagnostics.flagged) return [`Subgroups: FLAGGED, not to be presented: ${subgroups.diagnostics.warnings.join('; ')}`];
  return subgroups.factors.map(
    (f) =>
      `Subgroups by ${f.factor} (${f.status}): ${f.levels
        .map((l) =>
          l.effect ? `${l.level} ${pct(l.effect.median)} (${pct(l.effect.q05)} to ${pct(l.effect.q95)})` : `${l.level} suppressed`,
        )
        .join('; ')}`,
  );
}

/** One line each for chronic absence and, with --costs, what the messages cost per student and per day gained. */
function derivedFigureLines(result: AnalysisResult): string[] {
  const lines: string[] = [];
  const chronic = result.chronic_absence;
  if (chronic) {
    const d = chronic.difference_points;
    lines.push(
      `Chronic absence: ${(100 * chronic.share_treatment.median).toFixed(1)}% with the messages, ${(100 * chronic.share_control.median).toFixed(1)}% without: ${d.median.toFixed(2)} points (90% interval ${d.q05.toFixed(2)} to ${d.q95.toFixed(2)}); P(it fell) = ${chronic.certainty_fell.toFixed(3)} ± ${chronic.certainty_fell_mc_error.toFixed(3)}`,
    );
  }
  const delivered = result.delivered_effect;
  if (delivered?.effect) {
    const e = delivered.effect;
    lines.push(
      `Effect when delivered (${(100 * delivered.treatment.share_received).toFixed(1)}% of the treatment arm received ${delivered.received_at_least} or more): ${(100 * e.median).toFixed(1)}% fewer absences (90% interval ${(100 * e.q05).toFixed(1)}% to ${(100 * e.q95).toFixed(1)}%), ${delivered.days_avoided_per_complier!.median.toFixed(2)} days per student reached`,
    );
  } else if (delivered) lines.push('Effect when delivered: not estimable (no more treated than control students received the messages)');
  const costs = result.costs;
  if (costs) {
    const money = (v: number | null) => (v === null ? 'unbounded' : `${costs.currency}${v.toFixed(2)}`);
    const perDay = costs.cost_per_day_gained;
    lines.push(
      `Costs: ${money(costs.total)} in all, ${money(costs.cost_per_student)} per student sent the messages; ${money(perDay.median)} per day of school gained (90% interval ${money(perDay.q05)} to ${money(perDay.q95)})`,
    );
  }
  return lines;
}

/** `0,0.05` as numbers below 1 (a share of absences avoided). */
function thresholdsOption(value: string): number[] {
  const thresholds = (listOption(value) ?? []).map(Number);
  if (thresholds.some((t) => !Number.isFinite(t) || t >= 1))
    throw new UsageError('analyze', `--thresholds must be numbers below 1 (shares, such as 0,0.05), got "${value}"`);
  return thresholds;
}
