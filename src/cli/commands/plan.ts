import cliProgress from 'cli-progress';
import type { HouseholdEffectSetting } from '../../data/analysis-plan.js';
import { HOUSEHOLD_EFFECT_SETTINGS } from '../../data/analysis-plan.js';
import { parseIsoDate } from '../../data/parse-values.js';
import { ASSIGNMENT_ROSTER_COLUMNS } from '../../data/read-roster.js';
import { readRosterSource } from '../../data/read-roster-source.js';
import { UsageError } from '../../errors.js';
import { formatTable } from '../../io/format-table.js';
import { planDesignFromRoster } from '../../planning/plan-design-from-roster.js';
import { planDesignFromSizes } from '../../planning/plan-design-from-sizes.js';
import type { PlanResult } from '../../planning/plan-study.js';
import { planStudy } from '../../planning/plan-study.js';
import { writePlanFiles } from '../../planning/write-plan-files.js';
import { createRng, generateSeed } from '../../random.js';
import { renderChartSvg } from '../../report/render-chart-svg.js';
import { buildAnalysisPlan, lockAnalysisPlan } from '../../study/lock-analysis-plan.js';
import type { PilotCommand } from '../command.js';
import { dateRules, dateWindowOption, formatCommandLine, listOption, numberRules } from '../command.js';
import type { CliIo } from '../io.js';

interface PlanArgs {
  roster?: string;
  students?: number;
  districts?: number;
  blocksPerDistrict: number;
  absenceRate: number;
  windowDays: number;
  effects?: string;
  effectPrior?: string;
  simulations: number;
  phi: number;
  baselineSlope: number;
  tau: number;
  priorMean: number;
  priorSd: number;
  check: number;
  seed?: number;
  out?: string;
  json: boolean;
  lock: boolean;
  study?: string;
  from?: string;
  to?: string;
  effort?: 'low' | 'high';
  thresholds?: string;
  subgroups?: string;
  receivedAtLeast?: number;
  householdEffect?: HouseholdEffectSetting;
  interimLooks?: string;
}

/** Options of the analysis plan: they only mean something with --lock. */
const LOCK_OPTIONS = [
  'study',
  'from',
  'to',
  'effort',
  'thresholds',
  'subgroups',
  'received-at-least',
  'household-effect',
  'interim-looks',
] as const;

/** A comma-separated list of numbers, named by its flag when one is not a number. */
function numbersOption(flag: string, value: string | undefined): number[] | undefined {
  const parts = listOption(value);
  if (parts === undefined) return undefined;
  const numbers = parts.map(Number);
  if (numbers.length === 0 || numbers.some((n) => !Number.isFinite(n)))
    throw new UsageError('plan', `--${flag} must be numbers separated by commas, got "${value}"`);
  return numbers;
}

/** A roster, or sizes (not both, not neither: with --lock, neither is allowed); effects below 1 and a prior MEAN,SD: a bad command line otherwise. */
function checkDesignAndEffects(args: PlanArgs): void {
  const sizes = args.students !== undefined || args.districts !== undefined;
  if (args.roster !== undefined && sizes) throw new UsageError('plan', 'give either --roster, or --students and --districts');
  if (args.roster === undefined && !sizes && !args.lock)
    throw new UsageError('plan', 'give either --roster, or --students and --districts (or --lock to lock an analysis plan only)');
  if (sizes && (args.students === undefined || args.districts === undefined))
    throw new UsageError('plan', '--students and --districts go together');
  const effects = numbersOption('effects', args.effects);
  const prior = numbersOption('effect-prior', args.effectPrior);
  if (prior && !(prior.length === 2 && prior[0] < 1 && prior[1] > 0))
    throw new UsageError('plan', `--effect-prior must be MEAN,SD with MEAN below 1 and SD above 0, got "${args.effectPrior}"`);
  if (effects?.some((e) => !(e < 1)))
    throw new UsageError('plan', `--effects must each be below 1 (a share of absences avoided), got "${args.effects}"`);
  checkLock(args);
}

