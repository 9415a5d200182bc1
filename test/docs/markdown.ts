/**
 * Reading the user docs as the docs tests need them: which pages there are, their fenced
 * blocks, links and headings. The convention the pages follow (docs/development.md):
 * a ```sh block is run by the docs test; a ```text output block right after it is that
 * block's output (every line but `...` must appear); any other block is shown only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

/** README.md, CHANGELOG.md and every page of docs/ (not the generated docs/api/). */
export function docPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', 'CHANGELOG.md', ...docs];
}

export interface FencedBlock {
  /** The info string's first word (`sh`, `text`, `ts`, ...). */
  readonly lang: string;
  /** The rest of the info string (`output` marks a shown output). */
  readonly tags: readonly string[];
  readonly text: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** The fenced blocks of a page, in order (fences may be indented, as in a list item). */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const lines = markdown.split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,})\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^ {0,3}${fence}\\s*$`).test(lines[j])) body.push(lines[j++].slice(indent.length));
    const [lang = '', ...tags] = info.trim().split(/\s+/).filter(Boolean);
    blocks.push({ lang, tags, text: body.join('\n'), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The page with its fenced blocks and inline code blanked out (their text is not markdown). */
export function prose(markdown: string): string {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const open = /^ {0,3}(`{3,})/.exec(line);
      if (fence) {
        if (open && open[1] === fence) fence = undefined;
        return '';
      }
      if (open) {
        fence = open[1];
        return '';
      }
      return line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    })
    .join('\n');
}

export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Markdown links `[text](target)` outside code, with their line. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  prose(markdown)
    .split('\n')
    .forEach((line, index) => {
      for (const match of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) found.push({ target: match[1], line: index + 1 });
    });
  return found;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor a page's headings make (a repeated heading gets -1, -2, ... as on GitHub). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const original = markdown.split('\n');
  prose(markdown)
    .split('\n')
    .forEach((line, index) => {
      // Headings are found outside fences, and read from the page itself: prose() blanks inline code.
      if (!/^#{1,6}\s/.test(line)) return;
      const base = slug(original[index].replace(/^#{1,6}\s+/, '').replace(/\s+#*\s*$/, ''));
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      result.add(count === 0 ? base : `${base}-${count}`);
    });
  return result;
}

export function readPage(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}
