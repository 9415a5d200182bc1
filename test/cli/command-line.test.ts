/**
 * Command-line manners: one exit code per kind of failure (2 for a bad command line, before
 * any file is read or written), help in a study's order with grouped options and examples
 * that run as written, and a suggestion for a mistyped command or option.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCommandLine } from '../../src/cli/command.js';
import { commands } from '../../src/cli/commands/index.js';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { editDistance, suggestName } from '../../src/cli/suggest-name.js';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MISSING = join(ROOT, 'no-such-folder');

async function pilot(argv: readonly string[]) {
  const io = memoryIo();
  const code = await run(argv, io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
}

/** The example command lines a command shows in its help, without the leading `pilot`. */
function examplesOf(name: string): string[] {
  const command = commands.find((c) => c.command.split(' ')[0] === name)!;
  return command.examples.map((e) => e.line.replace(/^pilot /, ''));
}

/**
 * An example's words as run from the repository's root: fixtures/ made absolute, and every
 * other path (the outputs, and what an earlier example wrote) put under `dir`.
 */
function runnable(example: string, dir: string): string[] {
  const words = example.split(' ');
  const isPath = (word: string, i: number) =>
    ['--out', '--study'].includes(words[i - 1]) || (!word.startsWith('-') && /\/|\.(csv|json)$/.test(word));
  return words.map((word, i) => (word.startsWith('fixtures/') ? join(ROOT, word) : isPath(word, i) ? join(dir, word) : word));
}

