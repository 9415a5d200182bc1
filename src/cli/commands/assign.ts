import { readFile } from 'node:fs/promises';
import { PilotError } from '../../errors.js';
import { generateSeed } from '../../random.js';
import { ASSIGNMENT_ROSTER_COLUMNS } from '../../data/read-roster.js';
import { readRosterColumnsSource, readRosterSource } from '../../data/read-roster-source.js';
import { normalizeDesign } from '../../assignment/design.js';
import { assignmentPaths, fileExists, readVerifiedAssignments, writeAssignmentFiles } from '../../assignment/assignment-files.js';
import { planInitialAssignmentOnTwoThreads, planLateAssignment } from '../../assignment/plan-assignment.js';
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
  handler: async (args, io) => {
    const paths = assignmentPaths(args.out);
    const exists = await fileExists(paths.assignments);
    if (exists && !args.addLate) throw new PilotError(`${paths.assignments} already exists: an assignment is never redone. Use --add-late to assign students enrolled since.`);
    if (!exists && args.addLate) throw new PilotError(`--add-late needs an existing assignment, and ${paths.assignments} does not exist`);
    if (args.addLate && (args.seed !== undefined || args.block || args.arms || args.p)) throw new PilotError('--add-late reuses the recorded seed and design: drop --seed, --block, --arms and --p');
    // A first assignment reads the roster as columns, a late one as students to match with those assigned.
    const roster = args.addLate ? await readRosterSource(args.roster, ASSIGNMENT_ROSTER_COLUMNS) : await readRosterColumnsSource(args.roster, ASSIGNMENT_ROSTER_COLUMNS);
    const context = { command: `pilot ${process.argv.slice(2).join(' ')}`.trim(), inputs: { roster: { path: args.roster, sha256: roster.sha256 } }, created: new Date().toISOString() };
    const seed = args.seed ?? generateSeed();
    const plan = 'students' in roster
      ? planLateAssignment(await readFile(paths.assignments, 'utf8'), ...(await verified(paths.assignments)), roster.students, context)
      : await planInitialAssignmentOnTwoThreads(roster.columns, normalizeDesign({ blockBy: args.block === 'none' ? [] : listOption(args.block), arms: listOption(args.arms), probabilities: listOption(args.p)?.map(Number), clustered: args.cluster }), seed, context, roster.households);
    const manifest = await writeAssignmentFiles(args.out, plan.csvParts, plan.manifest, plan.balanceCsv);
    const summary = { assignments: paths.assignments, run: manifest.runs.at(-1)!.assigned_at, seed: manifest.seed, students: plan.manifest.runs.at(-1)!.students_added, households: plan.run.households, households_spanning_blocks: plan.run.householdsSpanningBlocks, by_arm: plan.studentsByArm };
    if (args.json) return io.stdout(JSON.stringify(summary, null, 2));
    for (const warning of roster.warnings) io.stderr(`note: ${warning.file}: ${warning.message}`);
    io.stdout(`Assigned ${summary.students} students in ${summary.households} households (${summary.run} run, seed ${summary.seed}): ${Object.entries(summary.by_arm).map(([arm, n]) => `${arm} ${n}`).join(', ')}.`);
    if (summary.households_spanning_blocks > 0) io.stdout(`${summary.households_spanning_blocks} households span blocks; each was randomized in the block of its lowest-grade student.`);
    io.stdout(formatBalanceSummary(plan.balance, plan.design.arms, plan.design.controlArm));
    io.stdout(`Wrote ${paths.assignments}, ${paths.manifest} and ${paths.balance}.`);
  },
};

async function verified(path: string) {
  const { assignments, manifest } = await readVerifiedAssignments(path);
  return [assignments, manifest] as const;
}
