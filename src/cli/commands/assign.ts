import { PilotError } from '../../errors.js';
import { assignStudy } from '../../assignment/assign-study.js';
import { formatBalanceSummary } from '../../assignment/format-balance-summary.js';
import type { PilotCommand } from '../command.js';
import { listOption } from '../command.js';

interface AssignArgs {
  roster: string;
  out: string;
  seed?: number;
  block?: string;
  arms?: string;
  p?: string;
  cluster: boolean;
  addLate: boolean;
  json: boolean;
}

export const assignCommand: PilotCommand<AssignArgs> = {
  command: 'assign',
  describe: 'Randomly assign students (households together) to arms within blocks',
  builder: (y) =>
    y
      .option('roster', { type: 'string', demandOption: true, describe: 'roster CSV (one row per student), or a OneRoster 1.1/1.2 folder or .zip' })
      .option('out', { type: 'string', demandOption: true, describe: 'folder for assignments.csv, its manifest and balance.csv' })
      .option('seed', { type: 'number', describe: 'random seed (generated and printed when not given)' })
      .option('block', { type: 'string', describe: 'blocking variables: district,school,grade (default), or "none"' })
      .option('arms', { type: 'string', describe: 'arm names, control first (default control,treatment)' })
      .option('p', { type: 'string', describe: 'arm probabilities in the order of --arms (default equal)' })
      .option('cluster', { type: 'boolean', default: true, describe: 'assign households together (--no-cluster: each student alone)' })
      .option('add-late', { type: 'boolean', default: false, describe: 'assign only roster students not yet in the existing assignment' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .example('$0 assign --roster roster.csv --out study --seed 2024', 'assign a study')
      .example('$0 assign --roster roster-october.csv --out study --add-late', 'add students who enrolled later'),
  handler: async (args, io, { argv }) => {
    if (args.addLate && (args.seed !== undefined || args.block || args.arms || args.p)) throw new PilotError('--add-late reuses the recorded seed and design: drop --seed, --block, --arms and --p');
    const design = args.addLate ? undefined : { blockBy: args.block === 'none' ? [] : listOption(args.block), arms: listOption(args.arms), probabilities: listOption(args.p)?.map(Number), clustered: args.cluster };
    const study = await assignStudy(args.roster, { out: args.out, addLate: args.addLate, design, seed: args.seed, command: `pilot ${argv.join(' ')}`.trim() });
    const files = study.files!;
    const summary = { assignments: files.assignments, run: study.run, seed: study.seed, students: study.students, households: study.households, households_spanning_blocks: study.householdsSpanningBlocks, by_arm: study.studentsByArm };
    if (args.json) return io.stdout(JSON.stringify(summary, null, 2));
    for (const warning of study.warnings) io.stderr(`note: ${warning.file}: ${warning.message}`);
    io.stdout(`Assigned ${summary.students} students in ${summary.households} households (${summary.run} run, seed ${summary.seed}): ${Object.entries(summary.by_arm).map(([arm, n]) => `${arm} ${n}`).join(', ')}.`);
    if (summary.households_spanning_blocks > 0) io.stdout(`${summary.households_spanning_blocks} households span blocks; each was randomized in the block of its lowest-grade student.`);
    io.stdout(formatBalanceSummary(study.balance, study.design.arms, study.design.controlArm));
    io.stdout(`Wrote ${files.assignments}, ${files.manifest} and ${files.balance}.`);
  },
};

