import { parseIsoDate } from '../../data/parse-values.js';
import { UsageError } from '../../errors.js';
import type { SendLogLayout } from '../../simulate/format-vendor-send-log.js';
import { SEND_LOG_LAYOUTS } from '../../simulate/format-vendor-send-log.js';
import { DEFAULT_REACHABLE } from '../../simulate/simulate-send-log.js';
import type { SimulatedRosterFile } from '../../simulate/write-simulated-roster.js';
import { writeSimulatedRoster } from '../../simulate/write-simulated-roster.js';
import type { SimulatedStudyDeliveries } from '../../study/simulate-study-deliveries.js';
import { simulateStudyDeliveries } from '../../study/simulate-study-deliveries.js';
import type { SimulatedStudyOutcomes } from '../../study/simulate-study-outcomes.js';
import { simulateStudyOutcomes } from '../../study/simulate-study-outcomes.js';
import type { MessageMode } from '../../types.js';
import { MESSAGE_MODES } from '../../types.js';
import type { NumberRule, PilotCommand } from '../command.js';
import { formatCommandLine, listOption, numberRules, SEED_RULE } from '../command.js';

interface SimulateArgs {
  what: 'roster' | 'attendance' | 'deliveries';
  out: string;
  seed?: number;
  students: number;
  districts: number;
  roster?: string;
  assignments?: string;
  effect: number;
  districtEffects?: Record<string, number>;
  year: number;
  study?: string;
  sendDates?: string[];
  contamination: number;
  layout: SendLogLayout;
  reachable?: Partial<Record<MessageMode, number>>;
  force: boolean;
  json: boolean;
}

const EFFECT_RULE = { min: 0, below: 1 } as const;

