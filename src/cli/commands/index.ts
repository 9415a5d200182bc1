import type { AnyPilotCommand } from '../command.js';
import { analyzeCommand } from './analyze.js';
import { assignCommand } from './assign.js';
import { deliveriesCommand } from './deliveries.js';
import { demoCommand } from './demo.js';
import { messagesCommand } from './messages.js';
import { planCommand } from './plan.js';
import { reportCommand } from './report.js';
import { scheduleCommand } from './schedule.js';
import { simulateCommand } from './simulate.js';
import { validateCommand } from './validate.js';

/**
 * Every `pilot` command, in the order `--help` lists them: a study's own order (size it
 * before it starts, check the files, assign, plan the sends, make each send's list,
 * read what was delivered, estimate, report), then the two that make practice data. Add one line per command.
 */
export const commands: readonly AnyPilotCommand[] = [
  planCommand,
  validateCommand,
  assignCommand,
  scheduleCommand,
  messagesCommand,
  deliveriesCommand,
  analyzeCommand,
  reportCommand,
  simulateCommand,
  demoCommand,
];
