import { join } from 'node:path';
import { PilotError } from '../../errors.js';
import { createRng, deriveRng, generateSeed } from '../../random.js';
import { ROSTER_COLUMNS } from '../../data/read-roster.js';
import { readRosterSource } from '../../data/read-roster-source.js';
import { readAssignments } from '../../data/read-assignments.js';
import { simulateRoster } from '../../simulate/simulate-roster.js';
import { simulateCalendar } from '../../simulate/simulate-calendar.js';
import { writeAttendanceCsv } from '../../simulate/write-simulated-attendance.js';
import { recordSimulatedOutcomes } from '../../study/record-simulated-outcomes.js';
import { formatCsvObjects } from '../../io/write-csv.js';
import { SHARED_MODE, writeFilesAtomically } from '../../io/write-atomic.js';
import type { RosterStudent } from '../../types.js';
import type { PilotCommand } from '../command.js';

interface SimulateArgs {
  what: 'roster' | 'attendance';
  out: string;
  seed?: number;
  students: number;
  districts: number;
  roster?: string;
  assignments?: string;
  effect: number;
  districtEffects?: string;
  year: number;
}

export const simulateCommand: PilotCommand<SimulateArgs> = {
  command: 'simulate <what>',
  describe: 'Make a synthetic network with a known truth: a roster, then attendance after assignment',
  builder: (y) =>
    y
      .positional('what', { choices: ['roster', 'attendance'] as const, describe: 'roster (before assignment) or attendance (after)' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder' })
      .option('seed', { type: 'number', describe: 'random seed (generated and printed when not given)' })
      .option('students', { type: 'number', default: 1500, describe: 'roster: number of students' })
      .option('districts', { type: 'number', default: 3, describe: 'roster: number of districts' })
      .option('roster', { type: 'string', describe: 'attendance: the roster CSV, or a OneRoster folder or .zip' })
      .option('assignments', { type: 'string', describe: 'attendance: assignments.csv' })
      .option('effect', { type: 'number', default: 0.024, describe: 'attendance: true share of absences avoided by treatment (0.024 = 2.4%)' })
      .option('district-effects', { type: 'string', describe: 'attendance: per-district true effects, e.g. D01=0.05,D02=0' })
      .option('year', { type: 'number', default: 2025, describe: 'attendance: first calendar year of the school year' })
      .example('$0 simulate roster --out sim --students 1500 --districts 3 --seed 1', 'a roster')
      .example('$0 simulate attendance --roster sim/roster.csv --assignments study/assignments.csv --out sim --effect 0.024', 'a year of attendance'),
  handler: async (args, io) => {
    const seed = args.seed ?? generateSeed();
    if (args.what === 'roster') {
      if (!(args.students >= 1 && args.districts >= 1)) throw new PilotError('--students and --districts must be at least 1');
      const students = simulateRoster({ students: args.students, districts: args.districts }, createRng(seed));
      const path = join(args.out, 'roster.csv');
      await writeFilesAtomically([{ path, contents: formatCsvObjects<RosterStudent>(ROSTER_COLUMNS, students) }]);
      return io.stdout(`Simulated ${students.length} students in ${args.districts} districts (seed ${seed}): ${path}`);
    }
    if (!args.roster || !args.assignments) throw new PilotError('simulate attendance needs --roster and --assignments');
    const roster = await readRosterSource(args.roster);
    const assignments = await readAssignments({ path: args.assignments }, args.assignments);
    const districtEffects = Object.fromEntries((args.districtEffects ?? '').split(',').filter(Boolean).map((pair) => [pair.split('=')[0].trim(), Number(pair.split('=')[1])]));
    const calendar = simulateCalendar(args.year);
    const calendarPath = join(args.out, 'calendar.csv');
    await writeFilesAtomically([{ path: calendarPath, contents: formatCsvObjects(['date', 'school_id', 'instructional'], calendar), mode: SHARED_MODE }]);
    const armOf = new Map(assignments.map((a) => [a.student_id, a.arm]));
    const path = join(args.out, 'attendance.csv');
    const written = await writeAttendanceCsv(path, roster.students, armOf, calendar, { effect: args.effect, districtEffects }, deriveRng(seed, 'attendance'));
    // The manifest learns the day these outcomes started applying the arms, so they can be analyzed honestly (checkArmsInEffect).
    const manifest = written.armsTookEffect === undefined ? undefined : await recordSimulatedOutcomes(args.assignments, {
      created: new Date().toISOString(),
      command: `pilot ${process.argv.slice(2).join(' ')}`.trim(),
      attendance_sha256: written.sha256,
      arms_took_effect: written.armsTookEffect,
      true_effect: args.effect,
      ...(Object.keys(districtEffects).length > 0 ? { district_effects: districtEffects } : {}),
      seed,
    });
    io.stdout(`Simulated ${written.rows} daily records for ${roster.students.length} students, true effect ${args.effect} (seed ${seed}): ${path}, ${calendarPath}`);
    io.stdout(manifest ? `Recorded in ${manifest}: the arms took effect on ${written.armsTookEffect}, the first simulated school day.` : `${args.assignments} has no manifest beside it, so the day the arms took effect is not recorded: analyze these outcomes with --assignment-date ${written.armsTookEffect}.`);
  },
};
