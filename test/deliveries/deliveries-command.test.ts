import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { readDeliveredPerStudent } from '../../src/data/read-delivered-per-student.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

const STUDY = join(FIXTURES, 'study');
const LOG = join(FIXTURES, 'deliveries', 'send-log.csv.gz');

async function deliveries(args: string[]) {
  const io = memoryIo();
  const code = await run(['deliveries', ...args], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

/** The fixture log's rows, counted by hand from the CSV (not through the reader under test). */
async function fixtureRows(): Promise<string[][]> {
  const text = gunzipSync(await readFile(LOG)).toString('utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
}

describe('pilot deliveries', () => {
  it('writes the summary, the suppressed rates, and the two private files for the fixture log', async () => {
    const out = join(await tempDir(), 'deliveries');
    const { code, out: printed, err } = await deliveries(['--study', STUDY, '--log', LOG, '--out', out]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'contamination.csv',
      'delivered-per-student.csv',
      'deliveries.json',
      'delivery-rates.csv',
    ]);
    expect((await stat(join(out, 'delivered-per-student.csv'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, 'contamination.csv'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, 'deliveries.json'))).mode & 0o777).toBe(0o644);

    const rows = await fixtureRows();
    const summary = JSON.parse(await readFile(join(out, 'deliveries.json'), 'utf8'));
    expect(summary.messages).toBe(rows.length);
    expect(summary.send_dates).toEqual(['2025-09-08', '2025-10-14']);
    // Every student of the study has a line, 0 for those never messaged: 1,500 (fixtures/README.md).
    const perStudent = await readDeliveredPerStudent(join(out, 'delivered-per-student.csv'));
    expect(perStudent.size).toBe(1500);
    const delivered = rows.filter((r) => r[3] === 'delivered').length;
    expect([...perStudent.values()].reduce((sum, s) => sum + s.delivered, 0)).toBe(delivered);
    // The treated arm (731 students, fixtures/study/balance.csv) is large enough to publish.
    const treated = summary.rates.find((r: { dimension: string; arm: string }) => r.dimension === 'arm' && r.arm === 'treatment');
    expect(treated.students).toBe(731);
    const treatedIds = new Set([...perStudent].filter(([, s]) => s.arm === 'treatment').map(([id]) => id));
    expect(treated.messages).toBe(rows.filter((r) => treatedIds.has(r[0])).length);
    expect(treated.students_reached).toBe([...perStudent.values()].filter((s) => s.arm === 'treatment' && s.delivered > 0).length);
    // Contamination: the control students the log names with a message sent, listed privately and counted.
    const sentTo = new Set(rows.filter((r) => !treatedIds.has(r[0]) && ['delivered', 'failed', 'bounced'].includes(r[3])).map((r) => r[0]));
    const contamination = (await readFile(join(out, 'contamination.csv'), 'utf8')).trim().split('\n').slice(1);
    expect(contamination.map((line) => line.split(',')[0]).sort()).toEqual([...sentTo].sort());
    expect(summary.contamination.students).toBe(sentTo.size);
    expect(printed).toContain(`Contamination: ${sentTo.size} control student(s) messaged`);
    // No student id in what can be shared.
    const shared = (await readFile(join(out, 'deliveries.json'), 'utf8')) + (await readFile(join(out, 'delivery-rates.csv'), 'utf8'));
    expect(shared).not.toMatch(/S\d{5}/);
  });

  it('reads a vendor export through --map', async () => {
    const out = join(await tempDir(), 'ps');
    const { code, err } = await deliveries([
      '--study',
      STUDY,
      '--log',
      join(FIXTURES, 'deliveries', 'parentsquare.csv'),
      '--map',
      join(FIXTURES, 'mappings', 'parentsquare-deliveries.json'),
      '--out',
      out,
      '--json',
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'deliveries.json'), 'utf8'));
    expect(summary.messages).toBe(24);
    expect(summary.inputs.mapping).toBe(join(FIXTURES, 'mappings', 'parentsquare-deliveries.json'));
  });

  it('refuses a bad log with every problem, exit 1, and writes nothing', async () => {
    const dir = await tempDir();
    const out = join(dir, 'bad');
    const { code, err } = await deliveries(['--study', STUDY, '--log', join(FIXTURES, 'deliveries', 'bad-send-log.csv'), '--out', out]);
    expect(code).toBe(1);
    expect(err).toContain('bad-send-log.csv is not a usable send log; nothing was written');
    expect(err).toContain('row 3, column student_id: student "S99999" is not in the study\'s assignments');
    expect(err).toContain('row 4, column send_date');
    expect(err).toContain('row 5, column mode');
    expect(err).toContain('row 6, column status');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a mapping file without a deliveries section', async () => {
    const dir = await tempDir();
    const { code, err } = await deliveries([
      '--study',
      STUDY,
      '--log',
      LOG,
      '--map',
      join(FIXTURES, 'mappings', 'daily-codes.json'),
      '--out',
      join(dir, 'x'),
    ]);
    expect(code).toBe(1);
    expect(err).toContain('has no "deliveries" section');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses to replace an earlier run without --force, and replaces it with --force', async () => {
    const out = join(await tempDir(), 'd');
    expect((await deliveries(['--study', STUDY, '--log', LOG, '--out', out])).code).toBe(0);
    await writeFile(join(out, 'note.txt'), 'kept');
    const again = await deliveries(['--study', STUDY, '--log', LOG, '--out', out]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already exists: give --force to replace it');
    expect((await deliveries(['--study', STUDY, '--log', LOG, '--out', out, '--force'])).code).toBe(0);
    expect(await readFile(join(out, 'note.txt'), 'utf8')).toBe('kept');
  });
});
