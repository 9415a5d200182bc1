import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PilotError, UsageError } from '../../errors.js';
import type { SendSchedule } from '../../messages/plan-send-dates.js';
import type { CommandContext, PilotCommand } from '../command.js';
import { numberRules, SEED_RULE } from '../command.js';
import type { CliIo } from '../io.js';

interface DemoArgs {
  out: string;
  study: string;
  students: number;
  districts: number;
  effect: number;
  seed: number;
  quick: boolean;
  json: boolean;
}

/** What `pilot report --json` prints. */
interface ReportSummary {
  readonly headline: string;
  readonly decision: {
    readonly effort: string;
    readonly working: boolean;
    readonly certainty: number;
    readonly min_certainty: number;
    readonly threshold: number;
  };
  readonly reports: readonly { readonly html: string; readonly district: string | null }[];
}

/** One step of the walkthrough: the `pilot` command line a researcher would type. */
interface DemoStep {
  readonly title: string;
  readonly argv: readonly string[];
}

/**
 * The whole study on simulated data, as a researcher would run it, one `pilot` command
 * after another: each step's command line is printed, so the demo doubles as a tutorial.
 * Student-level files (roster, assignment, attendance, messages, model table) go to
 * `--study`; only the aggregate reports go to `--out`.
 */
export const demoCommand: PilotCommand<DemoArgs> = {
  command: 'demo',
  describe: 'Run a whole simulated pilot: roster, assignment, outcomes, one round of messages, analysis, reports',
  builder: (y) =>
    y
      .option('students', { type: 'number', default: 4000, describe: 'students in the simulated network' })
      .option('districts', { type: 'number', default: 4, describe: 'districts in the simulated network' })
      .option('effect', { type: 'number', default: 0.024, describe: 'true share of absences the messages avoid (0.024 = 2.4%)' })
      .option('seed', { type: 'number', default: 2024, describe: 'seed for every step (each derives its own)' })
      .option('quick', {
        type: 'boolean',
        default: false,
        describe: 'a Laplace preview instead of the full NUTS fit (labelled approximate)',
      })
      .option('out', { type: 'string', default: join('reports', 'demo'), describe: 'folder for the network and district reports' })
      .option('study', { type: 'string', default: join('reports', 'demo-study'), describe: 'folder for the simulated student-level files' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .group(['students', 'districts', 'effect', 'seed'], 'Simulated network:')
      .group(['quick'], 'Model:')
      .group(['out', 'study', 'json'], 'Output:')
      // Refused before anything is written (each step would refuse them later, half-way).
      .check(
        numberRules('demo', {
          students: { whole: true, min: 1 },
          districts: { whole: true, min: 1 },
          effect: { min: 0, below: 1 },
          seed: SEED_RULE,
        }),
      )
      .check((argv) => {
        if (argv.districts > argv.students)
          throw new UsageError(
            'demo',
            `--districts ${argv.districts} is more than --students ${argv.students}: every district needs a student`,
          );
        return true;
      }),
  examples: [
    { line: 'pilot demo', does: 'simulate, assign, message, analyze and report into reports/demo/ (a few minutes)' },
    {
      line: 'pilot demo --quick --students 1000 --districts 2 --out demo --study demo-study',
      does: 'a smaller network and a Laplace preview, in seconds',
    },
  ],
  handler: async (args, io, { run }) => {
    await prepareStudyFolder(args.study);
    const written = await walkThroughStudy(args, stepRunner(io, run));
    const [network, ...districts] = written.reports;
    const summary = {
      headline: written.headline,
      decision: written.decision,
      report: network.html,
      district_reports: districts.map((r) => r.html),
      study: args.study,
      true_effect: args.effect,
    };
    if (args.json) return io.stdout(JSON.stringify(summary, null, 2));
    const rule = `at least ${Math.round(100 * written.decision.min_certainty)}% certain absences went down${written.decision.threshold > 0 ? ` by ${Math.round(100 * written.decision.threshold)}% or more` : ''}`;
    io.stdout(
      [
        written.headline,
        `(The simulation's true effect was ${(100 * args.effect).toFixed(1)}% fewer absences.)`,
        `Decision: ${written.decision.working ? 'working' : 'not shown to work'} as a ${written.decision.effort}-effort intervention (the rule: ${rule}; across the network we are ${Math.round(100 * written.decision.certainty)}% certain).`,
        '',
        `Network report: ${network.html}`,
        ...districts.map((r) => `District report: ${r.html}`),
        `Simulated student-level files: ${args.study}`,
      ].join('\n'),
    );
  },
};

/** The study, one `pilot` command after another, in the study folder; returns what `pilot report --json` printed. */
async function walkThroughStudy(args: DemoArgs, pilot: (step: DemoStep) => Promise<string>): Promise<ReportSummary> {
  const s = args.study;
  const roster = join(s, 'roster.csv');
  const assignments = join(s, 'study', 'assignments.csv');
  const attendance = join(s, 'attendance.csv');
  const calendar = join(s, 'calendar.csv');
  const settings = join(s, 'settings.json');
  const seed = (step: number) => `${args.seed + step}`;
  await pilot({
    title: 'simulate a network of districts, schools and households',
    argv: ['simulate', 'roster', '--out', s, '--students', `${args.students}`, '--districts', `${args.districts}`, '--seed', seed(0)],
  });
  await pilot({
    title: 'assign households to arms, blocked by district, school and grade',
    argv: ['assign', '--roster', roster, '--out', join(s, 'study'), '--seed', seed(1)],
  });
  await pilot({
    title: `simulate the school year with a true ${(100 * args.effect).toFixed(1)}% reduction for treatment`,
    argv: [
      'simulate',
      'attendance',
      '--roster',
      roster,
      '--assignments',
      assignments,
      '--out',
      s,
      '--effect',
      `${args.effect}`,
      '--year',
      '2025',
      '--seed',
      seed(2),
    ],
  });
  const schedule = JSON.parse(
    await pilot({ title: "plan the year's send dates", argv: ['schedule', '--calendar', calendar, '--json'] }),
  ) as SendSchedule;
  const first = schedule.dates[0];
  if (!first) throw new PilotError('demo: the simulated calendar has no send date');
  await writeFile(settings, `${JSON.stringify(DEMO_SETTINGS, null, 2)}\n`);
  const study = ['--roster', roster, '--assignments', assignments, '--attendance', attendance, '--calendar', calendar];
  await pilot({
    title: `make the first round of messages (${first.date}), treatment arm only`,
    argv: [
      'messages',
      ...study,
      '--as-of',
      first.date,
      '--kind',
      'initial',
      '--settings',
      settings,
      '--out',
      join(s, 'messages', `${first.date}.csv`),
    ],
  });
  const outcome = [...study, '--from', first.date, '--to', schedule.lastDay];
  await pilot({
    title: 'estimate the effect from the first message to the last day of school',
    argv: [
      'analyze',
      ...outcome,
      '--out',
      join(s, 'analysis'),
      '--draws-csv',
      '--seed',
      seed(3),
      ...(args.quick ? ['--method', 'laplace'] : []),
    ],
  });
  const report = await pilot({
    title: 'write the network report and one per district',
    argv: ['report', '--analysis', join(s, 'analysis'), ...outcome, '--by', 'district', '--out', args.out, '--force', '--json'],
  });
  return JSON.parse(report) as ReportSummary;
}

const DEMO_MARK = '.pilot-demo';

/** Who signs the simulated schools' messages (a real study gives one per school). */
const DEMO_SETTINGS = {
  defaults: {
    sender_name: 'Ms. Rivera',
    sender_role: 'Attendance Coordinator',
    school_phone: '(555) 010-2000',
    special_circumstances: true,
  },
};

/**
 * Empties the study folder of an earlier demo run (an assignment is never overwritten,
 * so a rerun starts clean), but refuses a folder that holds anything else.
 */
async function prepareStudyFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => undefined);
  if (entries && entries.length > 0) {
    const isDemo = await stat(join(dir, DEMO_MARK)).then(
      () => true,
      () => false,
    );
    if (!isDemo) throw new PilotError(`demo: ${dir} exists and was not made by pilot demo; choose another --study folder`);
    await rm(dir, { recursive: true });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, DEMO_MARK), 'Simulated study files written by `pilot demo`; the next demo run replaces this folder.\n');
}

/** Runs each step in-process, narrating on stderr; returns what the step printed. */
function stepRunner(io: CliIo, run: CommandContext['run']): (step: DemoStep) => Promise<string> {
  let number = 0;
  return async (step) => {
    number++;
    io.stderr(`\n[${number}] ${step.title}\n    $ pilot ${step.argv.join(' ')}`);
    const started = Date.now();
    const printed: string[] = [];
    const stepIo: CliIo = {
      stdout: (text) => printed.push(text),
      stderr: (text) => io.stderr(text.replace(/^/gm, '    ')),
      interactive: io.interactive,
    };
    const code = await run(step.argv, stepIo);
    if (code !== 0) throw new PilotError(`demo: step ${number} (pilot ${step.argv[0]}) failed with exit code ${code}; see above`);
    const output = printed.join('\n');
    if (!step.argv.includes('--json')) io.stderr(output.replace(/^/gm, '    '));
    io.stderr(`    (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return output;
  };
}
