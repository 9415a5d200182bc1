import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/**
 * One `pilot` command: its yargs definition and a handler that reads, validates, calls
 * the library, writes, and prints a summary. Handlers throw; `run` maps errors to exit codes.
 */
export interface PilotCommand<A = Record<string, unknown>> {
  readonly command: string;
  readonly describe: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' inferred option types vary per command
  readonly builder: (yargs: Argv) => Argv<any>;
  readonly handler: (args: A, io: CliIo) => Promise<void>;
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
