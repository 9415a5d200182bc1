// Regenerates fixtures/deliveries/: a send log of the fixture study's first two sends in
// the generic layout (simulated: each caregiver reached by their preferred mode at that
// mode's rate, 1% of the control arm messaged by mistake), and the same messages of a few
// students as ParentSquare and SchoolMessenger export them, for their mappings in
// fixtures/mappings/. Run from the repository: `npm run build && node scripts/make-delivery-fixtures.mjs`.
// (`pilot simulate deliveries --study fixtures/study --roster fixtures/roster.csv --send-dates
// 2025-09-08,2025-10-14 --contamination 0.01 --seed 20260701` writes the same generic log, unzipped.)
import { gzipSync } from 'node:zlib';
import { readAssignments } from '../dist/data/read-assignments.js';
import { readRoster } from '../dist/data/read-roster.js';
import { formatSendLogCsv } from '../dist/data/read-send-log.js';
import { SHARED_MODE, writeFileAtomically } from '../dist/io/write-atomic.js';
import { formatCsv } from '../dist/io/write-csv.js';
import { DEFAULT_REACHABLE, simulateSendLog } from '../dist/simulate/simulate-send-log.js';

const roster = await readRoster({ path: 'fixtures/roster.csv' }, 'fixtures/roster.csv');
const byId = new Map(roster.students.map((s) => [s.student_id, s]));
const assignments = await readAssignments({ path: 'fixtures/study/assignments.csv' }, 'fixtures/study/assignments.csv');
const students = assignments.map((a) => {
  const s = byId.get(a.student_id);
  return { student_id: a.student_id, arm: a.arm, mode: s?.preferred_mode ?? 'text', language: s?.preferred_language };
});
const log = simulateSendLog({
  students,
  sendDates: ['2025-09-08', '2025-10-14'],
  reachable: DEFAULT_REACHABLE, // text 0.92, email 0.8, robocall 0.7, letter 0.95
  contamination: 0.01,
  seed: 20260701,
});
// gzip without a name or time in its header, so the same log makes the same bytes.
await writeFileAtomically('fixtures/deliveries/send-log.csv.gz', gzipSync(formatSendLogCsv(log.rows), { level: 9 }), SHARED_MODE);

// The vendors' layouts: the messages of some of the first district's students, by text and email
// (ParentSquare) and by phone (SchoolMessenger's phone log), in their words.
const school = new Set(assignments.filter((a) => a.district_id === 'D01').map((a) => a.student_id));
const usDate = (iso, time) => `${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${time}`;
const parentSquare = { delivered: 'Delivered', failed: 'Invalid', bounced: 'Bounced', opted_out: 'Blocked', not_sent: 'n/a' };
const psMethod = { text: 'Text', email: 'Email', robocall: 'Voice', letter: 'Letter' };
const psRows = ['text', 'email'].flatMap((mode) => log.rows.filter((r) => school.has(r.student_id) && r.mode === mode).slice(0, 12));
// An opened or clicked email was delivered too: ParentSquare reports the furthest it got.
const psStatus = (r, i) => (r.status === 'delivered' && r.mode === 'email' && i % 3 === 0 ? 'Opened' : parentSquare[r.status]);
await writeFileAtomically(
  'fixtures/deliveries/parentsquare.csv',
  formatCsv(
    ['Post Date', 'Student ID', 'Recipient Type', 'Method', 'Status'],
    psRows.map((r, i) => [usDate(r.send_date, '3:45 PM'), r.student_id, 'Parent', psMethod[r.mode], psStatus(r, i)]),
  ),
  SHARED_MODE,
);
const smResult = {
  delivered: 'Answered',
  failed: 'No Answer',
  bounced: 'Disconnect',
  opted_out: 'Consent Denied',
  not_sent: 'No Phone Selected',
};
const smRows = log.rows.filter((r) => r.mode === 'robocall').slice(0, 24);
await writeFileAtomically(
  'fixtures/deliveries/schoolmessenger-phone-log.csv',
  formatCsv(
    ['ID', 'Date', 'Type', 'Delivery Results'],
    smRows.map((r, i) => [
      r.student_id,
      usDate(r.send_date, '6:00 PM'),
      'Phone',
      r.status === 'delivered' && i % 2 === 0 ? 'Machine' : smResult[r.status],
    ]),
  ),
  SHARED_MODE,
);
console.log(
  `Wrote fixtures/deliveries/send-log.csv.gz (${log.rows.length} messages, ${log.received.size} students received, ${log.contaminated.size} control students messaged), parentsquare.csv (${psRows.length}) and schoolmessenger-phone-log.csv (${smRows.length})`,
);
