import type { Argv } from 'yargs';
import type { CliIo } from './io.js';
import { parseIsoDate } from '../data/parse-values.js';
import { UsageError } from '../errors.js';
import type { DateWindow } from '../types.js';

/**
 * One `pilot` command: its yargs definition and a handler that reads, validates, calls
 * the library, writes, and prints a summary. Handlers throw; `run` maps errors to exit codes.
 */
export interface PilotCommand<A = Record<string, unknown>> {
  readonly command: string;
  readonly describe: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' inferred option types vary per command
  readonly builder: (yargs: Argv) => Argv<any>;
  readonly handler: (args: A, io: CliIo, context: CommandContext) => Promise<void>;
}

/**
 * What a handler knows of the run that called it: the command line as typed (recorded in
 * manifests, so a step of `pilot demo` records its own command), and `run` itself, handed
 * in so that a command made of other commands (demo) does not import the runner above it.
 */
export interface CommandContext {
  readonly argv: readonly string[];
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list holds commands of different argument types
export type AnyPilotCommand = PilotCommand<any>;

/** Splits a comma-separated option (`--block district,school`) into trimmed parts. */
export function listOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * A pair of date options (`--from`/`--to`) as a window: both or neither. A missing,
 * malformed or reversed pair is a bad command line (exit 2), named by its flags.
 */
export function dateWindowOption(command: string, from: string | undefined, to: string | undefined, [fromFlag, toFlag]: readonly [string, string]): DateWindow | undefined {
  const flags = `${fromFlag} and ${toFlag}`;
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) throw new UsageError(command, `${flags} go together: give both dates or neither`);
  for (const value of [from, to]) if (!parseIsoDate(value)) throw new UsageError(command, `${flags}: "${value}" is not a date (YYYY-MM-DD)`);
  if (from > to) throw new UsageError(command, `${flags}: the window ${from} to ${to} ends before it starts`);
  return { from, to };
}
