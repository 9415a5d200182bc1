import type { Argv } from 'yargs';
import type { OneRosterOptions } from '../data/read-oneroster.js';

/** How a command reads exports as districts send them: a mapping file, and the OneRoster choices. */
export interface ExportArgs {
  readonly map?: string;
  readonly includeDisabled: boolean;
  readonly district?: string;
}

/** The names of the options `exportOptions` adds, for a command's `.group()`. */
export const EXPORT_OPTIONS = ['map', 'include-disabled', 'district'] as const;

/**
 * Adds `--map`, `--include-disabled` and `--district` (docs/real-exports.md): the same
 * three wherever a roster or attendance export is read, so a study reads its files the
 * same way in every command.
 */
export function exportOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('map', { type: 'string', describe: 'mapping file (JSON) for a roster CSV or attendance in another layout' })
    .option('include-disabled', {
      type: 'boolean',
      default: false,
      describe: 'OneRoster: keep students whose enabledUser is false or whom no enrollment names',
    })
    .option('district', {
      type: 'string',
      describe: 'OneRoster: the district of schools with none above them (default: each its own)',
    }) as Argv<T>;
}

/** The OneRoster choices of a command line, as the library takes them. */
export function oneRosterOptionsOf(args: ExportArgs): OneRosterOptions {
  return { includeDisabled: args.includeDisabled, ...(args.district === undefined ? {} : { district: args.district }) };
}
