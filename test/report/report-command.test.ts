import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sha256 } from '../../src/io/hash.js';
import { readCsv } from '../../src/io/read-csv.js';
import { filesUnder } from '../helpers/files.js';
import { FIXTURE_STUDY } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeAnalysis } from './make-analysis.js';

const FIXTURES = FIXTURE_STUDY;
const STUDY_ARGS = [
  '--roster',
  FIXTURES.roster,
  '--assignments',
  FIXTURES.assignments,
  '--attendance',
  FIXTURES.attendance,
  '--calendar',
  FIXTURES.calendar,
];
/** The fixtures' school year after assignment (fixtures/README.md). */
const WINDOW = ['--from', '2025-08-18', '--to', '2026-05-29'];
/** A short fit: these tests are about the report, not the sampler. */
const QUICK = ['--chains', '2', '--warmup', '150', '--draws-per-chain', '150', '--seed', '3'];

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

describe('pilot report from the study files (the shipped fixtures)', () => {
  let dir: string;
  let out: string;
  let io: ReturnType<typeof memoryIo>;
  let code: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pilot-report-'));
    out = join(dir, 'report');
    io = memoryIo();
    code = await run(['report', ...STUDY_ARGS, ...WINDOW, ...QUICK, '--by', 'district', '--out', out], io);
  }, 300_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes the network report and one per district, and prints the headline and where they are', async () => {
    expect(io.err.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const text = io.out.join('\n');
    expect(text).toMatch(/^Did the attendance messages work\? Report for the 3-district network \(seed 3\)/);
    expect(text).toMatch(
      /\nAcross the network of 3 districts, students whose caregivers were sent the messages missed about [\d.]+% (fewer|more) days than students whose caregivers were not; we are [\d]+%(?: ± [\d.]+%)? certain absences went down there\./,
    );
    expect(text).toMatch(
      /\nDecision: (working|not shown to work) as a low-effort intervention \(the rule: at least 80% certain absences went down; across the network we are \d+% certain\)/,
    );
    expect(text).toContain(`Wrote ${join(out, 'report.html')}`);
    expect(text).toContain('3 district reports: districts/D01/report.html, districts/D02/report.html, districts/D03/report.html');
    for (const d of ['D01', 'D02', 'D03']) expect(await exists(join(out, 'districts', d, 'report.html'))).toBe(true);
    expect(io.err.some((line) => line.startsWith('reading the study files'))).toBe(true);
    expect(io.err.some((line) => line.startsWith('sampling (adapt_delta'))).toBe(true);
  });

  it('the report carries the window, the seed and the hashes of the study files', async () => {
    const json = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(json.methods.window).toEqual({ from: '2025-08-18', to: '2026-05-29' });
    expect(json.methods.seed).toBe(3);
    expect(Object.keys(json.methods.inputs).sort()).toEqual(['assignments', 'attendance', 'calendar', 'roster']);
    // The fixtures' outcomes were simulated from 2025-08-18 on, as their manifest records.
    expect(json.methods.arms_in_effect).toEqual({
      date: '2025-08-18',
      source: 'simulation',
      simulation: { true_effect: 0.024, seed: 20260601 },
    });
    expect(json.charts.absence_rate_over_time.map((r: { period: string }) => r.period)).toContain('Aug 2025');
    expect(json.tables.students_by_arm_and_district.rows.map((r: { district: string }) => r.district)).toEqual(['D01', 'D02', 'D03']);
  });

  it('privacy: no roster name, student id, household id or caregiver contact in any file of the report folder', async () => {
    const roster = await readCsv({ path: FIXTURES.roster }, FIXTURES.roster);
    const c = roster.columns;
    const secrets = new Set<string>();
    for (let i = 0; i < roster.rowCount; i++) {
      secrets.add(`${c.first_name[i]} ${c.last_name[i]}`);
      for (const col of ['student_id', 'household_id', 'caregiver_name', 'caregiver_phone', 'caregiver_email'])
        if (c[col][i]) secrets.add(c[col][i]);
    }
    expect(secrets.size).toBeGreaterThan(4000);
    const files = await filesUnder(dir);
    expect(files.length).toBeGreaterThanOrEqual(4 * 7);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const found = [...secrets].filter((s) => text.includes(s));
      expect(found, file).toEqual([]);
    }
  });

  it('the privacy search has teeth: a planted id is found', async () => {
    const planted = join(dir, 'planted.txt');
    await writeFile(planted, 'a note about S00001');
    const roster = await readCsv({ path: FIXTURES.roster }, FIXTURES.roster);
    expect((await readFile(planted, 'utf8')).includes(roster.columns.student_id[0])).toBe(true);
    await rm(planted);
  });
});

