import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/**
 * One `pilot` command: its yargs definition and a handler that reads, validates, calls
 * the library, writes, and prints a summary. Handlers throw; `run` maps errors to exit codes.
 */
export interface PilotCommand<A = Record<string, unknown>> {
  readonly command: string;
  readonly describe: string;
  readonly builder: (yargs: Argv) => Argv<A>;
  readonly handler: (args: A, io: CliIo) => Promise<void>;
}

/** Splits a comma-separated option (`--block district,school`) into trimmed parts. */
export function listOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
