/**
 * Real `pilot` processes for the hostile-input tests: a build, and a way to kill one
 * mid-write.
 *
 * The build is for tests that need a real process (to kill it): every source
 * file transpiled on its own with TypeScript's transpileModule, no type check, into a
 * private folder under node_modules/.cache (so packages resolve, and dist/ and its
 * incremental build state are left alone). Takes a second or two, not a full build's 30.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Builds the CLI (`buildCliForTests`) before a test file's tests and removes the build
 * after them. Returns the path of its main.js, to call once the tests run.
 */
export function useCliForTests(): () => string {
  let cli: string | undefined;
  beforeAll(async () => {
    cli = await buildCliForTests();
  });
  afterAll(async () => {
    if (cli) await rm(resolve(cli, '..', '..'), { recursive: true, force: true });
  });
  return () => cli!;
}

async function buildCliForTests(): Promise<string> {
  const src = join(ROOT, 'src');
  const out = join(ROOT, 'node_modules', '.cache', 'pilot-cli-test', String(process.pid));
  const files = (await readdir(src, { recursive: true })).filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  await Promise.all(
    files.map(async (name) => {
      const { outputText } = ts.transpileModule(await readFile(join(src, name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
        fileName: name,
      });
      const target = join(out, name).replace(/\.ts$/, '.js');
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, outputText);
    }),
  );
  await writeFile(join(out, 'package.json'), '{ "type": "module" }\n');
  return join(out, 'cli', 'main.js');
}

/**
 * Files being written in `dir`: hidden temporaries (`.name.pid.random.tmp`, one file written
 * alone) and the files inside hidden staging folders (`.pilot-staging.pid.random/name`, files
 * that appear together), each named as it will be, with its size so far.
 */
export function temporaries(dir: string): { name: string; size: number; final: string }[] {
  const found: { name: string; size: number; final: string }[] = [];
  const size = (path: string) => statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') && name.endsWith('.tmp'))
      found.push({ name, size: size(join(dir, name)), final: name.replace(/^\.(.*)\.\d+\.[0-9a-f]{8}\.tmp$/, '$1') });
    else if (name.startsWith('.pilot-staging.')) {
      for (const inner of readdirSync(join(dir, name), { recursive: true }) as string[])
        found.push({ name: `${name}/${inner}`, size: size(join(dir, name, inner)), final: inner });
    }
  }
  return found;
}

/**
 * Starts `node cli argv` and SIGKILLs it as soon as a temporary file of `final` in `dir`
 * holds at least `minBytes`: the process is then mid-write. Resolves with how it ended
 * (a run that finished first ends with its exit code and no signal).
 */
export function killWhileWriting(
  cli: string,
  argv: readonly string[],
  dir: string,
  final: string,
  minBytes: number,
): Promise<{ signal: NodeJS.Signals | null; code: number | null; tempBytes: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...argv], { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
    let tempBytes = 0;
    const poll = setInterval(() => {
      let temp: { name: string; size: number } | undefined;
      try {
        temp = temporaries(dir).find((t) => t.final === final);
      } catch {
        // The folder may not exist yet.
      }
      if (temp && temp.size >= minBytes) {
        tempBytes = temp.size;
        child.kill('SIGKILL');
        clearInterval(poll);
      }
    }, 2);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      done({ code, signal, tempBytes });
    });
  });
}
