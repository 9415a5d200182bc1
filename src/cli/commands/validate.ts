import { formatIssue, PilotError, UsageError } from '../../errors.js';
import type { InputFiles, InputValidation } from '../../study/validate-input-files.js';
import { validateInputFiles } from '../../study/validate-input-files.js';
import type { PilotCommand } from '../command.js';
import type { ExportArgs } from '../export-options.js';
import { exportOptions, oneRosterOptionsOf } from '../export-options.js';

interface ValidateArgs extends InputFiles, ExportArgs {
  json: boolean;
}

const INPUTS = ['roster', 'attendance', 'calendar', 'assignments', 'settings', 'map'] as const;

export const validateCommand: PilotCommand<ValidateArgs> = {
  command: 'validate',
  describe: 'Check input files and list every problem at once (file, row, column); writes nothing',
  builder: (y) =>
    exportOptions(y)
      .option('roster', { type: 'string', describe: 'roster CSV, or a OneRoster 1.1/1.2 folder or .zip' })
      .option('attendance', { type: 'string', describe: 'attendance: daily records or period totals (.csv or .csv.gz)' })
      .option('calendar', { type: 'string', describe: 'school calendar CSV' })
      .option('assignments', { type: 'string', describe: 'assignments.csv, checked against its manifest too' })
      .option('settings', { type: 'string', describe: 'message settings JSON' })
      .option('json', { type: 'boolean', default: false, describe: 'print the findings as JSON' })
      .group([...INPUTS], 'Inputs (one or more):')
      .group(['include-disabled', 'district'], 'Reading OneRoster:')
      .group(['json'], 'Output:'),
  examples: [
    {
      line: 'pilot validate --roster fixtures/roster.csv --attendance fixtures/attendance.csv.gz --calendar fixtures/calendar.csv',
      does: "check a district's files before a study",
    },
    { line: 'pilot validate --roster fixtures/oneroster-zip/oneroster-1.2.zip --json', does: 'check a OneRoster export, machine-readable' },
    {
      line: 'pilot validate --assignments fixtures/study/assignments.csv --settings fixtures/settings.json',
      does: 'check an assignment against its manifest, and the message settings',
    },
  ],
  handler: async (args, io) => {
    const files: InputFiles = Object.fromEntries(INPUTS.filter((name) => args[name] !== undefined).map((name) => [name, args[name]]));
    if (Object.keys(files).length === 0)
      throw new UsageError('validate', `give at least one file to check: ${INPUTS.map((n) => `--${n}`).join(', ')}`);
    const result = await validateInputFiles(files, oneRosterOptionsOf(args));
    io.stdout(args.json ? JSON.stringify(result, null, 2) : formatInputValidation(result));
    if (!result.ok) {
      const failed = result.files.filter((f) => !f.ok).length;
      throw new PilotError(
        `${plural(result.problems, 'problem')} in ${failed} of ${plural(result.files.length, 'file')}${args.json ? '' : ' (listed above)'}`,
      );
    }
  },
};

/** One block per file: its verdict, then every problem and note on its own line. */
export function formatInputValidation(result: InputValidation): string {
  const lines: string[] = [];
  for (const check of result.files) {
    const verdict = check.ok ? `ok${check.summary ? `, ${check.summary}` : ''}` : plural(check.issues.length, 'problem');
    lines.push(`${check.role} ${check.file}: ${verdict}`);
    for (const issue of check.issues) lines.push(`  ${formatIssue(issue)}`);
    for (const warning of check.warnings) lines.push(`  note: ${formatIssue(warning)}`);
  }
  lines.push(
    result.ok
      ? result.files.length === 1
        ? 'The file is valid.'
        : `All ${result.files.length} files are valid.`
      : `${plural(result.problems, 'problem')} found.`,
  );
  return lines.join('\n');
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
