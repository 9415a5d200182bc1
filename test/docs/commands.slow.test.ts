/**
 * Every ```sh block of README.md and docs/*.md runs as written, so a walk that no longer
 * works fails the build. Each page runs in a fresh folder holding a copy of fixtures/,
 * its blocks in order (a later block sees the files an earlier one wrote), with
 * `npx pilot` running the CLI built from src/. A ```text output block right after a
 * ```sh block shows its output: each of its lines (`...` elides) must be in what the
 * block printed. The set-up commands (npm install, npm test, npm run build, ...) are
 * not run here: .ci/run runs them itself, and the test checks that it does; `npm run
 * demo` runs as `npx pilot demo`, so that the README's demo output is checked.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliForTests } from '../cli/hostile-cli.js';
import { docPages, fencedBlocks, ROOT, readPage } from './markdown.js';

/** npm commands CI runs in .ci/run, and the line there that runs each. */
const CI_STEPS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/^npm (install|ci)$/, /^npm ci\b/m],
  [/^npm test$/, /^npm test$/m],
  [/^npm run build$/, /^npm run (--silent )?build$/m],
  [/^npm run demo$/, /^npm run (--silent )?demo\b/m],
  [/^npm run test:slow$/, /^npm run (--silent )?test:slow$/m],
  [/^npm run typecheck$/, /^npm run (--silent )?typecheck$/m],
  [/^npm run docs$/, /^npm run (--silent )?docs$/m],
];

/** What a CI step runs here instead: the demo itself, so its shown output is checked too. */
const INSTEAD: Readonly<Record<string, string>> = { 'npm run demo': 'npx pilot demo' };

/** A block's commands with CI's own steps replaced by `:` (they are checked against .ci/run). */
function withoutCiSteps(script: string, ciSteps: Set<string>): string {
  return script
    .split('\n')
    .map((line) => {
      const commands = line
        .replace(/\s+#.*$/, '')
        .trim()
        .split(/\s*&&\s*/);
      if (commands[0] === '' || !commands.every((command) => CI_STEPS.some(([step]) => step.test(command)))) return line;
      for (const command of commands) ciSteps.add(command);
      return commands.map((command) => INSTEAD[command] ?? ':').join(' && ');
    })
    .join('\n');
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

interface Step {
  readonly line: number;
  readonly script: string;
  readonly output?: readonly string[];
}

function stepsOf(page: string, ciSteps: Set<string>): Step[] {
  const blocks = fencedBlocks(readPage(page));
  const steps: Step[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== 'sh') return;
    const next = blocks[i + 1];
    const output =
      next?.lang === 'text' && next.tags.includes('output')
        ? next.text.split('\n').filter((l) => l.trim() && l.trim() !== '...')
        : undefined;
    steps.push({ line: block.line, script: withoutCiSteps(block.text, ciSteps), output });
  });
  return steps;
}

const pages = docPages().filter((page) => fencedBlocks(readPage(page)).some((block) => block.lang === 'sh'));

describe('the commands in the docs', () => {
  const cli = useCliForTests();
  const ciSteps = new Set<string>();

  it('finds runnable blocks in the README and the guides', () => {
    expect(pages).toContain('README.md');
    expect(pages.length).toBeGreaterThan(5);
  });

  it.each(pages)('%s: every sh block runs and prints what the page shows', (page) => {
    const dir = mkdtempSync(join(tmpdir(), 'pilot-docs-'));
    try {
      cpSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'), { recursive: true });
      const prelude = `set -euo pipefail\nnpx() { if [ "$1" = pilot ]; then shift; node ${JSON.stringify(cli())} "$@"; else command npx "$@"; fi; }\n`;
      for (const step of stepsOf(page, ciSteps)) {
        const run = spawnSync('bash', ['-c', prelude + step.script], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1' },
          maxBuffer: 64 << 20,
        });
        const printed = `${run.stdout}\n${run.stderr}`;
        expect(run.status, `${page}:${step.line} exited ${run.status}:\n${step.script}\n${printed.slice(-4000)}`).toBe(0);
        const missing = (step.output ?? []).filter((line) => !collapse(printed).includes(collapse(line)));
        expect(missing, `${page}:${step.line}: shown output not printed; it ended:\n${printed.slice(-3000)}`).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the set-up commands the pages show are steps of .ci/run', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    for (const page of docPages()) stepsOf(page, ciSteps);
    expect(ciSteps.size).toBeGreaterThan(0);
    const notInCi = [...ciSteps].filter((command) => !CI_STEPS.some(([step, inCi]) => step.test(command) && inCi.test(ci)));
    expect(notInCi).toEqual([]);
  });

  it.each([
    'plan',
    'validate',
    'assign',
    'schedule',
    'messages',
    'deliveries',
    'analyze',
    'report',
    'simulate roster',
    'simulate attendance',
    'simulate deliveries',
    'demo',
  ])('docs/cli.md lists every option of pilot %s --help', (command) => {
    const help = spawnSync('node', [cli(), ...command.split(' '), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    const options = [...help.stdout.matchAll(/^ {2,}(?:(-\w), )?(--?[a-z][a-z-]*)/gm)]
      .flatMap((m) => [m[1], m[2]])
      .filter((o): o is string => !!o && o !== '--help' && o !== '--version');
    expect(options.length).toBeGreaterThan(0);
    const page = readPage('docs/cli.md');
    const start = page.indexOf(`## \`pilot ${command.split(' ')[0]}`);
    expect(start).toBeGreaterThan(0);
    const end = page.indexOf('\n## ', start + 1);
    const section = page.slice(start, end < 0 ? undefined : end);
    expect(options.filter((option) => !section.includes(`\`${option}\``))).toEqual([]);
  });
});
