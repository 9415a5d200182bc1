import type { AnyPilotCommand } from '../command.js';
import { assignCommand } from './assign.js';
import { simulateCommand } from './simulate.js';
import { analyzeCommand } from './analyze.js';
import { messagesCommand } from './messages.js';
import { scheduleCommand } from './schedule.js';
import { validateCommand } from './validate.js';
import { reportCommand } from './report.js';
import { demoCommand } from './demo.js';

/** Every `pilot` command, in the order `--help` lists them. Add one line per command. */
export const commands: readonly AnyPilotCommand[] = [
  simulateCommand,
  assignCommand,
  analyzeCommand,
  messagesCommand,
  scheduleCommand,
  validateCommand,
  reportCommand,
  demoCommand,
];
