import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVerifiedAssignments } from '../../src/assignment/assignment-files.js';
import { importAssignments } from '../../src/assignment/import-assignments.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { sha256 } from '../../src/io/hash.js';
import { formatCsvObjects } from '../../src/io/write-csv.js';
import { createRng, shuffled } from '../../src/random.js';
import { simulateCalendar } from '../../src/simulate/simulate-calendar.js';
import { writeAttendanceCsv } from '../../src/simulate/write-simulated-attendance.js';
import type { RosterStudent } from '../../src/types.js';
import { GRADES } from '../../src/types.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import type { StudyFolder } from '../helpers/study-folder.js';
import { analyzeArgv, messagesArgv, writeMessageSettings } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';

const students = smallRoster(300, 2, 5);

/** The block of a household as the researcher chose it: its lowest-grade student's school. */
function schoolBlocks(roster: readonly RosterStudent[]): Map<string, string> {
  const anchor = new Map<string, RosterStudent>();
  for (const s of roster) {
    const a = anchor.get(s.household_id);
    if (!a || GRADES.indexOf(s.grade) < GRADES.indexOf(a.grade)) anchor.set(s.household_id, s);
  }
  return new Map([...anchor].map(([h, s]) => [h, s.school_id]));
}

/**
 * A file as R's randomizr makes it with `block_and_cluster_ra(blocks = school, clusters =
 * household_id, block_prob = ...)`, the assignment `Z` (1 treated, 0 control) joined to
 * the data with `obtain_condition_probabilities` as `condition_prob` (the probability of
 * the condition each student is in). Blocks alternate between probabilities 0.5 and 0.3;
 * in each block floor or ceiling of households x probability are treated, as randomizr does.
 */
function randomizrFile(roster: readonly RosterStudent[], seed = 9) {
  const blockOf = schoolBlocks(roster);
  const blocks = [...new Set(blockOf.values())].sort();
  const pOf = new Map(blocks.map((b, i) => [b, i % 2 === 0 ? 0.5 : 0.3]));
  const rng = createRng(seed);
  const treated = new Set<string>();
  for (const block of blocks) {
    const households = [...blockOf].filter(([, b]) => b === block).map(([h]) => h);
    const exact = households.length * pOf.get(block)!;
    const m = Math.floor(exact) + (rng() < exact - Math.floor(exact) ? 1 : 0);
    for (const h of shuffled(households.sort(), rng).slice(0, m)) treated.add(h);
  }
  const rows = roster.map((s) => {
    const block = blockOf.get(s.household_id)!;
    const Z = treated.has(s.household_id) ? '1' : '0';
    const p = pOf.get(block)!;
    return { student_id: s.student_id, block, Z, condition_prob: String(Z === '1' ? p : Number((1 - p).toFixed(10))) };
  });
  return { rows, pOf, treated, csv: formatCsvObjects(['student_id', 'block', 'Z', 'condition_prob'], rows) };
}

async function setup(csv = randomizrFile(students).csv) {
  const dir = await tempDir();
  await writeFile(join(dir, 'roster.csv'), rosterCsv(students));
  await writeFile(join(dir, 'randomizr.csv'), csv);
  return { dir, roster: join(dir, 'roster.csv'), file: join(dir, 'randomizr.csv'), out: join(dir, 'study') };
}

const importArgv = (s: { roster: string; file: string; out: string }, extra: readonly string[] = []) => [
  'assign',
  '--import',
  s.file,
  '--roster',
  s.roster,
  '--out',
  s.out,
  ...extra,
];

