import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PilotError } from '../errors.js';

/** The files a command reads and those it will write (issue 15: commands overwrote their own inputs). */
export interface OutputPlan {
  /** Every file the command reads (paths as the user gave them); undefined entries are skipped. */
  readonly inputs: readonly (string | undefined)[];
  /** Every file the command will write. */
  readonly outputs: readonly string[];
  /** Replace outputs that exist already (`--force`); an input is never replaced. */
  readonly force?: boolean;
}

/**
 * A path's identity: the file it names (device and inode) when it exists, so a relative
 * path, an absolute one and a link to the same file are one; else the path resolved.
 */
async function identity(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  return info ? `${info.dev}:${info.ino}` : `new:${resolve(path)}`;
}

/**
 * Refuses a run before it reads anything long when an output would replace one of its own
 * inputs (`--out roster.csv` over the roster it reads, by any path or link to it), or an
 * existing file without `force`: a command never destroys what it was given, and replaces
 * an earlier output only when told to.
 */
export async function guardOutputs(plan: OutputPlan): Promise<void> {
  const inputs = new Map<string, string>();
  for (const input of plan.inputs) if (input !== undefined) inputs.set(await identity(input), input);
  for (const output of plan.outputs) {
    const input = inputs.get(await identity(output));
    if (input !== undefined)
      throw new PilotError(`${output} is ${input}, an input of this run: it would be replaced by the output; write the output elsewhere`);
  }
  if (plan.force) return;
  for (const output of plan.outputs) {
    const info = await stat(output).catch(() => undefined);
    if (info) throw new PilotError(`${output} already exists: give --force to replace it, or write elsewhere`);
  }
}
