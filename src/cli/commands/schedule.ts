import { readCalendar } from '../../data/read-calendar.js';
import { formatTable } from '../../io/format-table.js';
import { guardOutputs } from '../../io/output-guard.js';
import { SHARED_MODE, writeFileAtomically } from '../../io/write-atomic.js';
import { formatScheduleCsv, planSendDates } from '../../messages/plan-send-dates.js';
import type { PilotCommand } from '../command.js';
import { dateRules, numberRules } from '../command.js';

interface ScheduleArgs {
  calendar: string;
  firstDay?: string;
  school?: string;
  every: number;
  out?: string;
  force: boolean;
  json: boolean;
}

export const scheduleCommand: PilotCommand<ScheduleArgs> = {
  command: 'schedule',
  describe: "Plan the year's message send dates from a school calendar",
  builder: (y) =>
    y
      .option('calendar', { type: 'string', demandOption: true, describe: 'school calendar CSV (date, school_id, instructional)' })
      .option('first-day', { type: 'string', describe: "first day of school (default: the calendar's first instructional day)" })
      .option('school', { type: 'string', describe: "use this school's rows of the calendar" })
      .option('every', { type: 'number', default: 5, describe: 'weeks between sends: 4, 5 or 6' })
      .option('out', { type: 'string', describe: 'schedule CSV to write (default: print only)' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing --out file (never the calendar read)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the schedule as JSON' })
      .group(['calendar'], 'Inputs:')
      .group(['first-day', 'school', 'every'], 'Schedule:')
      .group(['out', 'force', 'json'], 'Output:')
      .check(numberRules('schedule', { every: { oneOf: [4, 5, 6] } }))
      .check(dateRules('schedule', ['first-day'])),
  examples: [
    { line: 'pilot schedule --calendar fixtures/calendar.csv', does: "the send dates of the fixtures' school year, every 5 weeks" },
    {
      line: 'pilot schedule --calendar fixtures/calendar.csv --every 4 --out schedule.csv',
      does: 'every 4 weeks, also written to schedule.csv',
    },
  ],
  handler: async (args, io) => {
    if (args.out) await guardOutputs({ inputs: [args.calendar], outputs: [args.out], force: args.force });
    const calendar = await readCalendar({ path: args.calendar }, args.calendar);
    const schedule = planSendDates(calendar, { firstDay: args.firstDay, school: args.school, everyWeeks: args.every });
    if (args.out) await writeFileAtomically(args.out, formatScheduleCsv(schedule), SHARED_MODE);
    if (args.json) return io.stdout(JSON.stringify(schedule, null, 2));
    for (const warning of schedule.warnings) io.stderr(`warning: ${warning}`);
    io.stdout(
      `${schedule.dates.length} send dates between the first day of school (${schedule.firstDay}) and the last (${schedule.lastDay}):\n`,
    );
    io.stdout(
      formatTable(
        ['send', 'date', 'week', 'kind', '--since'],
        schedule.dates.map((d) => [d.send, d.date, d.week_of_school, d.kind, d.since]),
      ),
    );
    if (args.out) io.stdout(`\nWrote ${args.out}.`);
  },
};