describe('pilot assign --import', () => {
  it('imports a randomizr block-and-cluster file (Z, condition_prob, block) as given, marked imported in the manifest', async () => {
    const made = randomizrFile(students);
    const s = await setup(made.csv);
    const io = memoryIo();
    const madeBy = ['--made-by', 'R randomizr 1.0.0 block_and_cluster_ra'];
    expect(await run(importArgv(s, madeBy), io), io.err.join('\n')).toBe(0);
    const treatedStudents = students.filter((st) => made.treated.has(st.household_id)).length;
    expect(io.out[0]).toBe(
      `Imported 300 students in ${new Set(students.map((st) => st.household_id)).size} households from ${s.file} (made by R randomizr 1.0.0 block_and_cluster_ra): ${students[0] && made.treated.has(students[0].household_id) ? `treatment ${treatedStudents}, control ${300 - treatedStudents}` : `control ${300 - treatedStudents}, treatment ${treatedStudents}`}.`,
    );
    expect(io.out[1]).toBe("Probabilities of treatment given per student (column condition_prob); blocks from the file's block column.");

    // Every study reader takes it: verified against its manifest, one row per student.
    const { assignments, manifest } = await readVerifiedAssignments(join(s.out, 'assignments.csv'));
    expect(assignments).toHaveLength(300);
    for (const a of assignments) {
      const row = made.rows.find((r) => r.student_id === a.student_id)!;
      expect(a.arm).toBe(row.Z === '1' ? 'treatment' : 'control');
      expect(a.block).toBe(row.block);
      // condition_prob of a control student is 1 - p: the probability of treatment is p, as given per block.
      expect(a.p_treatment).toBe(made.pOf.get(row.block));
    }
    expect(manifest.imported).toEqual({
      file: s.file,
      sha256: sha256(made.csv),
      source: 'R randomizr 1.0.0 block_and_cluster_ra',
      probabilities: { given: 'per student', column: 'condition_prob' },
      blocks: 'file',
      labels: { control: '0', treatment: '1' },
    });
    expect(manifest.seed).toBe(0);
    expect(manifest.design.block_by).toEqual([]);
    expect(manifest.runs[0].inputs.imported).toEqual({ path: s.file, sha256: sha256(made.csv) });
    // Counts per block and arm are the file's.
    for (const c of manifest.runs[0].counts) {
      const inCell = made.rows.filter((r) => r.block === c.block && (r.Z === '1') === (c.arm === 'treatment'));
      expect(c.students).toBe(inCell.length);
    }
    expect((await readFile(join(s.out, 'balance.csv'), 'utf8')).split('\n')[0]).toMatch(/^variable,level,n_control,n_treatment/);
  });

  it('then messages, analyze and report work on the study, and the report says the randomization was not ours', async () => {
    const made = randomizrFile(students);
    const s = await setup(made.csv);
    expect(await run(importArgv(s, ['--made-by', 'R randomizr block_and_cluster_ra']), memoryIo())).toBe(0);
    const calendarDays = simulateCalendar(2025);
    const study: StudyFolder = {
      roster: s.roster,
      assignments: join(s.out, 'assignments.csv'),
      attendance: join(s.dir, 'attendance.csv'),
      calendar: join(s.dir, 'calendar.csv'),
      students,
      armOf: new Map(students.map((st) => [st.student_id, made.treated.has(st.household_id) ? 'treatment' : 'control'])),
    };
    await writeFile(study.calendar, formatCsvObjects(['date', 'school_id', 'instructional'], calendarDays));
    await writeAttendanceCsv(study.attendance, students, study.armOf, calendarDays, { effect: 0.02 }, createRng('import-attendance'));

    const messages = memoryIo();
    expect(
      await run(messagesArgv(study, await writeMessageSettings(s.dir), join(s.dir, 'messages')), messages),
      messages.err.join('\n'),
    ).toBe(0);
    // The randomization was made in August 2025, before the import: the analyst says so.
    const analyze = memoryIo();
    const analysisDir = join(s.dir, 'analysis');
    expect(await run(analyzeArgv(study, analysisDir, ['--assignment-date', '2025-08-18']), analyze), analyze.err.join('\n')).toBe(0);
    const analysis = JSON.parse(await readFile(join(analysisDir, 'analysis.json'), 'utf8'));
    expect(analysis.arms_in_effect).toEqual({
      date: '2025-08-18',
      source: 'stated',
      imported: { file: s.file, sha256: sha256(made.csv), source: 'R randomizr block_and_cluster_ra', probabilities: 'per student' },
    });
    expect(Number.isFinite(analysis.effect.mean)).toBe(true);

    const report = memoryIo();
    const reportDir = join(s.dir, 'report');
    expect(await run(['report', '--analysis', analysisDir, '--out', reportDir], report), report.err.join('\n')).toBe(0);
    const html = (await readFile(join(reportDir, 'report.html'), 'utf8')).replace(/\s+/g, ' ');
    expect(html).toContain('The randomization was not made by this tool: the arms were imported from');
    expect(html).toContain('(made by R randomizr block_and_cluster_ra; SHA-256 ');
    expect(html).toContain('same randomization block (the blocks of the imported assignment)');
    expect(html).not.toContain('(district, school and grade)');
  });

  it('takes per-block probabilities from --block-p, blocks from the roster, and labels with --labels', async () => {
    const made = randomizrFile(students);
    // The same arms labelled T/C, without the file's blocks or probabilities.
    const csv = formatCsvObjects(
      ['student_id', 'assignment'],
      made.rows.map((r) => ({ student_id: r.student_id, assignment: r.Z === '1' ? 'T' : 'C' })),
    ).replace('assignment', 'arm');
    const s = await setup(csv);
    // Blocks from the roster by school only; each school's probability in a small file.
    const schools = [...made.pOf.keys()];
    const blockP = join(s.dir, 'block-p.csv');
    await writeFile(
      blockP,
      formatCsvObjects(
        ['block', 'prob_treatment'],
        schools.map((school) => ({ block: `${school.split('-')[0]}|${school}`, prob_treatment: String(made.pOf.get(school)) })),
      ),
    );
    const io = memoryIo();
    const options = ['--block', 'district,school', '--block-p', blockP, '--labels', 'control=C,treatment=T'];
    expect(await run(importArgv(s, options), io), io.err.join('\n')).toBe(0);
    const { assignments, manifest } = await readVerifiedAssignments(join(s.out, 'assignments.csv'));
    // A household is in its lowest-grade student's block, as randomizr's clusters were.
    for (const a of assignments) expect(a.p_treatment).toBe(made.pOf.get(a.block.split('|')[1]));
    expect(manifest.imported?.probabilities).toEqual({ given: 'per block', file: blockP, sha256: sha256(await readFile(blockP)) });
    expect(manifest.imported?.blocks).toBe('roster');
    expect(manifest.imported?.source).toBe('not stated');
    expect(manifest.design.block_by).toEqual(['district', 'school']);
  });

  it('takes one probability for everyone with --p, and refuses a late run over the imported study', async () => {
    const made = randomizrFile(students);
    const csv = formatCsvObjects(
      ['student_id', 'arm'],
      made.rows.map((r) => ({ student_id: r.student_id, arm: r.Z === '1' ? 'treatment' : 'control' })),
    );
    const s = await setup(csv);
    const study = await importAssignments(s.file, s.roster, { out: s.out, pTreatment: 0.4, created: '2026-01-01T00:00:00.000Z' });
    expect(study.assignments.every((a) => a.p_treatment === 0.4)).toBe(true);
    expect(study.manifest.imported?.probabilities).toEqual({ given: 'one for all', p_treatment: 0.4 });
    expect(study.manifest.design.probabilities).toEqual([0.6, 0.4]);
    await expect(importAssignments(s.file, s.roster, { pTreatment: 1 })).rejects.toThrow(
      'importAssignments: pTreatment must be a probability strictly between 0 and 1, got 1',
    );
    const late = memoryIo();
    expect(await run(['assign', '--roster', s.roster, '--out', s.out, '--add-late'], late)).toBe(1);
    expect(late.err.join('')).toMatch(
      /the assignment was imported from .* \(made by not stated\), so pilot cannot randomize late enrollees/,
    );
  });
});

