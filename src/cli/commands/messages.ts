import { PilotError, UsageError } from '../../errors.js';
import { formatMessageSummary, summarizeMessageList } from '../../messages/format-message-summary.js';
import { checkMessageDates } from '../../messages/message-window.js';
import { buildAndWriteMessageList } from '../../messages/write-message-list.js';
import { readMessageInputs } from '../../study/read-message-inputs.js';
import type { MessageMode } from '../../types.js';
import { MESSAGE_MODES } from '../../types.js';
import type { PilotCommand } from '../command.js';
import { numberRules } from '../command.js';
import type { ExportArgs } from '../export-options.js';
import { EXPORT_OPTIONS, exportOptions, oneRosterOptionsOf } from '../export-options.js';

interface MessagesArgs extends ExportArgs {
  roster: string;
  assignments: string;
  attendance: string;
  calendar?: string;
  settings?: string;
  asOf: string;
  kind: 'initial' | 'recurring';
  since?: string;
  firstDay?: string;
  mode?: MessageMode;
  per: 'student' | 'household';
  compare: 'school' | 'district';
  goalDays?: number;
  goalRate: number;
  specialCircumstances: boolean;
  out: string;
  json: boolean;
  force: boolean;
}

export const messagesCommand: PilotCommand<MessagesArgs> = {
  command: 'messages',
  describe: 'Make the message list for the treatment arm (never control) and its skip list',
  builder: (y) =>
    exportOptions(y)
      .option('roster', {
        type: 'string',
        demandOption: true,
        describe: 'roster CSV with first names and caregiver contacts, or a OneRoster folder or .zip',
      })
      .option('assignments', { type: 'string', demandOption: true, describe: 'assignments.csv (checked against its manifest)' })
      .option('attendance', { type: 'string', demandOption: true, describe: 'attendance CSV: daily records or period totals' })
      .option('calendar', { type: 'string', describe: 'school calendar CSV (instructional days, the first day, the goal horizon)' })
      .option('settings', { type: 'string', describe: 'per-school settings JSON: sender, school name, phone, custom templates' })
      .option('as-of', { type: 'string', demandOption: true, describe: 'the date the list is for; the window ends on it' })
      .option('kind', {
        choices: ['initial', 'recurring'] as const,
        demandOption: true,
        describe: 'initial: since school began; recurring: since --since',
      })
      .option('since', { type: 'string', describe: 'recurring: the date of the last message (the window starts the day after)' })
      .option('first-day', {
        type: 'string',
        describe: "initial: the first day of school (default: the calendar's first instructional day)",
      })
      .option('mode', { choices: MESSAGE_MODES, describe: "send every message this way (default: each caregiver's preferred_mode)" })
      .option('per', {
        choices: ['student', 'household'] as const,
        default: 'student' as const,
        describe: 'one message per student, or per household naming each treated child',
      })
      .option('compare', {
        choices: ['school', 'district'] as const,
        default: 'school' as const,
        describe: 'recurring: compare with the school or district average',
      })
      .option('goal-days', { type: 'number', describe: 'initial: a fixed goal instead of the 5% rule' })
      .option('goal-rate', {
        type: 'number',
        default: 0.05,
        describe: 'initial: the goal keeps absences under this share of the next 4 weeks',
      })
      .option('special-circumstances', {
        type: 'boolean',
        default: false,
        describe: 'add the special-circumstances line (stay home when ill)',
      })
      .option('out', { type: 'string', demandOption: true, describe: 'messages CSV to write; the skip list goes beside it (.skipped.csv)' })
      .option('force', { type: 'boolean', default: false, describe: 'replace an existing list at --out (never an input of the run)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .group(['roster', 'assignments', 'attendance', 'calendar', 'settings', ...EXPORT_OPTIONS], 'Inputs:')
      .group(['as-of', 'kind', 'since', 'first-day'], 'Which list:')
      .group(['mode', 'per', 'compare', 'goal-days', 'goal-rate', 'special-circumstances'], 'Message:')
      .group(['out', 'force', 'json'], 'Output:')
      .check(numberRules('messages', { 'goal-days': { whole: true, min: 0 }, 'goal-rate': { above: 0, below: 1 } }))
      .check((argv) => {
        // The dates and which go with which kind of list, checked before the long reads; a date
        // outside the calendar or still to come is refused with the files (exit 1).
        try {
          checkMessageDates({
            kind: argv.kind,
            asOf: argv.asOf as string,
            since: argv.since as string | undefined,
            firstDay: argv.firstDay as string | undefined,
          });
        } catch (error) {
          throw error instanceof PilotError ? new UsageError('messages', error.message) : error;
        }
        return true;
      }),
  examples: [
    {
      line: 'pilot messages --roster fixtures/roster.csv --assignments fixtures/study/assignments.csv --attendance fixtures/attendance.csv.gz --calendar fixtures/calendar.csv --settings fixtures/settings.json --as-of 2025-09-12 --kind initial --out sends/2025-09-12.csv',
      does: 'the first list of the year',
    },
    {
      line: 'pilot messages --roster fixtures/roster.csv --assignments fixtures/study/assignments.csv --attendance fixtures/attendance.csv.gz --calendar fixtures/calendar.csv --settings fixtures/settings.json --as-of 2025-10-17 --kind recurring --since 2025-09-12 --per household --out sends/2025-10-17.csv',
      does: 'a later list, one message per household',
    },
  ],
  handler: async (args, io) => {
    const input = await readMessageInputs(
      {
        roster: args.roster,
        assignments: args.assignments,
        attendance: args.attendance,
        calendar: args.calendar,
        settings: args.settings,
        map: args.map,
        oneRoster: oneRosterOptionsOf(args),
      },
      { kind: args.kind, asOf: args.asOf, since: args.since, firstDay: args.firstDay, out: args.out, force: args.force },
    );
    // Each message is written as it is rendered: two million students' list is never held whole.
    const { list, files: written } = await buildAndWriteMessageList(args.out, input, {
      mode: args.mode,
      per: args.per,
      compare: args.compare,
      goalDays: args.goalDays,
      goalRate: args.goalRate,
      specialCircumstances: args.specialCircumstances,
    });
    if (args.json)
      return io.stdout(
        JSON.stringify({ ...summarizeMessageList(list), window: list.window, files: written, warnings: list.warnings }, null, 2),
      );
    for (const note of input.notes) io.stderr(`note: ${note.file}: ${note.message}`);
    for (const warning of list.warnings) io.stderr(`warning: ${warning}`);
    io.stdout(formatMessageSummary(list));
    io.stdout(`\nWrote ${written.messages} and ${written.skipped} (readable by you only).`);
  },
};
