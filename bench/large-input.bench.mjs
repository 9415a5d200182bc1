// Benchmark (issue 4): very large inputs stream through within 4 GB. A 2,000,000-student
// roster (`pilot assign`), then a 50,000,000-row daily attendance file with that roster and
// its assignment (`pilot validate` over all four inputs, then `pilot messages`, which reads
// them again and writes a message per treated student). The files are made by the
// simulator and written piece by piece into a temporary folder; each command runs as a
// user runs it, and /usr/bin/time reports its peak resident memory. Target: < 4 GB peak
// for each command. BENCH_STUDENTS and BENCH_DAYS scale it down (rows ~ students x days).
// Making the files takes longer than the commands, so while working on one command:
// BENCH_DIR keeps them in that folder and reuses them on the next run (delete it when
// you change BENCH_STUDENTS or BENCH_DAYS), and BENCH_COMMANDS names the commands to run
// (e.g. `messages`; default `assign,validate,messages`).
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createRng,
  deriveRng,
  formatCsvObjects,
  ROSTER_COLUMNS,
  readAssignments,
  simulateCalendar,
  simulateRoster,
} from '../dist/index.js';
import { writeAttendanceCsv } from '../dist/simulate/write-simulated-attendance.js';
import { measurePilot } from './measure.mjs';

const students = Number(process.env.BENCH_STUDENTS ?? 2_000_000);
// 26 instructional days: the simulator records about 0.99 of student-days, so 2M x 26 > 50M rows.
const days = Number(process.env.BENCH_DAYS ?? 26);
const LIMIT_MB = 4096;
const keptDir = process.env.BENCH_DIR;
const dir = keptDir ?? mkdtempSync(join(tmpdir(), 'bench-large-'));
if (keptDir) mkdirSync(keptDir, { recursive: true });
const commands = (process.env.BENCH_COMMANDS ?? 'assign,validate,messages').split(',');
const mb = (bytes) => `${(bytes / 1e6).toFixed(0)} MB`;
const count = (n) => n.toLocaleString('en-US');
const since = (start) => ((performance.now() - start) / 1000).toFixed(0);

function report(label, run, extra = '') {
  console.log(
    `${label}: ${run.seconds.toFixed(1)} s wall, ${(run.user + run.sys).toFixed(1)} s CPU, peak RSS ${run.peakMb.toFixed(0)} MB (limit ${LIMIT_MB} MB)${extra}`,
  );
}

/** Writes text pieces to a new owner-only file, so no single string holds the whole file. */
function writeInPieces(path, pieces) {
  const fd = openSync(path, 'w', 0o600);
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}

try {
  // 1. The roster: simulated in memory (this process), written 100,000 students at a time.
  // The simulated students are needed again only to make the attendance file.
  let started = performance.now();
  const rosterPath = join(dir, 'roster.csv');
  const attendancePath = join(dir, 'attendance.csv');
  const calendarPath = join(dir, 'calendar.csv');
  const assignmentsPath = join(dir, 'study', 'assignments.csv');
  const reuse = existsSync(rosterPath) && existsSync(assignmentsPath) && existsSync(attendancePath) && existsSync(calendarPath);
  const roster = reuse ? undefined : simulateRoster({ students, districts: 60, householdSizeWeights: [0.2, 0.3, 0.3, 0.2] }, createRng(1));
  if (reuse) console.log(`reusing the files in ${dir}`);
  else {
    rmSync(join(dir, 'study'), { recursive: true, force: true });
    writeInPieces(
      rosterPath,
      (function* () {
        for (let from = 0; from < roster.length; from += 100_000) {
          const text = formatCsvObjects(ROSTER_COLUMNS, roster.slice(from, from + 100_000));
          yield from === 0 ? text : text.slice(text.indexOf('\n') + 1);
        }
      })(),
    );
    console.log(`roster: ${count(students)} students, ${mb(statSync(rosterPath).size)} of CSV (made in ${since(started)} s)`);
  }
  // A kept study is never assigned again (pilot assign refuses): a timed rerun gets its own folder.
  const runs = {};
  if (!reuse || commands.includes('assign')) {
    const out = reuse ? join(dir, 'assign-rerun') : join(dir, 'study');
    rmSync(join(dir, 'assign-rerun'), { recursive: true, force: true });
    runs.assign = measurePilot(['assign', '--roster', rosterPath, '--out', out, '--seed', '1']);
    report('pilot assign', runs.assign);
  }

  // 2. Attendance: the first `days` instructional days of the simulated year, streamed to
  // the file as `pilot simulate attendance` writes it.
  started = performance.now();
  const year = simulateCalendar(2025).filter((d) => d.school_id === undefined);
  const window = year.filter((d) => d.instructional).slice(0, days);
  const lastDay = window.at(-1).date;
  if (!reuse) {
    const calendar = year.filter((d) => d.date <= lastDay);
    writeInPieces(calendarPath, [formatCsvObjects(['date', 'school_id', 'instructional'], calendar)]);
    const armOf = new Map((await readAssignments({ path: assignmentsPath }, 'assignments.csv')).map((a) => [a.student_id, a.arm]));
    const rows = await writeAttendanceCsv(attendancePath, roster, armOf, calendar, { effect: 0.03 }, deriveRng(1, 'attendance'));
    console.log(
      `attendance: ${count(rows)} daily records over ${days} days, ${mb(statSync(attendancePath).size)} of CSV (made in ${since(started)} s)`,
    );
  }

  // 3. `pilot validate` reads every input once, checking each row: the plain stream-through.
  if (commands.includes('validate')) {
    runs.validate = measurePilot([
      'validate',
      '--roster',
      rosterPath,
      '--assignments',
      assignmentsPath,
      '--calendar',
      calendarPath,
      '--attendance',
      attendancePath,
    ]);
    report('pilot validate (roster, assignments, calendar, attendance)', runs.validate);
  }

  // 4. `pilot messages` reads them all again and writes a message for each treated student.
  if (commands.includes('messages')) {
    const settingsPath = join(dir, 'settings.json');
    writeInPieces(settingsPath, [
      JSON.stringify({ defaults: { sender_name: 'Ms. Rivera', sender_role: 'Attendance Coordinator', school_phone: '(555) 010-2000' } }),
    ]);
    const messagesPath = join(dir, 'sends', 'messages.csv');
    runs.messages = measurePilot([
      'messages',
      '--roster',
      rosterPath,
      '--assignments',
      assignmentsPath,
      '--attendance',
      attendancePath,
      '--calendar',
      calendarPath,
      '--settings',
      settingsPath,
      '--kind',
      'initial',
      '--as-of',
      lastDay,
      '--out',
      messagesPath,
    ]);
    report('pilot messages', runs.messages, `, ${mb(statSync(messagesPath).size)} of messages`);
  }

  const over = Object.entries(runs).filter(([, run]) => run.peakMb > LIMIT_MB);
  if (over.length > 0) {
    console.error(`over the ${LIMIT_MB} MB limit: ${over.map(([name]) => name).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  if (!keptDir) rmSync(dir, { recursive: true, force: true });
  else rmSync(join(dir, 'assign-rerun'), { recursive: true, force: true });
}
