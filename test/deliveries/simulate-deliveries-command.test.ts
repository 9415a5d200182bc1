import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readDeliveredPerStudent } from '../../src/data/read-delivered-per-student.js';
import { readRosterSource } from '../../src/data/read-roster-source.js';
import { formatSendLogAs } from '../../src/simulate/format-vendor-send-log.js';
import { FIXTURE_STUDY, FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const STUDY = join(FIXTURES, 'study');
const MAPPINGS = join(FIXTURES, 'mappings');
/** The fixture send log's recipe (scripts/make-delivery-fixtures.mjs): two sends, 1% contamination, its seed. */
const FIXTURE_LOG_ARGS = ['--send-dates', '2025-09-08,2025-10-14', '--contamination', '0.01', '--seed', '20260701'];

async function pilot(args: string[]) {
  const io = memoryIo();
  const code = await run(args, io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

const simulate = (out: string, ...extra: string[]) =>
  pilot(['simulate', 'deliveries', '--study', STUDY, '--roster', FIXTURE_STUDY.roster, ...FIXTURE_LOG_ARGS, '--out', out, ...extra]);

describe('pilot simulate deliveries', () => {
  it("writes the fixture study's send log byte for byte as the fixture was made (0600), and says what it holds", async () => {
    const dir = await tempDir();
    const { code, out, err } = await simulate(dir);
    expect(err).toBe('');
    expect(code).toBe(0);
    const path = join(dir, 'send-log.csv');
    expect(await readFile(path, 'utf8')).toBe(gunzipSync(await readFile(join(FIXTURES, 'deliveries', 'send-log.csv.gz'))).toString('utf8'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // 731 treated students x 2 sends = 1,462 messages, and 12 control students logged once (11 of them sent, one opted out).
    expect(out).toBe(
      `Simulated 1474 messages: the caregivers of 642 of 731 treated students received at least one; 12 control students in the log by mistake (seed 20260701): ${path} (readable by you only)\n` +
        `Read it with: pilot deliveries --study ${STUDY} --log ${path} --out DIR`,
    );
  });

  it('round trip: simulate deliveries -> pilot deliveries -> pilot analyze --deliveries, with exact counts', async () => {
    const dir = await tempDir();
    expect((await simulate(dir)).code).toBe(0);
    const read = await pilot(['deliveries', '--study', STUDY, '--log', join(dir, 'send-log.csv'), '--out', join(dir, 'deliveries')]);
    expect(read.code).toBe(0);
    const summary = JSON.parse(await readFile(join(dir, 'deliveries', 'deliveries.json'), 'utf8'));
    expect(summary.messages).toBe(1474);
    const treated = summary.rates.find((r: { dimension: string; arm: string }) => r.dimension === 'arm' && r.arm === 'treatment');
    expect([treated.students, treated.messages, treated.delivered]).toEqual([731, 1462, 1221]);
    const perStudent = await readDeliveredPerStudent(join(dir, 'deliveries', 'delivered-per-student.csv'));
    expect([...perStudent.values()].filter((s) => s.arm === 'treatment' && s.delivered >= 1)).toHaveLength(642);

    const analyzed = join(dir, 'results');
    const analyze = await pilot([
      'analyze',
      ...Object.entries(FIXTURE_STUDY).flatMap(([role, path]) => [`--${role}`, path]),
      '--from',
      '2025-09-08',
      '--to',
      '2026-05-29',
      '--method',
      'laplace',
      '--seed',
      '1',
      '--deliveries',
      join(dir, 'deliveries'),
      '--out',
      analyzed,
    ]);
    expect(analyze.code).toBe(0);
    const result = JSON.parse(await readFile(join(analyzed, 'analysis.json'), 'utf8'));
    // The treated students in the fit (model_input.csv), and those of them with a message delivered, counted from the files.
    const table = (await readFile(join(analyzed, 'model_input.csv'), 'utf8')).trim().split('\n');
    const header = table[0].split(',');
    const rows = table.slice(1).map((line) => line.split(','));
    // A student with no enrolled day in the window (e = 0) is in the table but not in the fit.
    const inFit = rows
      .filter((r) => r[header.indexOf('treat')] === '1' && Number(r[header.indexOf('e')]) > 0)
      .map((r) => r[header.indexOf('student_id')]);
    const received = inFit.filter((id) => perStudent.get(id)!.delivered >= 1).length;
    expect(result.delivered_effect.treatment.students).toBe(inFit.length);
    expect(result.delivered_effect.treatment.received).toBe(received);
    expect(received).toBeGreaterThan(600);
    expect(result.delivered_effect.control.received).toBe(11);
    expect(result.delivered_effect.estimable).toBe(true);
  }, 120_000);

  it("a vendor's layout reads back through its shipped mapping to the same per-student counts", async () => {
    const dir = await tempDir();
    const generic = join(dir, 'generic');
    expect((await simulate(dir)).code).toBe(0);
    expect((await pilot(['deliveries', '--study', STUDY, '--log', join(dir, 'send-log.csv'), '--out', generic])).code).toBe(0);
    const expected = await readDeliveredPerStudent(join(generic, 'delivered-per-student.csv'));

    const ps = await simulate(dir, '--layout', 'parentsquare');
    expect(ps.out).toContain(`--map fixtures/mappings/parentsquare-deliveries.json`);
    const psLog = join(dir, 'parentsquare-send-log.csv');
    expect((await readFile(psLog, 'utf8')).split('\n')[0]).toBe('Post Date,Student ID,Recipient Type,Method,Status');
    const psRead = await pilot([
      'deliveries',
      ...['--study', STUDY, '--log', psLog, '--map', join(MAPPINGS, 'parentsquare-deliveries.json'), '--out', join(dir, 'ps')],
    ]);
    expect(psRead.err).toBe('');
    // Every message, every status: the same file as from our layout.
    expect(await readFile(join(dir, 'ps', 'delivered-per-student.csv'), 'utf8')).toBe(
      await readFile(join(generic, 'delivered-per-student.csv'), 'utf8'),
    );

    // SchoolMessenger sends no letters: 222 letter messages left out; everyone else's counts are the same.
    const smJson = await simulate(dir, '--layout', 'schoolmessenger', '--json');
    expect(JSON.parse(smJson.out)).toEqual({
      log: join(dir, 'schoolmessenger-send-log.csv'),
      layout: 'schoolmessenger',
      messages: 1252,
      left_out: 222,
      treated: 731,
      received: 642,
      contaminated: 12,
      mapping: 'schoolmessenger-deliveries.json',
      seed: 20260701,
    });
    const sm = await simulate(dir, '--layout', 'schoolmessenger', '--force');
    expect(sm.out).toMatch(/^Simulated 1252 messages \(222 letters left out: this vendor sends none\)/);
    const smLog = join(dir, 'schoolmessenger-send-log.csv');
    expect((await stat(smLog)).mode & 0o777).toBe(0o600);
    const smRead = await pilot([
      'deliveries',
      ...['--study', STUDY, '--log', smLog, '--map', join(MAPPINGS, 'schoolmessenger-deliveries.json'), '--out', join(dir, 'sm')],
    ]);
    expect(smRead.code).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'sm', 'deliveries.json'), 'utf8')).messages).toBe(1252);
    const smCounts = await readDeliveredPerStudent(join(dir, 'sm', 'delivered-per-student.csv'));
    const roster = await readRosterSource(FIXTURE_STUDY.roster);
    const byLetter = new Set(roster.students.filter((s) => s.preferred_mode === 'letter').map((s) => s.student_id));
    let compared = 0;
    for (const [id, counts] of expected) {
      if (byLetter.has(id)) continue;
      expect(smCounts.get(id)).toEqual(counts);
      compared++;
    }
    // 1,500 students less the 209 whose caregivers prefer letters.
    expect([byLetter.size, compared]).toEqual([209, 1291]);
  }, 60_000);

  it('--reachable sets the compliance rate by mode; the other modes keep theirs, and the same draws', async () => {
    const dir = await tempDir();
    const none = await simulate(join(dir, 'none'), '--reachable', 'text=0,email=0,robocall=0,letter=0');
    expect(none.out).toMatch(/^Simulated 1474 messages: the caregivers of 0 of 731 treated students received at least one;/);
    expect(await readFile(join(dir, 'none', 'send-log.csv'), 'utf8')).not.toContain(',delivered,');
    // Letters never arrive; every other row is the fixture log's (one seeded stream, three draws per student whatever the rates).
    expect((await simulate(join(dir, 'letters'), '--reachable', 'letter=0')).code).toBe(0);
    const lines = (await readFile(join(dir, 'letters', 'send-log.csv'), 'utf8')).split('\n');
    const fixture = gunzipSync(await readFile(join(FIXTURES, 'deliveries', 'send-log.csv.gz')))
      .toString('utf8')
      .split('\n');
    expect(lines).toHaveLength(fixture.length);
    const letterRows = lines.filter((line) => line.split(',')[2] === 'letter');
    expect(letterRows).toHaveLength(fixture.filter((line) => line.split(',')[2] === 'letter').length);
    expect(letterRows.filter((line) => line.split(',')[3] === 'delivered')).toEqual([]);
    expect(lines.filter((line) => line.split(',')[2] !== 'letter')).toEqual(fixture.filter((line) => line.split(',')[2] !== 'letter'));
    for (const bad of ['sms=0.5', 'text=1.5', 'text'])
      expect(
        (await pilot(['simulate', 'deliveries', '--study', STUDY, '--send-dates', '2025-09-08', '--reachable', bad, '--out', dir])).code,
      ).toBe(2);
    const named = await pilot([
      'simulate',
      'deliveries',
      '--study',
      STUDY,
      '--send-dates',
      '2025-09-08',
      '--reachable',
      'sms=0.5',
      '--out',
      dir,
    ]);
    expect(named.err).toContain(
      '--reachable takes mode=share pairs separated by commas (text=0.9,email=0.6; modes text, email, robocall, letter), got "sms=0.5"',
    );
  });

  it('neutralizes cells a spreadsheet would run (student ids starting with = and @)', () => {
    const rows = ['=1+1', '@SUM(A1)'].map((student_id) => ({
      student_id,
      send_date: '2025-09-08',
      mode: 'text' as const,
      status: 'delivered' as const,
    }));
    for (const layout of ['generic', 'parentsquare', 'schoolmessenger'] as const) {
      const { contents } = formatSendLogAs(rows, layout);
      expect(contents).toContain("'=1+1");
      expect(contents).toContain("'@SUM(A1)");
      expect(contents).not.toMatch(/(^|,)[=@]/m);
    }
  });

  it('refuses a bad command line (exit 2) and an existing log without --force (exit 1), writing nothing', async () => {
    const dir = await tempDir();
    const noDates = await pilot(['simulate', 'deliveries', '--study', STUDY, '--out', dir]);
    expect(noDates.code).toBe(2);
    expect(noDates.err).toContain('simulate deliveries needs --study and --send-dates');
    const badDate = await pilot(['simulate', 'deliveries', '--study', STUDY, '--send-dates', '2025-09-31', '--out', dir]);
    expect(badDate.code).toBe(2);
    expect(badDate.err).toContain('--send-dates: "2025-09-31" is not a date (YYYY-MM-DD)');
    const share = await pilot([
      'simulate',
      'deliveries',
      '--study',
      STUDY,
      '--send-dates',
      '2025-09-08',
      '--contamination',
      '1.5',
      '--out',
      dir,
    ]);
    expect(share.code).toBe(2);
    await writeFile(join(dir, 'send-log.csv'), 'kept\n');
    const again = await pilot(['simulate', 'deliveries', '--study', STUDY, '--send-dates', '2025-09-08', '--out', dir]);
    expect(again.code).toBe(1);
    expect(await readFile(join(dir, 'send-log.csv'), 'utf8')).toBe('kept\n');
  });
});