/** --lock needs the window and a place (a study folder, or --out); the plan's options need --lock. */
function checkLock(args: PlanArgs): void {
  const camel = (flag: string) => flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as keyof PlanArgs;
  const given = LOCK_OPTIONS.filter((flag) => args[camel(flag)] !== undefined);
  if (!args.lock && given.length > 0)
    throw new UsageError('plan', `--${given.join(', --')} describe the analysis plan: they go with --lock`);
  if (!args.lock) return;
  if (args.from === undefined || args.to === undefined) throw new UsageError('plan', '--lock needs the outcome window: --from and --to');
  dateWindowOption('plan', args.from, args.to, ['--from', '--to']);
  if ((args.study === undefined) === (args.out === undefined))
    throw new UsageError(
      'plan',
      '--lock writes analysis-plan.json into --study DIR (an assigned study: locked now) or --out DIR (locked later by pilot assign --plan): give one',
    );
  if (numbersOption('thresholds', args.thresholds)?.some((t) => !(t < 1)))
    throw new UsageError('plan', `--thresholds must be numbers below 1 (shares, such as 0,0.05), got "${args.thresholds}"`);
  for (const day of listOption(args.interimLooks) ?? [])
    if (!parseIsoDate(day)) throw new UsageError('plan', `--interim-looks must be dates (YYYY-MM-DD) separated by commas, got "${day}"`);
}

/** The analysis plan the options describe, written (and, in a study, locked in its manifest). */
async function lockPlanOf(args: PlanArgs, command: string): Promise<string> {
  const plan = buildAnalysisPlan({
    window: { from: args.from!, to: args.to! },
    effort: args.effort,
    thresholds: numbersOption('thresholds', args.thresholds),
    effectPrior: { mean: args.priorMean, sd: args.priorSd },
    subgroups: listOption(args.subgroups),
    receivedAtLeast: args.receivedAtLeast,
    householdEffect: args.householdEffect,
    interimLooks: listOption(args.interimLooks),
  });
  const { file, manifest } = await lockAnalysisPlan(plan, { study: args.study, out: args.study ? undefined : args.out, command });
  return manifest
    ? `Locked the analysis plan: wrote ${file}; the study's manifest records its SHA-256 and the time (${manifest.analysis_plan!.locked_at}).`
    : `Wrote ${file}; lock it with the assignment: pilot assign --plan ${file} ...`;
}

/** The design to plan: the roster's, or one drawn from the sizes with the seed's own stream. */
async function designOf(args: PlanArgs, seed: number) {
  if (args.roster !== undefined) {
    const { students } = await readRosterSource(args.roster, ASSIGNMENT_ROSTER_COLUMNS);
    return planDesignFromRoster(students, { windowDays: args.windowDays, absenceRate: args.absenceRate });
  }
  return planDesignFromSizes(createRng(`${seed}/design`), {
    students: args.students!,
    districts: args.districts!,
    blocksPerDistrict: args.blocksPerDistrict,
    absenceRate: args.absenceRate,
    windowDays: args.windowDays,
  });
}