describe('importAssignments on an assignment pilot wrote', () => {
  it('gives back the same assignments.csv, byte for byte (arm, p_treatment and block columns as given)', async () => {
    const dir = await tempDir();
    const study = await importAssignments(join(FIXTURES, 'study', 'assignments.csv'), join(FIXTURES, 'roster.csv'), {
      out: join(dir, 'imported'),
      madeBy: 'pilot assign, seed 20250815',
    });
    expect(study.csvText).toBe(await readFile(join(FIXTURES, 'study', 'assignments.csv'), 'utf8'));
    expect(study.studentsByArm).toEqual({ treatment: 731, control: 769 });
    expect(study.households).toBe(911);
    expect(study.manifest.imported?.probabilities).toEqual({ given: 'per student', column: 'p_treatment' });
    expect(study.manifest.design.probabilities).toEqual([0.5, 0.5]);
  });
});

describe('pilot assign --import refuses, naming file, row and column, and writes nothing', () => {
  const made = randomizrFile(students);
  const header = 'student_id,block,Z,condition_prob';
  const lines = made.csv.trimEnd().split('\n').slice(1);
  const withLines = (edit: (rows: string[]) => string[]) => `${[header, ...edit([...lines])].join('\n')}\n`;
  // A household of two or more, for the sibling case.
  const siblings = students.filter((st) => students.filter((o) => o.household_id === st.household_id).length > 1).slice(0, 2);
  const rowOf = (id: string) => lines.findIndex((l) => l.startsWith(`${id},`));
  const cases: { name: string; csv: string; extra?: string[]; says: RegExp }[] = [
    {
      name: 'a student not in the roster',
      csv: withLines((rows) => [...rows, `X9999,${made.rows[0].block},1,0.5`]),
      says: /randomizr\.csv, row 302, column student_id: student "X9999" is not in the roster/,
    },
    {
      name: 'a roster student missing from the file',
      csv: withLines((rows) => rows.filter((_, i) => i !== 4)),
      says: new RegExp(`roster\\.csv, column student_id: student "${made.rows[4].student_id}" is in the roster but not in`),
    },
    {
      name: 'a student listed twice',
      csv: withLines((rows) => [...rows, rows[0]]),
      says: new RegExp(`row 302, column student_id: student "${made.rows[0].student_id}" is listed twice \\(first on row 2\\)`),
    },
    {
      name: 'siblings in different arms',
      csv: withLines((rows) => {
        const i = rowOf(siblings[1].student_id);
        const [id, block, Z, p] = rows[i].split(',');
        rows[i] = [id, block, Z === '1' ? '0' : '1', Z === '1' ? String(Number((1 - Number(p)).toFixed(10))) : p].join(',');
        return rows;
      }),
      says: /column Z: student ".*" is in .* but sibling ".*" \(row \d+, household ".*"\) is in .*: households are assigned together/,
    },
    {
      name: 'a probability of 1',
      csv: withLines((rows) => [rows[0].replace(/,[^,]*$/, ',1'), ...rows.slice(1)]),
      says: /row 2, column condition_prob: "1" is not a probability strictly between 0 and 1/,
    },
    {
      name: 'a probability that is not a number',
      csv: withLines((rows) => [rows[0].replace(/,[^,]*$/, ',half'), ...rows.slice(1)]),
      says: /row 2, column condition_prob: "half" is not a probability/,
    },
    {
      name: 'two probabilities in one block',
      csv: withLines((rows) => {
        // Every student of the first household moves to the other probability, so only the block rule is broken.
        const household = students.find((st) => st.student_id === made.rows[0].student_id)!.household_id;
        return rows.map((r) => {
          const [id, block, Z, p] = r.split(',');
          if (students.find((st) => st.student_id === id)!.household_id !== household) return r;
          // condition_prob 0.5 is a block at 0.5: move to 0.3 (0.7 for control); any other block moves to 0.5.
          const q = Number(p) === 0.5 ? (Z === '1' ? 0.3 : 0.7) : 0.5;
          return [id, block, Z, String(q)].join(',');
        });
      }),
      says: /column condition_prob: probability 0\.\d differs from 0\.\d, the probability of block ".*" on row \d+: students are compared within their block/,
    },
    {
      name: 'an arm label that is neither',
      csv: withLines((rows) => [rows[0].replace(/,[01],/, ',T,'), ...rows.slice(1)]),
      says: /^pilot: .*\n {2}.*randomizr\.csv, row 2, column Z: "T" is neither the control label "0" nor the treatment label "1": give the file's labels with --labels control=‹label›,treatment=‹label›$/,
    },
    {
      name: 'no arm column',
      csv: made.csv.replace(',Z,', ',group,'),
      says: /row 1, column arm: missing required column "arm" for an imported assignment \(or "Z", as randomizr names it\)/,
    },
    {
      name: 'no probabilities at all',
      csv: made.csv.replace(',condition_prob', ',note'),
      says: /has no probability of treatment .* give them per block with --block-p FILE, or one for every student with --p/,
    },
    {
      name: 'blocks given twice',
      csv: made.csv,
      extra: ['--block', 'district,school'],
      says: /gives each student's block \(column block\), and --block would make others/,
    },
    {
      name: 'probabilities given twice',
      csv: made.csv,
      extra: ['--p', '0.5,0.5'],
      says: /gives each student's probability of treatment \(column condition_prob\), and --p gives them again/,
    },
  ];
  for (const c of cases)
    it(c.name, async () => {
      const s = await setup(c.csv);
      const io = memoryIo();
      expect(await run(importArgv(s, c.extra), io)).toBe(1);
      expect(io.err.join('\n')).toMatch(c.says);
      expect(existsSync(s.out) ? await readdir(s.out) : []).toEqual([]);
    });

  it('a block missing from the --block-p file, named in that file', async () => {
    const csv = made.csv.replace(',condition_prob', ',note');
    const s = await setup(csv);
    const blockP = join(s.dir, 'block-p.csv');
    const [first, ...others] = [...made.pOf.keys()];
    await writeFile(blockP, `block,prob_treatment\n${others.map((b) => `${b},${made.pOf.get(b)}`).join('\n')}\n`);
    const io = memoryIo();
    expect(await run(importArgv(s, ['--block-p', blockP]), io)).toBe(1);
    expect(io.err.join('\n')).toMatch(
      new RegExp(`block-p\\.csv, column block: block "${first}" \\(of the student on row \\d+ of .*\\) is not listed`),
    );
    expect(existsSync(s.out)).toBe(false);
  });

  it('options of an import without --import, and a seed with it, are command-line errors (exit 2)', async () => {
    const s = await setup();
    const io = memoryIo();
    expect(await run(['assign', '--roster', s.roster, '--out', s.out, '--labels', 'control=0,treatment=1'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--labels describe an imported assignment: give --import FILE too/);
    const seeded = memoryIo();
    expect(await run(importArgv(s, ['--seed', '4']), seeded)).toBe(2);
    expect(seeded.err.join('')).toMatch(/--import takes the arms as they were made elsewhere: drop --seed, --arms and --add-late/);
    const labels = memoryIo();
    expect(await run(importArgv(s, ['--labels', 'C,T']), labels)).toBe(2);
    expect(labels.err.join('')).toMatch(/--labels must name the file's two labels/);
  });
});