describe('exit codes', () => {
  // One out-of-range number per command, with input files that do not exist: the number must
  // be the reported problem (exit 2), so it was checked before any file was opened.
  const badNumbers: Record<string, { argv: string[]; says: RegExp }> = {
    assign: {
      argv: ['assign', '--roster', join(MISSING, 'roster.csv'), '--seed', '1.5'],
      says: /--seed must be a whole number >= 0, got 1\.5/,
    },
    schedule: { argv: ['schedule', '--calendar', join(MISSING, 'calendar.csv'), '--every', '3'], says: /--every must be 4, 5 or 6, got 3/ },
    messages: {
      argv: [
        'messages',
        '--roster',
        join(MISSING, 'r.csv'),
        '--assignments',
        join(MISSING, 'a.csv'),
        '--attendance',
        join(MISSING, 'att.csv'),
        '--as-of',
        '2025-09-12',
        '--kind',
        'initial',
        '--goal-rate',
        '1.5',
      ],
      says: /--goal-rate must be a number > 0 and < 1, got 1\.5/,
    },
    analyze: {
      argv: ['analyze', '--table', join(MISSING, 'model_input.csv'), '--chains', '0'],
      says: /--chains must be a whole number >= 1, got 0/,
    },
    report: { argv: ['report', '--analysis', MISSING, '--chains', '0'], says: /--chains must be a whole number >= 1, got 0/ },
    simulate: { argv: ['simulate', 'roster', '--students', '0'], says: /--students must be a whole number >= 1, got 0/ },
    demo: { argv: ['demo', '--students', '0'], says: /--students must be a whole number >= 1, got 0/ },
    plan: {
      argv: ['plan', '--roster', join(MISSING, 'roster.csv'), '--simulations', '0'],
      says: /--simulations must be a whole number >= 1, got 0/,
    },
  };

  it.each(Object.entries(badNumbers))(
    'pilot %s: an out-of-range number is a bad command line (exit 2), said before any file is read or written',
    async (_name, { argv, says }) => {
      const dir = await tempDir();
      // Every command that writes gets its output under dir (demo's two folders too).
      const outputs =
        argv[0] === 'demo'
          ? ['--out', join(dir, 'reports'), '--study', join(dir, 'study')]
          : argv[0] === 'messages'
            ? ['--out', join(dir, 'm.csv')]
            : argv[0] === 'schedule'
              ? []
              : ['--out', join(dir, 'out')];
      const result = await pilot([...argv, ...outputs]);
      expect(result.code, result.err).toBe(2);
      expect(result.err).toMatch(says);
      expect(result.err).not.toContain(MISSING);
      expect(await readdir(dir)).toEqual([]);
    },
  );

  it('every command with a numeric option is in that list', () => {
    const withNumbers = commands.map((c) => c.command.split(' ')[0]).filter((name) => name !== 'validate' && name !== 'deliveries');
    expect(Object.keys(badNumbers).sort()).toEqual(withNumbers.sort());
  });

  it('a number that is not one (--chains abc) is exit 2 too', async () => {
    const result = await pilot(['analyze', '--table', join(MISSING, 't.csv'), '--out', join(MISSING, 'out'), '--chains', 'abc']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--chains must be a whole number >= 1, got NaN');
  });

  it('an unknown option stops the command before it runs: nothing is written', async () => {
    const dir = await tempDir();
    const result = await pilot(['assign', '--roster', join(ROOT, 'fixtures', 'roster.csv'), '--out', dir, '--seed', '1', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.err).toBe('pilot: Unknown argument: bogus');
    expect(await readdir(dir)).toEqual([]);
  });

  it('pilot assign: options that cannot go together, or a bad design, are said before the roster is read', async () => {
    const roster = join(MISSING, 'roster.csv');
    const late = await pilot(['assign', '--roster', roster, '--out', MISSING, '--add-late', '--seed', '3']);
    expect(late).toMatchObject({
      code: 2,
      err: 'pilot: assign: --add-late reuses the recorded seed and design: drop --seed, --block, --arms and --p',
    });
    const design = await pilot(['assign', '--roster', roster, '--out', MISSING, '--p', '0.7,0.7']);
    expect(design).toMatchObject({
      code: 2,
      err: 'pilot: normalizeDesign: arm probabilities must each be between 0 and 1 and sum to 1, got 0.7, 0.7',
    });
  });

  it('pilot simulate: options that do not fit together or do not parse are exit 2', async () => {
    const roster = join(MISSING, 'roster.csv');
    expect(await pilot(['simulate', 'attendance', '--roster', roster, '--out', MISSING])).toMatchObject({
      code: 2,
      err: 'pilot: simulate: simulate attendance needs --roster and --assignments',
    });
    expect(await pilot(['simulate', 'roster', '--students', '2', '--districts', '3', '--out', MISSING])).toMatchObject({
      code: 2,
      err: 'pilot: simulate: --districts 3 is more than --students 2: every district needs a student',
    });
    const effects = [
      'simulate',
      'attendance',
      '--roster',
      roster,
      '--assignments',
      join(MISSING, 'a.csv'),
      '--out',
      MISSING,
      '--district-effects',
    ];
    expect(await pilot([...effects, 'D01:0.05'])).toMatchObject({
      code: 2,
      err: 'pilot: simulate: --district-effects takes district=effect pairs separated by commas (D01=0.05,D02=0), got "D01:0.05"',
    });
    expect(await pilot([...effects, 'D01=0.05,D02=1.5'])).toMatchObject({
      code: 2,
      err: 'pilot: simulate: --district-effects D02 must be a number >= 0 and < 1, got 1.5',
    });
  });

  it('dates on the command line are checked before any file is read', async () => {
    const files = ['--roster', join(MISSING, 'r.csv'), '--assignments', join(MISSING, 'a.csv'), '--attendance', join(MISSING, 't.csv')];
    const messages = ['messages', ...files, '--out', join(MISSING, 'm.csv')];
    expect(await pilot([...messages, '--as-of', '2025-13-01', '--kind', 'initial'])).toMatchObject({
      code: 2,
      err: 'pilot: messages: --as-of "2025-13-01" is not a date as YYYY-MM-DD',
    });
    expect(await pilot([...messages, '--as-of', '2025-10-01', '--kind', 'recurring'])).toMatchObject({
      code: 2,
      err: 'pilot: messages: a recurring list needs --since, the date of the last message',
    });
    expect(await pilot(['schedule', '--calendar', join(MISSING, 'c.csv'), '--first-day', 'soon'])).toMatchObject({
      code: 2,
      err: 'pilot: schedule: --first-day: "soon" is not a date (YYYY-MM-DD)',
    });
    const analyze = ['analyze', ...files, '--from', '2025-09-15', '--to', '2026-05-29', '--out', MISSING, '--assignment-date', '2025-9-1'];
    expect(await pilot(analyze)).toMatchObject({
      code: 2,
      err: 'pilot: analyze: --assignment-date: "2025-9-1" is not a date (YYYY-MM-DD)',
    });
    expect(await pilot(['report', '--analysis', MISSING, '--assignment-date', 'x'])).toMatchObject({
      code: 2,
      err: 'pilot: report: --assignment-date: "x" is not a date (YYYY-MM-DD)',
    });
  });

  it('pilot simulate --json says what it wrote, for a script', async () => {
    const dir = await tempDir();
    const roster = await pilot(['simulate', 'roster', '--out', dir, '--students', '40', '--districts', '2', '--seed', '5', '--json']);
    expect(JSON.parse(roster.out)).toEqual({ roster: join(dir, 'roster.csv'), students: 40, seed: 5 });
  });

  it('pilot analyze: a model table is not read with a mapping file or OneRoster choices', async () => {
    const result = await pilot([
      'analyze',
      '--table',
      join(MISSING, 't.csv'),
      '--out',
      MISSING,
      '--map',
      join(MISSING, 'map.json'),
      '--include-disabled',
    ]);
    expect(result).toMatchObject({
      code: 2,
      err: 'pilot: analyze: --table cannot be combined with --map, --include-disabled: give either a model table or the study files',
    });
  });

  it('pilot analyze --draws, the old name of --draws-per-chain, is still known and checked, and hidden from help', async () => {
    expect(await pilot(['analyze', '--table', join(MISSING, 't.csv'), '--out', MISSING, '--draws', '2'])).toMatchObject({
      code: 2,
      err: 'pilot: analyze: --draws must be a whole number >= 4, got 2',
    });
    const help = (await pilot(['analyze', '--help'])).out;
    expect(help).toContain('--draws-per-chain');
    expect(help).not.toMatch(/--draws\s/);
  });

  it('a missing required option is exit 2, and refused input exit 1', async () => {
    expect((await pilot(['schedule'])).code).toBe(2);
    const refused = await pilot(['schedule', '--calendar', join(MISSING, 'calendar.csv')]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(join(MISSING, 'calendar.csv'));
  });
});

describe('typos', () => {
  it('suggests the nearest command', async () => {
    expect(await pilot(['asign'])).toEqual({
      code: 2,
      out: '',
      err: 'pilot: unknown command "asign"; did you mean `pilot assign`? (`pilot --help` lists the commands)',
    });
    expect((await pilot(['reprot', '--analysis', 'x'])).err).toContain('did you mean `pilot report`?');
    expect((await pilot(['frobnicate'])).err).toBe('pilot: unknown command "frobnicate" (`pilot --help` lists the commands)');
  });

  it("suggests the nearest of the command's options, also when the option is required", async () => {
    const typo = await pilot(['assign', '--rooster', 'roster.csv', '--out', 'study']);
    expect(typo.code).toBe(2);
    expect(typo.err).toBe('pilot: Missing required argument: roster; did you mean --roster (not --rooster)?');
    const two = await pilot(['analyze', '--table', 't.csv', '--out', 'o', '--chians', '2', '--seeed=3']);
    expect(two.err).toBe('pilot: Unknown arguments: chians, seeed; did you mean --chains (not --chians), --seed (not --seeed)?');
    expect((await pilot(['schedule', '--calendar', 'c.csv', '--xyzzy'])).err).toBe('pilot: Unknown argument: xyzzy');
  });

  it('suggestName takes one edit per three letters, at most two; editDistance counts a swap as one', () => {
    expect(editDistance('asign', 'assign')).toBe(1);
    expect(editDistance('chians', 'chains')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(suggestName('rooster', ['roster', 'out'])).toBe('roster');
    expect(suggestName('rpt', ['report'])).toBeUndefined();
    expect(suggestName('ot', ['out', 'p'])).toBe('out');
    expect(suggestName('zz', ['out', 'p'])).toBeUndefined();
  });
});

describe('help', () => {
  it('lists the commands in the order of a study, then the practice ones', async () => {
    const help = await pilot(['--help']);
    expect(help.code).toBe(0);
    const order = [...help.out.matchAll(/^ {2}pilot (\w+)/gm)].map((m) => m[1]);
    expect(order).toEqual(['plan', 'validate', 'assign', 'schedule', 'messages', 'deliveries', 'analyze', 'report', 'simulate', 'demo']);
  });

  it.each(commands.map((c) => c.command.split(' ')[0]))(
    'pilot %s --help groups its options (inputs, ..., output) and shows examples to copy whole',
    async (name) => {
      const help = await pilot([name, '--help']);
      expect(help.code).toBe(0);
      const groups = [...help.out.matchAll(/^([A-Z][\w ()-]*):$/gm)].map((m) => m[1]);
      expect(groups.slice(-3)).toEqual(['Output', 'Options', 'Examples']);
      expect(groups.length).toBeGreaterThanOrEqual(4);
      expect(help.out.split('\n').filter((line) => line.length > 100)).toEqual([]);
      // Lines ending in a shell continuation join back into exactly the example's command line.
      const shown = help.out
        .slice(help.out.indexOf('Examples:'))
        .split('\n\n')
        .map((block) =>
          block
            .split('\n')
            .filter((l) => l.trim().startsWith('pilot') || l.startsWith('      '))
            .map((l) => l.trim().replace(/ \\$/, ''))
            .join(' '),
        );
      expect(shown.map((line) => line.replace(/^pilot /, ''))).toEqual(examplesOf(name));
    },
  );

  it('every example names only files that exist in the repository', () => {
    for (const command of commands) {
      const examples = examplesOf(command.command.split(' ')[0]);
      expect(examples.length, command.command).toBeGreaterThan(0);
      for (const word of examples.flatMap((e) => e.split(' ')).filter((w) => w.startsWith('fixtures/')))
        expect(existsSync(join(ROOT, word)), word).toBe(true);
      for (const example of examples) expect(example, 'no placeholder').not.toMatch(/\.\.\.|</);
    }
  });

  // The quick commands' examples are run as written (from the repository root), one after the
  // other so that a later example may use what an earlier one wrote.
  it.each(['validate', 'assign', 'schedule', 'messages', 'deliveries', 'simulate'])(
    'pilot %s: its examples run as written on the fixtures',
    async (name) => {
      const dir = await tempDir();
      for (const example of examplesOf(name)) {
        const result = await pilot(runnable(example, dir));
        expect(result.code, `${example}\n${result.err}`).toBe(0);
      }
    },
  );

  // A full fit takes minutes: these examples are checked up to the fit by adding a bad number,
  // which is checked after everything else on the line is (unknown and missing options).
  it.each([
    ['analyze', '--chains'],
    ['report', '--chains'],
    ['demo', '--students'],
    ['plan', '--simulations'],
  ])('pilot %s: its examples parse (only the %s 0 added is refused)', async (name, flag) => {
    const dir = await tempDir();
    for (const example of examplesOf(name)) {
      const result = await pilot([...runnable(example, dir), flag, '0']);
      expect(result.err).toContain(`${flag} must be`);
      expect(result.code).toBe(2);
    }
  });
});

describe('thin commands', () => {
  // A handler parses options, calls one library function and prints: about 30 lines at most.
  // Counted in statements (lines that start at the body's indentation, comments aside), so
  // that a formatter wrapping a long call over several lines changes nothing.
  it('every handler in src/cli/commands is 20 statements or fewer', () => {
    const dir = join(ROOT, 'src', 'cli', 'commands');
    const sizes = readdirSync(dir)
      .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
      .map((name) => {
        const lines = readFileSync(join(dir, name), 'utf8').split('\n');
        const start = lines.findIndex((line) => line.startsWith('  handler: async'));
        const body = lines.slice(start + 1, start + lines.slice(start).indexOf('  },'));
        return { name, statements: body.filter((line) => /^ {4}[^ )}\]/]/.test(line)).length };
      });
    expect(sizes.map((s) => s.name).sort()).toEqual(commands.map((c) => `${c.command.split(' ')[0]}.ts`).sort());
    expect(sizes.filter((s) => s.statements < 1 || s.statements > 20)).toEqual([]);
  });
});

describe('the command line in manifests', () => {
  it('formatCommandLine quotes what a shell would split', () => {
    expect(formatCommandLine(['assign', '--roster', 'my roster.csv', '--out', "O'Neil/study", '--seed', '7'])).toBe(
      "pilot assign --roster 'my roster.csv' --out 'O'\\''Neil/study' --seed 7",
    );
  });
});