/** Studies done, as a bar on a terminal (a plan of minutes should show it moves); nothing in logs. */
function studiesProgress(io: CliIo): { onProgress?: (done: number, total: number) => void; stop: () => void } {
  if (!io.interactive) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'simulating studies [{bar}] {percentage}% | ETA {eta}s', clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

const pct = (v: number | null, digits = 1) => (v === null ? 'not reached' : `${(100 * v).toFixed(digits)}%`);

function summaryOf(plan: PlanResult): string {
  const d = plan.design;
  const lines = [
    `${d.students} students in ${d.districts} district(s), ${d.blocks} blocks, ${d.window_days}-day window, absence rate ${pct(d.absence_rate)}; ${plan.simulations} simulated studies per effect (seed ${plan.seed}).`,
    '',
    formatTable(
      ['effect', 'P(working), low effort', 'P(working), demanding'],
      plan.rows.map((r) => [
        pct(r.effect),
        `${pct(r.p_working_low)} ± ${pct(r.mc_se_low)}`,
        `${pct(r.p_working_high)} ± ${pct(r.mc_se_high)}`,
      ]),
    ),
    '',
    `False "working" at no effect: ${pct(plan.false_working.low)} (low effort), ${pct(plan.false_working.high)} (demanding).`,
    `Smallest effect with a ${pct(plan.target_probability, 0)} chance of "working": ${pct(plan.smallest_effect.low)} (low effort), ${pct(plan.smallest_effect.high)} (demanding).`,
  ];
  if (plan.assurance)
    lines.push(
      `Assurance over effect ~ Normal(${plan.assurance.prior.mean}, ${plan.assurance.prior.sd}): ${pct(plan.assurance.p_working_low)} (low effort), ${pct(plan.assurance.p_working_high)} (demanding).`,
    );
  if (plan.check) {
    const c = plan.check;
    lines.push(
      `Checked against NUTS on ${c.studies} studies: certainty differs by ${c.mean_difference_low.toFixed(3)} on average (largest ${c.max_difference_low.toFixed(3)}); decisions agree in ${c.decisions_agree_low} (low effort) and ${c.decisions_agree_high} (demanding) of ${c.studies}.`,
    );
  }
  return lines.join('\n');
}

export const planCommand: PilotCommand<PlanArgs> = {
  command: 'plan',
  describe: 'Before a study: the chance it ends "working" for each true effect (power, assurance)',
  builder: (y) =>
    y
      .option('roster', {
        type: 'string',
        describe: "the study's roster (CSV or OneRoster): its blocks, households and last year's absences",
      })
      .option('students', { type: 'number', describe: 'without a roster: students in the study' })
      .option('districts', { type: 'number', describe: 'without a roster: districts' })
      .option('blocks-per-district', { type: 'number', default: 4, describe: 'without a roster: randomization blocks per district' })
      .option('absence-rate', { type: 'number', default: 0.07, describe: 'without a roster (or baselines): share of days absent' })
      .option('window-days', { type: 'number', default: 40, describe: 'school days in the outcome window' })
      .option('effects', {
        type: 'string',
        describe: 'true effects to simulate, shares of absences avoided (0 is always added; default 0,0.01,...,0.09)',
      })
      .option('effect-prior', { type: 'string', describe: 'MEAN,SD: a normal prior over the true effect; adds the assurance' })
      .option('simulations', { type: 'number', default: 200, describe: 'simulated studies per effect' })
      .option('phi', { type: 'number', default: 2, describe: "assumed dispersion of a student's absences (negative binomial phi)" })
      .option('baseline-slope', { type: 'number', default: 0.6, describe: "assumed slope of last year's (standardized log) absence rate" })
      .option('tau', { type: 'number', default: 0.05, describe: 'assumed spread of the effect between districts (log scale)' })
      .option('prior-mean', { type: 'number', default: 0, describe: "the analysis' prior mean of the effect parameter (log rate ratio)" })
      .option('prior-sd', { type: 'number', default: 0.5, describe: "the analysis' prior sd of the effect parameter" })
      .option('check', {
        type: 'number',
        default: 0,
        describe: 'refit this many simulated studies with the full NUTS fit and compare (slow)',
      })
      .option('seed', { type: 'number', describe: 'random seed (generated and printed when not given)' })
      .option('out', { type: 'string', describe: 'folder for plan.csv, plan.json and plan.html' })
      .option('json', { type: 'boolean', default: false, describe: 'print the plan as JSON' })
      .group(['roster', 'students', 'districts', 'blocks-per-district', 'absence-rate', 'window-days'], 'Design (a roster, or sizes):')
      .group(['effects', 'effect-prior', 'simulations', 'seed'], 'Effects:')
      .group(['phi', 'baseline-slope', 'tau', 'prior-mean', 'prior-sd', 'check'], 'Assumptions and analysis:')
      .option('lock', { type: 'boolean', default: false, describe: 'write analysis-plan.json, the analysis fixed before the outcomes' })
      .option('study', { type: 'string', describe: 'with --lock: an assigned study folder; the plan is locked in its manifest' })
      .option('from', { type: 'string', describe: 'with --lock: first day of the outcome window (YYYY-MM-DD)' })
      .option('to', { type: 'string', describe: 'with --lock: last day of the outcome window (YYYY-MM-DD)' })
      .option('effort', {
        choices: ['low', 'high'] as const,
        describe: 'with --lock: decision rule, low P(effect>0)>=0.8 (default), high P(effect>=0.05)>=0.9',
      })
      .option('thresholds', { type: 'string', describe: 'with --lock: report P(effect > t) for these t (default 0,0.05)' })
      .option('subgroups', { type: 'string', describe: 'with --lock: roster columns whose subgroups are estimated (default none)' })
      .option('received-at-least', { type: 'number', describe: 'with --lock: "delivered" means at least this many messages (default 1)' })
      .option('household-effect', {
        choices: HOUSEHOLD_EFFECT_SETTINGS,
        describe: 'with --lock: the household random effect, auto (where siblings are common), on or off (default auto)',
      })
      .option('interim-looks', { type: 'string', describe: 'with --lock: dates of interim looks, YYYY-MM-DD,... (default none)' })
      .group(
        ['lock', 'study', 'from', 'to', 'effort', 'thresholds', 'subgroups', 'received-at-least', 'household-effect', 'interim-looks'],
        'Analysis plan (--lock):',
      )
      .group(['out', 'json'], 'Output:')
      .check(
        numberRules('plan', {
          students: { whole: true, min: 2 },
          districts: { whole: true, min: 1 },
          'blocks-per-district': { whole: true, min: 1 },
          'absence-rate': { above: 0, below: 1 },
          'window-days': { whole: true, min: 1 },
          simulations: { whole: true, min: 1 },
          phi: { above: 0 },
          tau: { min: 0 },
          'prior-sd': { above: 0 },
          check: { whole: true, min: 0 },
          seed: { whole: true, min: 0 },
          'received-at-least': { whole: true, min: 1 },
        }),
      )
      .check(dateRules('plan', ['from', 'to']))
      .check((argv) => {
        checkDesignAndEffects(argv as unknown as PlanArgs);
        return true;
      }),
  examples: [
    {
      line: 'pilot plan --roster fixtures/roster.csv --window-days 120 --seed 1 --out plan',
      does: "the fixtures' roster over a 120-day window: plan.csv, plan.json, plan.html",
    },
    {
      line: 'pilot plan --lock --from 2025-09-15 --to 2026-05-29 --effort high --out my-plan',
      does: 'write my-plan/analysis-plan.json, to lock with the assignment: pilot assign --plan my-plan/analysis-plan.json ...',
    },
    {
      line: 'pilot plan --students 8000 --districts 8 --effects 0,0.02,0.04,0.06 --effect-prior 0.03,0.02 --simulations 100 --seed 1',
      does: 'assumed sizes, with the assurance over a prior on the effect',
    },
  ],
  handler: async (args, io, { argv }) => {
    if (args.lock) io.stdout(await lockPlanOf(args, formatCommandLine(argv)));
    if (args.lock && args.roster === undefined && args.students === undefined) return;
    const seed = args.seed ?? generateSeed();
    const prior = numbersOption('effect-prior', args.effectPrior);
    const progress = studiesProgress(io);
    const plan = await planStudy(await designOf(args, seed), {
      seed,
      effects: numbersOption('effects', args.effects),
      simulations: args.simulations,
      ...(prior ? { effectPrior: { mean: prior[0], sd: prior[1] } } : {}),
      assumptions: { phi: args.phi, baselineSlope: args.baselineSlope, tau: args.tau },
      analysisPrior: { mean: args.priorMean, sd: args.priorSd },
      check: args.check,
      onProgress: progress.onProgress,
    }).finally(progress.stop);
    const written = args.out !== undefined ? await writePlanFiles(plan, args.out, renderChartSvg) : [];
    io.stdout(args.json ? JSON.stringify(plan, null, 2) : summaryOf(plan));
    if (!args.json && written.length > 0) io.stdout(`Wrote ${written.join(', ')}`);
  },
};
