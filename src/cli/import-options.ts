import type { Argv } from 'yargs';
import type { BlockVariable } from '../assignment/design.js';
import { formatBalanceSummary } from '../assignment/format-balance-summary.js';
import type { ImportAssignmentsOptions, ImportedAssignment } from '../assignment/import-assignments.js';
import type { ArmLabels } from '../data/read-imported-assignments.js';
import type { RosterSourceOptions } from '../data/read-roster-source.js';
import { UsageError } from '../errors.js';
import { listOption } from './command.js';
import type { CliIo } from './io.js';

/** `pilot assign --import`: an assignment made by another tool, and how to read it. */
export interface ImportArgs {
  readonly import?: string;
  readonly labels?: string;
  readonly blockP?: string;
  readonly madeBy?: string;
}

/** The names of the options `importOptions` adds, for the command's `.group()`. */
export const IMPORT_OPTIONS = ['import', 'labels', 'block-p', 'made-by'] as const;

/**
 * Adds `--import`, `--labels`, `--block-p` and `--made-by` to `pilot assign`
 * (docs/assign.md, "Assignments made elsewhere"), with the rules that tie them together:
 * an imported assignment has no seed or arms of ours, and the three others go with it.
 */
export function importOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('import', { type: 'string', describe: 'take the arms from an assignment made elsewhere (CSV: student_id, arm or Z, ...)' })
    .option('labels', {
      type: 'string',
      describe: "with --import: the file's arm labels, e.g. control=C,treatment=T (default control/treatment or 0/1)",
    })
    .option('block-p', { type: 'string', describe: "with --import: CSV of each block's probability of treatment (block, prob_treatment)" })
    .option('made-by', {
      type: 'string',
      describe: 'with --import: what made the file, for the manifest and the report (e.g. "R randomizr block_ra")',
    })
    .check((argv) => {
      const a = argv as unknown as ImportArgs & { seed?: number; arms?: string; addLate?: boolean };
      if (a.import === undefined) {
        const stray = [a.labels && '--labels', a.blockP && '--block-p', a.madeBy !== undefined && '--made-by'].filter(Boolean);
        if (stray.length > 0) throw new UsageError('assign', `${stray.join(', ')} describe an imported assignment: give --import FILE too`);
      } else if (a.seed !== undefined || a.arms !== undefined || a.addLate)
        throw new UsageError('assign', '--import takes the arms as they were made elsewhere: drop --seed, --arms and --add-late');
      if (a.labels !== undefined) labelsOf(a.labels);
      return true;
    }) as Argv<T>;
}

/** `control=C,treatment=T` as labels; a usage error for anything else. */
function labelsOf(text: string): ArmLabels {
  const pairs = Object.fromEntries((listOption(text) ?? []).map((pair) => pair.split('=').map((part) => part.trim())));
  const { control, treatment } = pairs as Record<string, string | undefined>;
  if (!control || !treatment || control === treatment || Object.keys(pairs).length !== 2)
    throw new UsageError(
      'assign',
      `--labels must name the file's two labels, e.g. control=0,treatment=1 or control=C,treatment=T; got "${text}"`,
    );
  return { control, treatment };
}

/** The options of `importAssignments` from the command line. */
export function importOptionsOf(
  args: ImportArgs & { out: string; block?: string; p?: string; cluster: boolean },
  rosterOptions: RosterSourceOptions,
  command: string,
): ImportAssignmentsOptions {
  const p = listOption(args.p)?.map(Number);
  return {
    out: args.out,
    ...(args.labels ? { labels: labelsOf(args.labels) } : {}),
    ...(p ? { pTreatment: p[1] } : {}),
    ...(args.blockP ? { blockProbabilities: args.blockP } : {}),
    ...(args.block ? { blockBy: (args.block === 'none' ? [] : listOption(args.block)) as BlockVariable[] } : {}),
    clustered: args.cluster,
    ...(args.madeBy !== undefined ? { madeBy: args.madeBy } : {}),
    rosterOptions,
    command,
  };
}

/** Prints what an import made: as JSON for a script, or the lines a person reads. */
export function printImported(study: ImportedAssignment, json: boolean, io: CliIo): void {
  const files = study.files!;
  const imported = study.manifest.imported!;
  if (json) {
    const summary = {
      assignments: files.assignments,
      imported: imported.file,
      made_by: imported.source,
      students: study.students,
      households: study.households,
      by_arm: study.studentsByArm,
    };
    return io.stdout(JSON.stringify(summary, null, 2));
  }
  for (const warning of study.warnings) io.stderr(`note: ${warning.file}: ${warning.message}`);
  const byArm = Object.entries(study.studentsByArm)
    .map(([arm, n]) => `${arm} ${n}`)
    .join(', ');
  const given =
    imported.probabilities.given === 'per student' ? `per student (column ${imported.probabilities.column})` : imported.probabilities.given;
  io.stdout(
    `Imported ${study.students} students in ${study.households} households from ${imported.file} (made by ${imported.source}): ${byArm}.`,
  );
  io.stdout(`Probabilities of treatment given ${given}; blocks from the ${imported.blocks === 'file' ? "file's block column" : 'roster'}.`);
  io.stdout(formatBalanceSummary(study.balance, ['control', 'treatment'], 'control'));
  io.stdout(`Wrote ${files.assignments}, ${files.manifest} and ${files.balance}.`);
}
