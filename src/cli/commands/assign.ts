import type { StudyAssignment } from '../../assignment/assign-study.js';
import { assignStudy } from '../../assignment/assign-study.js';
import type { DesignOptions } from '../../assignment/design.js';
import { normalizeDesign } from '../../assignment/design.js';
import { formatBalanceSummary } from '../../assignment/format-balance-summary.js';
import { importAssignments } from '../../assignment/import-assignments.js';
import { readMappingFile } from '../../data/read-mapping-file.js';
import { UsageError } from '../../errors.js';
import type { PilotCommand } from '../command.js';
import { formatCommandLine, listOption, numberRules, SEED_RULE } from '../command.js';
import type { ExportArgs } from '../export-options.js';
import { EXPORT_OPTIONS, exportOptions, oneRosterOptionsOf } from '../export-options.js';
import type { ImportArgs } from '../import-options.js';
import { IMPORT_OPTIONS, importOptions, importOptionsOf, printImported } from '../import-options.js';

interface AssignArgs extends ExportArgs, ImportArgs {
  roster: string;
  out: string;
  seed?: number;
  block?: string;
  arms?: string;
  p?: string;
  cluster: boolean;
  householdsAcrossDistricts: boolean;
  addLate: boolean;
  plan?: string;
  continueFrom?: string;
  rerandomize: boolean;
  json: boolean;
}

/** What a script reads of an assignment (`--json`). */
function summaryOf(study: StudyAssignment) {
  return {
    assignments: study.files!.assignments,
    run: study.run,
    seed: study.seed,
    students: study.students,
    households: study.households,
    households_spanning_blocks: study.householdsSpanningBlocks,
    by_arm: study.studentsByArm,
    left_out: study.leftOut.length,
  };
}

/** The lines a person reads: who was assigned, the balance, what was written. */
function summaryLines(study: StudyAssignment): string[] {
  const files = study.files!;
  const byArm = Object.entries(study.studentsByArm)
    .map(([arm, n]) => `${arm} ${n}`)
    .join(', ');
  const lines = [
    `Assigned ${study.students} students in ${study.households} households (${study.run} run, seed ${study.seed})${byArm ? `: ${byArm}` : ''}.`,
  ];
  const link = study.manifest.continued_from;
  if (link)
    lines.push(
      link.rerandomized
        ? `Continues ${link.assignments}: everyone re-randomized (${link.returning_students} returning students).`
        : `Continues ${link.assignments}: ${link.returning_students} returning students; ${link.kept_households} households kept last year's arm, ${study.households - link.kept_households} new households were randomized.`,
    );
  if (study.householdsSpanningBlocks > 0)
    lines.push(`${study.householdsSpanningBlocks} households span blocks; each was randomized in the block of its lowest-grade student.`);
  lines.push(formatBalanceSummary(study.balance, study.design.arms, study.design.controlArm));
  lines.push(`Wrote ${files.assignments}, ${files.manifest} and ${files.balance}.`);
  if (study.manifest.analysis_plan?.with_assignment)
    lines.push(`Locked the analysis plan with this run: analysis-plan.json beside the assignment, its SHA-256 in the manifest.`);
  if (study.leftOutFile)
    lines.push(
      `${study.leftOut.length} students of the roster were left out (the notes say why); ${study.leftOutFile} lists them (private).`,
    );
  return lines;
}

