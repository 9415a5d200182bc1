import yargs from 'yargs';
import type { Argv } from 'yargs';
import { PilotError, UsageError, ValidationError } from '../errors.js';
import { VERSION } from '../version.js';
import { commands } from './commands/index.js';
import type { CliIo } from './io.js';

/** Exit codes: 0 done, 1 the input or the request was refused, 2 bad command line, 3 a bug. */
export const EXIT = { ok: 0, refused: 1, usage: 2, internal: 3 } as const;

/**
 * Runs `pilot` with `argv` (without the node and script names) and returns the exit
 * code. Nothing here calls process.exit, so tests run commands in-process.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let usageFailure: string | undefined;
  let handlerError: unknown;
  let parser: Argv = yargs([...argv])
    .scriptName('pilot')
    .usage('$0 <command> [options]\n\nRandomized pilot studies of school attendance interventions.')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'Name a command; `pilot --help` lists them.')
    .recommendCommands()
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      if (error) handlerError = error;
      else usageFailure = message;
    });
  for (const command of commands) {
    parser = parser.command(
      command.command,
      command.describe,
      (y) => command.builder(y),
      async (args) => {
        try {
          await command.handler(args, io, { argv, run });
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
    handlerError ??= error;
  }
  if (helpShown && !usageFailure) {
    io.stdout(helpShown);
    return EXIT.ok;
  }
  if (usageFailure) {
    io.stderr(`pilot: ${usageFailure}`);
    return EXIT.usage;
  }
  if (handlerError) return reportError(handlerError, io);
  return EXIT.ok;
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
