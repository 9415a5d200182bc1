// Benchmark: a message list for 41,500 simulated students with a full school year of
// daily records (about 7.3 million rows), through the CLI exactly as a user runs it:
// roster, verified assignment, calendar, settings, attendance streamed once.
// Target (issue 6): < 20 s wall, < 1.5 GB peak memory.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignStudy, createRng, formatCsvObjects, ROSTER_COLUMNS, simulateCalendar, simulateRoster } from '../dist/index.js';
import { writeAttendanceCsv } from '../dist/simulate/write-simulated-attendance.js';
import { measurePilot } from './measure.mjs';

const students = Number(process.env.BENCH_STUDENTS ?? 41_500);
const dir = mkdtempSync(join(tmpdir(), 'bench-messages-'));
try {
  const roster = simulateRoster({ students, districts: 20 }, createRng(1));
  const rosterPath = join(dir, 'roster.csv');
  writeFileSync(rosterPath, formatCsvObjects(ROSTER_COLUMNS, roster));
  const study = await assignStudy(roster, { out: join(dir, 'study'), seed: 1, command: 'bench', created: '2025-08-01T00:00:00Z' });
  const calendar = simulateCalendar(2025);
  const calendarPath = join(dir, 'calendar.csv');
  writeFileSync(calendarPath, formatCsvObjects(['date', 'school_id', 'instructional'], calendar));
  const armOf = new Map(study.assignments.map((a) => [a.student_id, a.arm]));
  const attendancePath = join(dir, 'attendance.csv');
  const rows = await writeAttendanceCsv(attendancePath, roster, armOf, calendar, { effect: 0.024 }, createRng(2));
  const settingsPath = join(dir, 'settings.json');
  writeFileSync(
    settingsPath,
    JSON.stringify({
      defaults: {
        sender_name: 'Ms. Rivera',
        sender_role: 'Attendance Coordinator',
        school_phone: '(555) 010-2000',
        special_circumstances: true,
      },
    }),
  );
  console.log(
    `data: ${students.toLocaleString('en-US')} students, ${rows.toLocaleString('en-US')} daily records (${(statSync(attendancePath).size / 1e6).toFixed(0)} MB of CSV)`,
  );

  // A recurring list late in the year: the whole file is read, one window is counted.
  const runs = [
    ['initial, per student', ['--as-of', '2025-09-12', '--kind', 'initial']],
    ['recurring, per household', ['--as-of', '2026-05-08', '--kind', 'recurring', '--since', '2026-04-03', '--per', 'household']],
  ];
  for (const [label, extra] of runs) {
    const { seconds, peakMb, stdout } = measurePilot([
      'messages',
      '--roster',
      rosterPath,
      '--assignments',
      join(dir, 'study', 'assignments.csv'),
      '--attendance',
      attendancePath,
      '--calendar',
      calendarPath,
      '--settings',
      settingsPath,
      '--out',
      join(dir, 'messages.csv'),
      '--json',
      ...extra,
    ]);
    const summary = JSON.parse(stdout);
    console.log(
      `pilot messages (${label}): ${seconds.toFixed(2)} s wall, peak RSS ${peakMb.toFixed(0)} MB; ${summary.messages.toLocaleString('en-US')} messages, ${summary.skipped} skipped`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
