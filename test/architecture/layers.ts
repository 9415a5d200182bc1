import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ts from 'typescript';

/**
 * The layers of src/, lowest first (docs/library.md, "Layers"). A file may import files
 * of its own folder and of any lower layer; the capabilities of one layer sit side by
 * side and never import each other. The package entry, src/index.ts, is above them all
 * but the CLI.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['types.ts', 'errors.ts', 'random.ts', 'version.ts', 'compiled-worker.ts'],
  ['io'],
  ['data'],
  ['messages', 'analysis', 'assignment', 'simulate'],
  // Built on the capabilities: a whole study's files read together; planning a study's size on the analysis.
  ['study', 'planning'],
  ['report'],
  ['index.ts'],
  ['cli'],
];

export interface SourceFile {
  /** Path relative to src/, with forward slashes: `data/read-roster.ts`. */
  readonly file: string;
  /** The src/ files it imports (statically, dynamically or as types), same form. */
  readonly imports: readonly string[];
}

/** The part of src/ a file belongs to: its top folder, or its own name at the top. */
export function partOf(file: string): string {
  return file.split('/')[0];
}

function rankOf(part: string): number | undefined {
  const rank = LAYERS.findIndex((layer) => layer.includes(part));
  return rank < 0 ? undefined : rank;
}

/**
 * Every import that does not point down: upward, sideways between capabilities, or from
 * a part of src/ the layer map does not know. One line per offending import.
 */
export function findLayerViolations(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const { file, imports } of files) {
    const from = partOf(file);
    const fromRank = rankOf(from);
    if (fromRank === undefined) {
      problems.push(`${file}: ${from} is in no layer (add it to LAYERS in test/architecture/layers.ts)`);
      continue;
    }
    for (const target of imports) {
      const to = partOf(target);
      if (to === from) continue;
      const toRank = rankOf(to);
      if (toRank === undefined) problems.push(`${file} -> ${target}: ${to} is in no layer`);
      else if (toRank === fromRank) problems.push(`${file} -> ${target}: sideways (${from} and ${to} are capabilities side by side)`);
      else if (toRank > fromRank) problems.push(`${file} -> ${target}: upward (${from} is below ${to})`);
    }
  }
  return problems;
}

/** Every import cycle among the files (Tarjan's strongly connected components), each as its files. */
export function findCycles(files: readonly SourceFile[]): string[][] {
  const edges = new Map(files.map((f) => [f.file, f.imports]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const file of [...edges.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}

/** Reads every .ts file under `srcDir` with the relative imports it makes (TypeScript's own pre-parser). */
export function readSourceFiles(srcDir: string): SourceFile[] {
  const paths: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) paths.push(path);
    }
  };
  walk(srcDir);
  const toKey = (path: string) => relative(srcDir, path).split(sep).join('/');
  return paths.sort().map((path) => {
    const info = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
    const imports = info.importedFiles
      .map((f) => f.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => toKey(join(dirname(path), name.replace(/\.js$/, '.ts'))))
      .filter((key) => !key.startsWith('..'));
    return { file: toKey(path), imports: [...new Set(imports)] };
  });
}