export const assignCommand: PilotCommand<AssignArgs> = {
  command: 'assign',
  describe: 'Randomly assign students (households together) to arms within blocks',
  builder: (y) =>
    importOptions(exportOptions(y))
      .option('roster', {
        type: 'string',
        demandOption: true,
        describe: 'roster CSV (one row per student), or a OneRoster 1.1/1.2 folder or .zip',
      })
      .option('seed', { type: 'number', describe: 'random seed (generated and printed when not given)' })
      .option('block', { type: 'string', describe: 'blocking variables: district,school,grade (default), or "none"' })
      .option('arms', { type: 'string', describe: 'arm names, control first (default control,treatment)' })
      .option('p', { type: 'string', describe: 'arm probabilities in the order of --arms (default equal)' })
      .option('cluster', { type: 'boolean', default: true, describe: 'assign households together (--no-cluster: each student alone)' })
      .option('households-across-districts', {
        type: 'boolean',
        default: false,
        describe: "accept a household in two districts: assigned once, in its lowest-grade student's block",
      })
      .option('add-late', { type: 'boolean', default: false, describe: 'assign only roster students not yet in the existing assignment' })
      .option('continue-from', {
        type: 'string',
        describe: "last year's assignments.csv: returning students and households keep their arms, newcomers are randomized",
      })
      .option('rerandomize', { type: 'boolean', default: false, describe: 'with --continue-from: randomize everyone anew' })
      .option('out', { type: 'string', demandOption: true, describe: 'folder for assignments.csv, its manifest and balance.csv' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .option('plan', {
        type: 'string',
        describe: 'an analysis-plan.json (pilot plan --lock --out): locked with this first run, copied beside the assignment',
      })
      .group(['roster', ...EXPORT_OPTIONS, 'households-across-districts'], 'Inputs:')
      .group(['seed', 'block', 'arms', 'p', 'cluster', 'add-late', 'continue-from', 'rerandomize'], 'Design:')
      .group([...IMPORT_OPTIONS], 'Assignments made elsewhere:')
      .group(['out', 'json', 'plan'], 'Output:')
      .check(numberRules('assign', { seed: SEED_RULE }))
      .check((argv) => {
        // A late run is bound to the first run's seed and design: a new one would be ignored.
        if (argv.addLate && (argv.seed !== undefined || argv.block || argv.arms || argv.p))
          throw new UsageError('assign', '--add-late reuses the recorded seed and design: drop --seed, --block, --arms and --p');
        if (argv.rerandomize && argv.continueFrom === undefined)
          throw new UsageError('assign', '--rerandomize re-randomizes a continuing study: give --continue-from too');
        if (argv.addLate && argv.continueFrom !== undefined)
          throw new UsageError(
            'assign',
            '--continue-from starts a new study in a new folder; --add-late adds to an existing one: give one',
          );
        // Checked here so a bad design is said before the roster is read.
        normalizeDesign(designOf(argv as unknown as AssignArgs));
        return true;
      }),
  examples: [
    {
      line: 'pilot assign --roster fixtures/roster.csv --out my-study --seed 2024',
      does: 'assign a study: blocked by district, school and grade, households together, 50/50',
    },
    {
      line: 'pilot assign --roster fixtures/roster.csv --continue-from my-study/assignments.csv --out year-2 --seed 2027',
      does: "a second year: returning students and households keep last year's arms, newcomers are randomized in their blocks",
    },
    {
      line: 'pilot assign --roster fixtures/roster.csv --out my-study --add-late',
      does: 'later: assign the students of a newer roster who are not yet assigned (here none)',
    },
  ],
  handler: async (args, io, { argv }) => {
    const mapping = args.map ? (await readMappingFile(args.map)).roster : undefined;
    const rosterOptions = { ...oneRosterOptionsOf(args), mapping, householdsAcrossDistricts: args.householdsAcrossDistricts };
    if (args.import)
      return printImported(
        await importAssignments(args.import, args.roster, importOptionsOf(args, rosterOptions, formatCommandLine(argv))),
        args.json,
        io,
      );
    const study = await assignStudy(args.roster, {
      out: args.out,
      addLate: args.addLate,
      analysisPlan: args.plan,
      continueFrom: args.continueFrom,
      rerandomize: args.rerandomize,
      design: args.addLate ? undefined : designOf(args),
      seed: args.seed,
      rosterOptions,
      command: formatCommandLine(argv),
    });
    if (args.json) return io.stdout(JSON.stringify(summaryOf(study), null, 2));
    for (const warning of study.warnings) io.stderr(`note: ${warning.file}: ${warning.message}`);
    for (const line of summaryLines(study)) io.stdout(line);
  },
};

/** The design options as `assignStudy` takes them (it fills the defaults). */
function designOf(args: Pick<AssignArgs, 'block' | 'arms' | 'p' | 'cluster'>): DesignOptions {
  return {
    blockBy: args.block === 'none' ? [] : listOption(args.block),
    arms: listOption(args.arms),
    probabilities: listOption(args.p)?.map(Number),
    clustered: args.cluster,
  };
}