describe('pilot report from a finished analysis', () => {
  async function analysisDir(
    analysis = makeAnalysis({
      districts: [
        { id: 'D01', treatment: 200, control: 210, median: 0.035, certainty: 0.78 },
        { id: 'D02', treatment: 180, control: 175, median: 0.026, certainty: 0.72 },
      ],
    }),
  ) {
    const dir = await tempDir();
    await mkdir(join(dir, 'results'));
    await writeFile(join(dir, 'results', 'analysis.json'), JSON.stringify(analysis));
    return dir;
  }

  it('without study files the descriptive sections are left out, with a sentence saying why', async () => {
    const dir = await analysisDir();
    const io = memoryIo();
    expect(await run(['report', '--analysis', join(dir, 'results'), '--out', join(dir, 'out')], io)).toBe(0);
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toContain('The study&#39;s attendance data were not given, so the charts and tables of absences by arm are left out.');
    expect(html.match(/<figure class="chart"/g)).toHaveLength(2);
    expect(io.out.join('\n')).toMatch(
      /we are 83% certain absences went down there\.\nDecision: working as a low-effort intervention \(the rule: at least 80% certain absences went down; across the network we are 83% certain\)/,
    );
  });

  it('--effort high and --json: the decision under the other rule, as JSON', async () => {
    const dir = await analysisDir();
    const io = memoryIo();
    expect(
      await run(
        ['report', '--analysis', join(dir, 'results', 'analysis.json'), '--out', join(dir, 'out'), '--effort', 'high', '--json'],
        io,
      ),
    ).toBe(0);
    const summary = JSON.parse(io.out.join('\n'));
    expect(summary.decision).toEqual({
      effort: 'high',
      working: false,
      certainty: 0.21,
      min_certainty: 0.9,
      threshold: 0.05,
      basis: 'network',
    });
    expect(summary.reports).toHaveLength(1);
    expect(summary.seed).toBe(42);
  });

  it('uses draws.csv beside analysis.json when the analysis recorded it, and refuses other draws, writing nothing', async () => {
    const dir = await analysisDir();
    const rows = ['chain,iteration,effect,effect[D01],effect[D02]'];
    for (let i = 0; i < 4000; i++)
      rows.push(`${1 + Math.floor(i / 1000)},${1 + (i % 1000)},${(0.024 + 0.03 * Math.sin(i)).toFixed(5)},0.03,0.02`);
    const drawsText = `${rows.join('\n')}\n`;
    await writeFile(join(dir, 'results', 'draws.csv'), drawsText);
    // A report uses the draws its analysis recorded (pilot analyze --draws-csv records them).
    const analysisPath = join(dir, 'results', 'analysis.json');
    const analysis = JSON.parse(await readFile(analysisPath, 'utf8'));
    await writeFile(analysisPath, JSON.stringify({ ...analysis, draws_csv: { file: 'draws.csv', sha256: sha256(drawsText) } }));
    const io = memoryIo();
    expect(await run(['report', '--analysis', join(dir, 'results'), '--out', join(dir, 'out')], io)).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')).charts.posterior.source).toBe('draws');
    await writeFile(join(dir, 'short.csv'), `${rows.slice(0, 11).join('\n')}\n`);
    const bad = memoryIo();
    expect(
      await run(['report', '--analysis', join(dir, 'results'), '--draws', join(dir, 'short.csv'), '--out', join(dir, 'out2')], bad),
    ).toBe(1);
    expect(bad.err.join('\n')).toMatch(
      /short\.csv is not the draws\.csv of .*analysis\.json: its SHA-256 is [0-9a-f]{12}\.\.\., the analysis recorded [0-9a-f]{12}\.\.\.; the draws come from another run of pilot analyze/,
    );
    expect(await exists(join(dir, 'out2'))).toBe(false);
  });
});

