import type { Argv } from 'yargs';
import yargs from 'yargs';
import { PilotError, UsageError, ValidationError } from '../errors.js';
import { VERSION } from '../version.js';
import type { CommandContext } from './command.js';
import { formatExamples } from './command.js';
import { commands } from './commands/index.js';
import type { CliIo } from './io.js';
import { suggestName } from './suggest-name.js';

/** Exit codes: 0 done, 1 the input or the request was refused, 2 bad command line, 3 a bug. */
export const EXIT = { ok: 0, refused: 1, usage: 2, internal: 3 } as const;

/** A bad command line found by yargs or by a command's option checks (exit 2). */
class CommandLineError extends Error {}

const COMMAND_NAMES = commands.map((c) => c.command.split(' ')[0]);

/**
 * Runs `pilot` with `argv` (without the node and script names) and returns the exit
 * code. Nothing here calls process.exit, so tests run commands in-process. Options are
 * checked (yargs' strict mode and each command's `.check`) before a handler runs, so a bad
 * command line never reads or writes a file.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [name] = argv;
  if (name !== undefined && !name.startsWith('-') && !COMMAND_NAMES.includes(name)) {
    const near = suggestName(name, COMMAND_NAMES);
    io.stderr(`pilot: unknown command "${name}"${near ? `; did you mean \`pilot ${near}\`?` : ''} (\`pilot --help\` lists the commands)`);
    return EXIT.usage;
  }
  const context: CommandContext = { argv, run };
  const width = Math.min(100, process.stdout.columns ?? 100);
  let knownOptions: string[] = [];
  let handlerError: unknown;
  let parser: Argv = yargs([...argv])
    .scriptName('pilot')
    .usage('$0 <command> [options]\n\nRandomized pilot studies of school attendance interventions.')
    .epilogue(
      "A study runs plan (before it starts: how many students for a clear answer), validate, assign, schedule, messages (once per send), analyze and report, in that order; simulate and demo make practice data. `pilot <command> --help` shows each command's options and examples, run from the repository on its fixtures.",
    )
    .version(VERSION)
    .locale('en')
    .strict()
    .demandCommand(1, 'Name a command; `pilot --help` lists them.')
    .exitProcess(false)
    .wrap(width)
    .fail((message, error) => {
      // Thrown, not recorded: yargs would otherwise go on to run the handler.
      if (error && !(error instanceof UsageError) && error.name !== 'YError') throw error;
      throw new CommandLineError(message ?? error?.message);
    });
  for (const command of commands) {
    parser = parser.command(
      command.command,
      command.describe,
      (y) => {
        const built = command.builder(y);
        built.epilogue(formatExamples(command.examples, width - 2));
        knownOptions = optionNames(built);
        return built;
      },
      async (args) => {
        try {
          await command.handler(args, io, context);
        } catch (error) {
          handlerError = error;
        }
      },
    );
  }
  let helpShown = '';
  try {
    await parser.parseAsync([...argv], {}, (_error, _argv, output) => {
      helpShown = output;
    });
  } catch (error) {
    if (error instanceof CommandLineError || (error instanceof Error && error.name === 'YError')) {
      io.stderr(`pilot: ${error.message}${unknownOptionHint(argv, knownOptions)}`);
      return EXIT.usage;
    }
    handlerError ??= error;
  }
  if (handlerError) return reportError(handlerError, io);
  if (helpShown) io.stdout(helpShown);
  return EXIT.ok;
}

/**
 * The options a command defines, by their flags. `getOptions` is public in yargs' code but
 * missing from its types; camelCase copies of kebab-case flags are left out.
 */
function optionNames(y: Argv): string[] {
  const { key } = (y as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
  return Object.keys(key).filter((name) => !/[A-Z]/.test(name));
}

/**
 * `; did you mean --roster (not --rooster)?` for each option on the command line that the
 * command does not know but one of its options is near to. Read from the command line, not
 * yargs' message: a mistyped required option is first reported missing.
 */
function unknownOptionHint(argv: readonly string[], known: readonly string[]): string {
  const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const isKnown = (name: string) =>
    known.includes(name) || known.some((k) => camel(k) === name) || (name.startsWith('no-') && known.includes(name.slice(3)));
  const hints = argv.flatMap((word) => {
    const typed = /^--?([a-zA-Z][^=]*)/.exec(word)?.[1];
    const near = typed === undefined || isKnown(typed) ? undefined : suggestName(typed, known);
    return near ? [`--${near} (not ${word.split('=')[0]})`] : [];
  });
  return hints.length > 0 ? `; did you mean ${hints.join(', ')}?` : '';
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof ValidationError || error instanceof PilotError) {
    io.stderr(`pilot: ${error.message}`);
    return EXIT.refused;
  }
  if (error instanceof UsageError) {
    io.stderr(`pilot: ${error.message}`);
    return EXIT.usage;
  }
  io.stderr(`pilot: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.internal;
}
