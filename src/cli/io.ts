import { safeForTerminal } from '../io/terminal-text.js';

/** Where a command prints: injected so tests run commands in-process and read what they said. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars draw only there). */
  readonly interactive: boolean;
}

// What pilot prints passes through safeForTerminal: values echoed from a file (an id in an
// error message) never reach the terminal as escape codes.
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(safeForTerminal(text.endsWith('\n') ? text : `${text}\n`)),
  stderr: (text) => process.stderr.write(safeForTerminal(text.endsWith('\n') ? text : `${text}\n`)),
  interactive: Boolean(process.stderr.isTTY),
};

/** Collects output in memory (tests). */
export function memoryIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    interactive: false,
  };
}
