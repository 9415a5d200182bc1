import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PilotError, UsageError } from '../../errors.js';
import type { SendSchedule } from '../../messages/plan-send-dates.js';
import type { CommandContext, PilotCommand } from '../command.js';
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
  readonly decision: { readonly effort: string; readonly working: boolean; readonly certainty: number; readonly min_certainty: number; readonly threshold: number };
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
      .option('out', { type: 'string', default: join('reports', 'demo'), describe: 'folder for the network and district reports' })
      .option('study', { type: 'string', default: join('reports', 'demo-study'), describe: 'folder for the simulated student-level files' })
      .option('students', { type: 'number', default: 4000, describe: 'students in the simulated network' })
      .option('districts', { type: 'number', default: 4, describe: 'districts in the simulated network' })
      .option('effect', { type: 'number', default: 0.024, describe: 'true share of absences the messages avoid (0.024 = 2.4%)' })
      .option('seed', { type: 'number', default: 2024, describe: 'seed for every step (each derives its own)' })
      .option('quick', { type: 'boolean', default: false, describe: 'a Laplace preview instead of the full NUTS fit (labelled approximate)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .example('$0 demo', 'simulate, assign, message, analyze and report into reports/demo/'),
  handler: async (args, io, { run }) => {
    checkDemoOptions(args);
    const s = args.study;
    await prepareStudyFolder(s);
    const pilot = stepRunner(io, run);
    const roster = join(s, 'roster.csv');
    const assignments = join(s, 'study', 'assignments.csv');
    const attendance = join(s, 'attendance.csv');
    const calendar = join(s, 'calendar.csv');
    const settings = join(s, 'settings.json');
    const seed = (step: number) => `${args.seed + step}`;
    await pilot({ title: 'simulate a network of districts, schools and households', argv: ['simulate', 'roster', '--out', s, '--students', `${args.students}`, '--districts', `${args.districts}`, '--seed', seed(0)] });
    await pilot({ title: 'assign households to arms, blocked by district, school and grade', argv: ['assign', '--roster', roster, '--out', join(s, 'study'), '--seed', seed(1)] });
    await pilot({ title: `simulate the school year with a true ${(100 * args.effect).toFixed(1)}% reduction for treatment`, argv: ['simulate', 'attendance', '--roster', roster, '--assignments', assignments, '--out', s, '--effect', `${args.effect}`, '--year', '2025', '--seed', seed(2)] });
    const schedule = JSON.parse(await pilot({ title: "plan the year's send dates", argv: ['schedule', '--calendar', calendar, '--json'] })) as SendSchedule;
    const first = schedule.dates[0];
    if (!first) throw new PilotError('demo: the simulated calendar has no send date');
    await writeFile(settings, `${JSON.stringify(DEMO_SETTINGS, null, 2)}\n`);
    const study = ['--roster', roster, '--assignments', assignments, '--attendance', attendance, '--calendar', calendar];
    await pilot({ title: `make the first round of messages (${first.date}), treatment arm only`, argv: ['messages', ...study, '--as-of', first.date, '--kind', 'initial', '--settings', settings, '--out', join(s, 'messages', `${first.date}.csv`)] });
    const outcome = [...study, '--from', first.date, '--to', schedule.lastDay];
    await pilot({ title: 'estimate the effect from the first message to the last day of school', argv: ['analyze', ...outcome, '--out', join(s, 'analysis'), '--draws-csv', '--seed', seed(3), ...(args.quick ? ['--method', 'laplace'] : [])] });
    const report = await pilot({ title: 'write the network report and one per district', argv: ['report', '--analysis', join(s, 'analysis'), ...outcome, '--by', 'district', '--out', args.out, '--json'] });
    const written = JSON.parse(report) as ReportSummary;
    const [network, ...districts] = written.reports;
    const summary = { headline: written.headline, decision: written.decision, report: network.html, district_reports: districts.map((r) => r.html), study: s, true_effect: args.effect };
    if (args.json) return io.stdout(JSON.stringify(summary, null, 2));
    io.stdout(
      [
        written.headline,
        `(The simulation's true effect was ${(100 * args.effect).toFixed(1)}% fewer absences.)`,
        `Decision: ${written.decision.working ? 'working' : 'not shown to work'} as a ${written.decision.effort}-effort intervention (the rule: at least ${Math.round(100 * written.decision.min_certainty)}% certain absences went down${written.decision.threshold > 0 ? ` by ${Math.round(100 * written.decision.threshold)}% or more` : ''}; across the network we are ${Math.round(100 * written.decision.certainty)}% certain).`,
        '',
        `Network report: ${network.html}`,
        ...districts.map((r) => `District report: ${r.html}`),
        `Simulated student-level files: ${s}`,
      ].join('\n'),
    );
  },
};

/** Refuses impossible sizes before anything is written (each step would refuse them later). */
function checkDemoOptions(args: DemoArgs): void {
  const whole = (n: number) => Number.isInteger(n) && n >= 1;
  if (!whole(args.students) || !whole(args.districts) || args.districts > args.students) {
    throw new UsageError('demo', `--students and --districts must be whole numbers, at least 1 district and a student per district (got ${args.students} and ${args.districts})`);
  }
  if (!(args.effect >= 0 && args.effect < 1)) throw new UsageError('demo', `--effect is the share of absences avoided, from 0 up to (not including) 1 (got ${args.effect})`);
}

const DEMO_MARK = '.pilot-demo';

/** Who signs the simulated schools' messages (a real study gives one per school). */
const DEMO_SETTINGS = {
  defaults: { sender_name: 'Ms. Rivera', sender_role: 'Attendance Coordinator', school_phone: '(555) 010-2000', special_circumstances: true },
};

/**
 * Empties the study folder of an earlier demo run (an assignment is never overwritten,
 * so a rerun starts clean), but refuses a folder that holds anything else.
 */
async function prepareStudyFolder(dir: string): Promise<void> {
  const entries = await readdir(dir).catch(() => undefined);
  if (entries && entries.length > 0) {
    const isDemo = await stat(join(dir, DEMO_MARK)).then(() => true, () => false);
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
    const stepIo: CliIo = { stdout: (text) => printed.push(text), stderr: (text) => io.stderr(text.replace(/^/gm, '    ')), interactive: io.interactive };
    const code = await run(step.argv, stepIo);
    if (code !== 0) throw new PilotError(`demo: step ${number} (pilot ${step.argv[0]}) failed with exit code ${code}; see above`);
    const output = printed.join('\n');
    if (!step.argv.includes('--json')) io.stderr(output.replace(/^/gm, '    '));
    io.stderr(`    (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return output;
  };
}
