import type { PilotCommand } from '../command.js';

/** Every `pilot` command, in the order `--help` lists them. Add one line per command. */
export const commands: readonly PilotCommand<never>[] = [
];