describe('pilot report refuses bad input and writes nothing', () => {
  // Options that do not make a report's inputs, or a malformed date pair, are a bad command
  // line (exit 2, before anything is read); everything else is refused (exit 1).
  const cases: [string, (dir: string) => Promise<string[]>, RegExp, number?][] = [
    ['neither form', async () => [], /report needs --analysis DIR .* or the study files/, 2],
    [
      'study files without --assignments',
      async () => ['--roster', FIXTURES.roster, '--attendance', FIXTURES.attendance, ...WINDOW],
      /the study files go together/,
      2,
    ],
    ['study files without a window', async () => [...STUDY_ARGS], /--from and --to \(the outcome window\) are needed/],
    [
      'a date that is not one',
      async () => [...STUDY_ARGS, '--from', '2025-13-01', '--to', '2026-05-29'],
      /--from and --to: "2025-13-01" is not a date/,
      2,
    ],
    [
      'a window that ends before it starts',
      async () => [...STUDY_ARGS, '--from', '2026-05-29', '--to', '2025-08-18'],
      /ends before it starts/,
      2,
    ],
    [
      'half a baseline window',
      async () => [...STUDY_ARGS, ...WINDOW, '--baseline-from', '2024-08-19'],
      /--baseline-from and --baseline-to go together/,
      2,
    ],
    ['--draws without --analysis', async () => [...STUDY_ARGS, ...WINDOW, '--draws', 'x.csv'], /--draws goes with --analysis/, 2],
    ['a missing analysis', async (dir) => ['--analysis', join(dir, 'nowhere')], /nowhere: no such file or folder/],
    [
      'an incomplete analysis.json, naming each missing field',
      async (dir) => {
        const broken = JSON.parse(JSON.stringify(makeAnalysis())) as Record<string, Record<string, unknown>>;
        delete broken.effect.median;
        broken.certainty['0'] = 1.7;
        await writeFile(join(dir, 'analysis.json'), JSON.stringify(broken));
        return ['--analysis', join(dir, 'analysis.json')];
      },
      /analysis\.json is not a complete analysis result\n\s+.*analysis\.json, column effect\.median: must be a number, got nothing\n\s+.*column certainty\.0: must be a probability, got 1\.7/,
    ],
    [
      'a roster with a bad row, naming file, row and column',
      async (dir) => {
        const text = await readFile(FIXTURES.roster, 'utf8');
        const lines = text.split('\n');
        lines[3] = lines[3].replace(/^(S\d+,D\d+,D\d+-S\d,)[^,]+,/, '$1grade-Z,');
        await writeFile(join(dir, 'roster.csv'), lines.join('\n'));
        return ['--roster', join(dir, 'roster.csv'), '--assignments', FIXTURES.assignments, '--attendance', FIXTURES.attendance, ...WINDOW];
      },
      /roster\.csv, row 4, column grade/,
    ],
    [
      'study files that are not the ones analyzed',
      async (dir) => {
        await writeFile(
          join(dir, 'analysis.json'),
          JSON.stringify({ ...makeAnalysis({ window: { from: '2025-08-18', to: '2026-05-29' } }), inputs: { roster: 'f'.repeat(64) } }),
        );
        return ['--analysis', join(dir, 'analysis.json'), ...STUDY_ARGS];
      },
      /the roster file is not the one analyzed/,
    ],
  ];
  for (const [name, args, message, exitCode = 1] of cases) {
    it(name, async () => {
      const dir = await tempDir();
      const io = memoryIo();
      const code = await run(['report', ...(await args(dir)), '--out', join(dir, 'out')], io);
      expect(io.err.join('\n')).toMatch(message);
      expect(code).toBe(exitCode);
      expect(await exists(join(dir, 'out'))).toBe(false);
    });
  }
});
