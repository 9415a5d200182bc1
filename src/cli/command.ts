import type { Argv } from 'yargs';
import { parseIsoDate } from '../data/parse-values.js';
import { UsageError } from '../errors.js';
import type { DateWindow } from '../types.js';
import type { CliIo } from './io.js';

/**
 * One `pilot` command: its yargs definition and a handler that reads, validates, calls
 * the library, writes, and prints a summary. Handlers throw; `run` maps errors to exit codes.
 */
export interface PilotCommand<A = Record<string, unknown>> {
  readonly command: string;
  readonly describe: string;
  // biome-ignore lint/suspicious/noExplicitAny: yargs' inferred option types vary per command
  readonly builder: (yargs: Argv) => Argv<any>;
  readonly handler: (args: A, io: CliIo, context: CommandContext) => Promise<void>;
  /** Command lines that run as written from the repository's root, on its fixtures. */
  readonly examples: readonly CommandExample[];
}

/** One example of a command for its `--help`: the whole command line and what it does. */
export interface CommandExample {
  readonly line: string;
  readonly does: string;
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

/** The command line as a user would retype it: `pilot` and each argument, quoted when needed. */
export function formatCommandLine(argv: readonly string[]): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
  return ['pilot', ...argv.map(quote)].join(' ');
}

// biome-ignore lint/suspicious/noExplicitAny: a list holds commands of different argument types
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
export function dateWindowOption(
  command: string,
  from: string | undefined,
  to: string | undefined,
  [fromFlag, toFlag]: readonly [string, string],
): DateWindow | undefined {
  const flags = `${fromFlag} and ${toFlag}`;
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) throw new UsageError(command, `${flags} go together: give both dates or neither`);
  for (const value of [from, to])
    if (!parseIsoDate(value)) throw new UsageError(command, `${flags}: "${value}" is not a date (YYYY-MM-DD)`);
  if (from > to) throw new UsageError(command, `${flags}: the window ${from} to ${to} ends before it starts`);
  return { from, to };
}

/** What a numeric option accepts: whole or not, and its bounds (`above`/`below` exclusive). */
export interface NumberRule {
  readonly whole?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly above?: number;
  readonly below?: number;
  readonly oneOf?: readonly number[];
}

/** A yargs `.check` that the date options given are dates (YYYY-MM-DD): a bad command line (exit 2) before any file is read. */
export function dateRules(command: string, flags: readonly string[]): (argv: Record<string, unknown>) => true {
  return (argv) => {
    for (const flag of flags) {
      const value = argv[flag];
      if (value !== undefined && !parseIsoDate(String(value)))
        throw new UsageError(command, `--${flag}: "${String(value)}" is not a date (YYYY-MM-DD)`);
    }
    return true;
  };
}

/** A seed: a whole number from 0, as `generateSeed` makes them (below 2^31). */
export const SEED_RULE: NumberRule = { whole: true, min: 0 };

/**
 * A yargs `.check` for a command's numeric options, named by their flags. It runs before the
 * handler, so an impossible value (`--chains 0`, `--students abc`) is a bad command line
 * (exit 2) reported before any file is read. Options not given and without a default pass.
 */
export function numberRules(command: string, rules: Readonly<Record<string, NumberRule>>): (argv: Record<string, unknown>) => true {
  return (argv) => {
    for (const [flag, rule] of Object.entries(rules)) {
      const value = argv[flag];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !numberFits(value, rule))
        throw new UsageError(command, `--${flag} must be ${describeRule(rule)}, got ${String(value)}`);
    }
    return true;
  };
}

function numberFits(value: number, rule: NumberRule): boolean {
  if (!Number.isFinite(value) || (rule.whole && !Number.isInteger(value))) return false;
  if (rule.oneOf && !rule.oneOf.includes(value)) return false;
  return !(
    value < (rule.min ?? -Infinity) ||
    value > (rule.max ?? Infinity) ||
    value <= (rule.above ?? -Infinity) ||
    value >= (rule.below ?? Infinity)
  );
}

/** `a whole number >= 1`, `a number > 0 and < 1`, `4, 5 or 6`. */
export function describeRule(rule: NumberRule): string {
  if (rule.oneOf) return `${rule.oneOf.slice(0, -1).join(', ')} or ${rule.oneOf.at(-1)}`;
  const bounds = [
    rule.min !== undefined ? `>= ${rule.min}` : undefined,
    rule.above !== undefined ? `> ${rule.above}` : undefined,
    rule.max !== undefined ? `<= ${rule.max}` : undefined,
    rule.below !== undefined ? `< ${rule.below}` : undefined,
  ].filter((b) => b !== undefined);
  return `${rule.whole ? 'a whole number' : 'a number'}${bounds.length > 0 ? ` ${bounds.join(' and ')}` : ''}`;
}

/**
 * The examples as `--help` shows them: each under a `#` comment, broken before an option
 * with a shell continuation (` \`) so no line is wider than `width`, and a block copied
 * whole from the terminal runs as it is.
 */
export function formatExamples(examples: readonly CommandExample[], width: number): string {
  const blocks = examples.map(({ line, does }) => {
    const lines = [`  # ${does}`];
    let current = '  ';
    for (const part of line.split(/ (?=--?[a-z])/)) {
      if (current.trim() === '') current += part;
      else if (current.length + part.length + 3 > width) {
        lines.push(`${current} \\`);
        current = `      ${part}`;
      } else current += ` ${part}`;
    }
    return [...lines, current].join('\n');
  });
  return `Examples:\n${blocks.join('\n\n')}`;
}
