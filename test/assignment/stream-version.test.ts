import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssignmentManifest } from '../../src/assignment/manifest.js';
import { ASSIGNMENT_STREAM_VERSION, canonicalJson } from '../../src/assignment/manifest.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sha256 } from '../../src/io/hash.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * A pre-registered assignment must be redone byte for byte by any later version of pilot:
 * these tests pin what `pilot assign` writes on the fixtures for given seeds. When one
 * fails, the random stream changed (the generator, how a block's stream is derived, the
 * shuffle, the rounding of counts, the row format). If that was not meant, undo it. If it
 * was, bump ASSIGNMENT_STREAM_VERSION in src/assignment/manifest.ts, say so in
 * docs/assign.md ("Stream version") and CHANGELOG.md, and only then update the hashes here.
 */
const STREAM_CHANGED = `the assignment stream changed: if deliberate, bump ASSIGNMENT_STREAM_VERSION (now ${ASSIGNMENT_STREAM_VERSION}) in src/assignment/manifest.ts, document it in docs/assign.md#stream-version and CHANGELOG.md, then update the pinned hashes`;

const ROSTER = join(FIXTURES, 'roster.csv');

/**
 * What of a manifest the stream decides: the design, the seed, the stream version, the
 * counts per block and arm and the output's hash. The time, the command line, the path
 * typed and the tool's version differ from run to run and are left out.
 */
function streamFields(manifest: AssignmentManifest) {
  return {
    design: (({ block_by, clustered_by, arms, probabilities, control_arm }) => ({
      block_by,
      clustered_by,
      arms,
      probabilities,
      control_arm,
    }))(manifest.design),
    seed: manifest.seed,
    stream_version: manifest.stream_version,
    output: manifest.output,
    runs: manifest.runs.map((r) => ({
      assigned_at: r.assigned_at,
      roster_sha256: r.inputs.roster?.sha256,
      students_added: r.students_added,
      households_added: r.households_added,
      households_spanning_blocks: r.households_spanning_blocks,
      counts: r.counts,
      output_sha256: r.output_sha256,
    })),
  };
}

async function assign(argv: readonly string[]): Promise<{ csv: string; balance: string; manifest: string; stream: number }> {
  const io = memoryIo();
  expect(await run(['assign', ...argv], io), io.err.join('\n')).toBe(0);
  const out = argv[argv.indexOf('--out') + 1];
  const manifest = JSON.parse(await readFile(join(out, 'assignments.manifest.json'), 'utf8')) as AssignmentManifest;
  return {
    csv: sha256(await readFile(join(out, 'assignments.csv'))),
    balance: sha256(await readFile(join(out, 'balance.csv'))),
    manifest: sha256(canonicalJson(streamFields(manifest))),
    stream: manifest.stream_version ?? 0,
  };
}

describe('the assignment stream (stream version 1)', () => {
  it('records the stream version in the manifest', async () => {
    const out = join(await tempDir(), 'study');
    const made = await assign(['--roster', ROSTER, '--out', out, '--seed', '20250815']);
    expect(made.stream).toBe(ASSIGNMENT_STREAM_VERSION);
    expect(ASSIGNMENT_STREAM_VERSION, STREAM_CHANGED).toBe(1);
  });

  it('pilot assign on the fixtures, default design, seed 20250815: the committed fixture study, byte for byte', async () => {
    const out = join(await tempDir(), 'study');
    const made = await assign(['--roster', ROSTER, '--out', out, '--seed', '20250815']);
    // fixtures/study was made by this command (fixtures/README.md): the same bytes.
    expect(made.csv, STREAM_CHANGED).toBe(sha256(await readFile(join(FIXTURES, 'study', 'assignments.csv'))));
    expect(made.csv, STREAM_CHANGED).toBe('9c69eaaa8e60a1b5277239d70d95d9c051fd461b2f6ed1509a5aca7fddfe45fb');
    expect(made.balance, STREAM_CHANGED).toBe('45e23654b9d4495beb64bdf5faa36c07f5837d72bfe8a2988ec17899e211f23e');
    expect(made.manifest, STREAM_CHANGED).toBe('b056372d8b17c34960935efc561b7fd07d37913b55da1c2c7bd295444e885e47');
  });

  it('three arms at 50/25/25, blocked by district and school, students alone, seed 7', async () => {
    const out = join(await tempDir(), 'study');
    const design = ['--arms', 'control,goal,comparison', '--p', '0.5,0.25,0.25', '--block', 'district,school', '--no-cluster'];
    const made = await assign(['--roster', ROSTER, '--out', out, '--seed', '7', ...design]);
    expect(made.csv, STREAM_CHANGED).toBe('02f926a633bc239448473e4785869ae25998bb710298b9c77b96d968c66e1669');
    expect(made.manifest, STREAM_CHANGED).toBe('d287bd21064686ad5e67fc24d2c7a8c5718239d9eefc26ebec5c1eda49af9e0c');
  });

  it('a late run adds the students a first run lacked from a stream derived from the same seed', async () => {
    const dir = await tempDir();
    const lines = (await readFile(ROSTER, 'utf8')).trimEnd().split('\n');
    // The first roster lacks every 10th student (some are siblings of students assigned first).
    await writeFile(join(dir, 'early.csv'), `${lines.filter((_, i) => i === 0 || i % 10 !== 0).join('\n')}\n`);
    const out = join(dir, 'study');
    await assign(['--roster', join(dir, 'early.csv'), '--out', out, '--seed', '11']);
    const late = await assign(['--roster', ROSTER, '--out', out, '--add-late']);
    expect(late.csv, STREAM_CHANGED).toBe('b7574b931f179a12cd78332bcfe0b5de3ec6b0c1e2ecf49d2cbcb4099255ecc4');
    expect(late.manifest, STREAM_CHANGED).toBe('04b4b6cfb844c7d59c2dbc16be4f746c534e9e8a9246ab993bd8b9ba6707afbd');
  });
});