export const simulateCommand: PilotCommand<SimulateArgs> = {
  command: 'simulate <what>',
  describe: 'Make a synthetic network with a known truth: a roster, then attendance after assignment, and a send log',
  builder: (y) =>
    y
      .positional('what', {
        choices: ['roster', 'attendance', 'deliveries'] as const,
        describe: 'roster (before assignment), attendance (after), or deliveries (a send log of the messages)',
      })
      .option('students', { type: 'number', default: 1500, describe: 'roster: number of students' })
      .option('districts', { type: 'number', default: 3, describe: 'roster: number of districts' })
      .option('roster', {
        type: 'string',
        describe: "attendance, deliveries: the roster CSV, or a OneRoster folder or .zip (deliveries: caregivers' modes)",
      })
      .option('assignments', { type: 'string', describe: 'attendance: assignments.csv (the simulation is recorded in its manifest)' })
      .option('effect', {
        type: 'number',
        default: 0.024,
        describe: 'attendance: true share of absences avoided by treatment (0.024 = 2.4%)',
      })
      .option('district-effects', {
        type: 'string',
        coerce: districtEffectsOption,
        describe: 'attendance: per-district true effects, e.g. D01=0.05,D02=0',
      })
      .option('year', { type: 'number', default: 2025, describe: 'attendance: first calendar year of the school year' })
      .option('study', { type: 'string', describe: 'deliveries: the study folder pilot assign wrote' })
      .option('send-dates', {
        type: 'string',
        coerce: listOption,
        describe: 'deliveries: the send dates, e.g. 2025-09-08,2025-10-14 (as pilot schedule plans them)',
      })
      .option('contamination', {
        type: 'number',
        default: 0,
        describe: 'deliveries: share of the control arm messaged once by mistake (0.01 = 1%)',
      })
      .option('reachable', {
        type: 'string',
        coerce: reachableOption,
        describe: `deliveries: share of caregivers reachable by each mode, e.g. text=0.9,email=0.6 (default ${formatReachable(DEFAULT_REACHABLE)})`,
      })
      .option('layout', {
        choices: SEND_LOG_LAYOUTS,
        default: 'generic' as const,
        describe: "deliveries: the send log's layout: ours, or a vendor's (read back with its mapping)",
      })
      .option('seed', { type: 'number', describe: 'random seed (generated and printed when not given)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('force', { type: 'boolean', default: false, describe: 'replace files already in --out (never an input of the run)' })
      .group(['students', 'districts'], 'Roster:')
      .group(['roster', 'assignments', 'effect', 'district-effects', 'year'], 'Attendance:')
      .group(['study', 'send-dates', 'contamination', 'reachable', 'layout'], 'Deliveries:')
      .option('json', { type: 'boolean', default: false, describe: 'print what was written as JSON' })
      .group(['seed', 'out', 'force', 'json'], 'Output:')
      .check(
        numberRules('simulate', {
          students: { whole: true, min: 1 },
          districts: { whole: true, min: 1 },
          effect: EFFECT_RULE,
          year: { whole: true, min: 2000, max: 2100 },
          contamination: { min: 0, max: 1 },
          seed: SEED_RULE,
        }),
      )
      .check((argv) => {
        if (argv.what === 'attendance' && (!argv.roster || !argv.assignments))
          throw new UsageError('simulate', 'simulate attendance needs --roster and --assignments');
        const sendDates = (argv.sendDates as string[] | undefined) ?? [];
        if (argv.what === 'deliveries' && (!argv.study || sendDates.length === 0))
          throw new UsageError('simulate', 'simulate deliveries needs --study and --send-dates');
        for (const date of sendDates)
          if (!parseIsoDate(date)) throw new UsageError('simulate', `--send-dates: "${date}" is not a date (YYYY-MM-DD)`);
        if (argv.districts > argv.students)
          throw new UsageError(
            'simulate',
            `--districts ${argv.districts} is more than --students ${argv.students}: every district needs a student`,
          );
        return true;
      }),
  examples: [
    {
      line: 'pilot simulate roster --out sim --students 1500 --districts 3 --seed 1',
      does: 'a roster of 1,500 students in 3 districts: sim/roster.csv',
    },
    { line: 'pilot assign --roster sim/roster.csv --out sim/study --seed 2', does: 'assign it (pilot assign)' },
    {
      line: 'pilot simulate attendance --roster sim/roster.csv --assignments sim/study/assignments.csv --out sim --effect 0.05 --seed 3',
      does: 'a school year of attendance where treatment avoids 5% of absences',
    },
    {
      line: 'pilot simulate deliveries --study sim/study --roster sim/roster.csv --send-dates 2025-09-08,2025-10-14 --contamination 0.01 --out sim --seed 4',
      does: "the messaging system's send log of two sends: sim/send-log.csv (read it with pilot deliveries)",
    },
  ],
  handler: async (args, io, { argv }) => {
    if (args.what === 'deliveries') {
      const made = await simulateStudyDeliveries({
        study: args.study!,
        roster: args.roster,
        sendDates: args.sendDates!,
        out: args.out,
        layout: args.layout,
        contamination: args.contamination,
        reachable: args.reachable,
        seed: args.seed,
        force: args.force,
      });
      return io.stdout(deliveriesSummary(made, args));
    }
    if (args.what === 'roster') {
      const roster = await writeSimulatedRoster(args.out, {
        students: args.students,
        districts: args.districts,
        seed: args.seed,
        force: args.force,
      });
      return io.stdout(rosterSummary(roster, args));
    }
    const made = await simulateStudyOutcomes({
      roster: args.roster!,
      assignments: args.assignments!,
      out: args.out,
      effect: args.effect,
      districtEffects: args.districtEffects,
      year: args.year,
      seed: args.seed,
      command: formatCommandLine(argv),
      force: args.force,
    });
    for (const line of outcomesSummary(made, args)) io.stdout(line);
  },
};

/** The line (or JSON) that says where the simulated roster went. */
function rosterSummary(roster: SimulatedRosterFile, args: SimulateArgs): string {
  return args.json
    ? JSON.stringify({ roster: roster.path, students: roster.students, seed: roster.seed }, null, 2)
    : `Simulated ${roster.students} students in ${args.districts} districts (seed ${roster.seed}): ${roster.path}`;
}

/** What was simulated and where, and whether the manifest now records when the arms took effect. */
function outcomesSummary(made: SimulatedStudyOutcomes, args: SimulateArgs): string[] {
  if (args.json) {
    const { attendance, calendar, rows, students, seed, effect } = made;
    const json = { attendance, calendar, rows, students, seed, true_effect: effect, arms_took_effect: made.armsTookEffect ?? null };
    return [JSON.stringify({ ...json, manifest: made.manifest ?? null }, null, 2)];
  }
  const lines = [
    `Simulated ${made.rows} daily records for ${made.students} students, true effect ${made.effect} (seed ${made.seed}): ${made.attendance}, ${made.calendar}`,
  ];
  if (made.armsTookEffect === undefined) return lines;
  lines.push(
    made.manifest
      ? `Recorded in ${made.manifest}: the arms took effect on ${made.armsTookEffect}, the first simulated school day.`
      : `${args.assignments} has no manifest beside it, so the day the arms took effect is not recorded: analyze these outcomes with --assignment-date ${made.armsTookEffect}.`,
  );
  return lines;
}

/** What the simulated send log holds and where, and how to read it back. */
function deliveriesSummary(made: SimulatedStudyDeliveries, args: SimulateArgs): string {
  if (args.json) {
    const { path, layout, messages, leftOut, treated, received, contaminated, mapping, seed } = made;
    const json = { log: path, layout, messages, left_out: leftOut, treated, received, contaminated, mapping: mapping ?? null, seed };
    return JSON.stringify(json, null, 2);
  }
  const leftOut = made.leftOut > 0 ? ` (${made.leftOut} letters left out: this vendor sends none)` : '';
  const readBack = made.mapping ? ` --map ${`fixtures/mappings/${made.mapping}`}` : '';
  return [
    `Simulated ${made.messages} messages${leftOut}: the caregivers of ${made.received} of ${made.treated} treated students received at least one; ${made.contaminated} control students in the log by mistake (seed ${made.seed}): ${made.path} (readable by you only)`,
    `Read it with: pilot deliveries --study ${args.study} --log ${made.path}${readBack} --out DIR`,
  ].join('\n');
}

/** `text=0.9,email=0.6` as { text: 0.9, email: 0.6 }: a mode we do not know or a share outside 0 to 1 is a bad command line. */
function reachableOption(value: string): Partial<Record<MessageMode, number>> {
  return numberPairs(
    value,
    'reachable',
    { min: 0, max: 1 },
    (mode) => MESSAGE_MODES.includes(mode as MessageMode),
    (pair) =>
      `--reachable takes mode=share pairs separated by commas (text=0.9,email=0.6; modes ${MESSAGE_MODES.join(', ')}), got "${pair}"`,
  );
}

/** `text=0.92,email=0.8,...`, as --reachable takes it. */
function formatReachable(shares: Readonly<Record<MessageMode, number>>): string {
  return MESSAGE_MODES.map((mode) => `${mode}=${shares[mode]}`).join(',');
}

/** `D01=0.05,D02=0` as { D01: 0.05, D02: 0 }; a malformed pair or effect is a bad command line. */
function districtEffectsOption(value: string): Record<string, number> {
  return numberPairs(
    value,
    'district-effects',
    EFFECT_RULE,
    () => true,
    (pair) => `--district-effects takes district=effect pairs separated by commas (D01=0.05,D02=0), got "${pair}"`,
  );
}

/**
 * `key=number` pairs separated by commas: a pair that is not one, a key `known` refuses, or
 * a number outside `rule` is a bad command line (`malformed` says how to write the option).
 */
function numberPairs(
  value: string,
  flag: string,
  rule: NumberRule,
  known: (key: string) => boolean,
  malformed: (pair: string) => string,
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const pair of value.split(',').filter((p) => p.trim() !== '')) {
    const [key, number, extra] = pair.split('=').map((part) => part.trim());
    if (!key || !known(key) || number === undefined || extra !== undefined) throw new UsageError('simulate', malformed(pair));
    numberRules('simulate', { [`${flag} ${key}`]: rule })({ [`${flag} ${key}`]: number === '' ? NaN : Number(number) });
    values[key] = Number(number);
  }
  return values;
}
