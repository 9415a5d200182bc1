/**
 * Every relative link in README.md, CHANGELOG.md and docs/*.md reaches a file or folder
 * of the repository, and every #anchor a heading of the page it names; no page points
 * outside the repository.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, docPages, fencedBlocks, links, ROOT, readPage, slug } from './markdown.js';

describe('the docs link checker', () => {
  it('makes anchors as GitHub does', () => {
    expect(slug('Assignment: `pilot assign`')).toBe('assignment-pilot-assign');
    expect(slug('Known limitation: small pilots')).toBe('known-limitation-small-pilots');
    expect(slug('`analysis.json`: the fields')).toBe('analysisjson-the-fields');
    expect([...anchors('# A\n\n```sh\n# not a heading\n```\n\n## A\n## `b` c\n')]).toEqual(['a', 'a-1', 'b-c']);
  });

  it('finds links outside code only', () => {
    const page = 'See [the model](model.md#data) and `[not](a-link.md)`.\n\n```md\n[nor](this.md)\n```\n[x](https://example.org "title")';
    expect(links(page).map((link) => link.target)).toEqual(['model.md#data', 'https://example.org']);
    expect(fencedBlocks('text\n```sh\nls\n```\n  ```text output\n  a\n  ```\n')).toEqual([
      { lang: 'sh', tags: [], text: 'ls', line: 2 },
      { lang: 'text', tags: ['output'], text: 'a', line: 5 },
    ]);
  });
});

describe('links in the docs', () => {
  const pages = docPages();

  it('covers the README, the changelog and the docs pages', () => {
    expect(pages).toContain('README.md');
    expect(pages).toContain('docs/errors.md');
    expect(pages.length).toBeGreaterThan(15);
  });

  it.each(pages)('%s: every relative link and anchor resolves inside the repository', (page) => {
    const broken: string[] = [];
    for (const { target, line } of links(readPage(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? join(ROOT, page) : resolve(ROOT, dirname(page), decodeURI(path));
      const where = `${page}:${line}: ${target}`;
      if (relative(ROOT, file).startsWith('..')) broken.push(`${where} (outside the repository)`);
      else if (!existsSync(file)) broken.push(`${where} (no such file)`);
      else if (anchor !== undefined && file.endsWith('.md') && !anchors(readPage(relative(ROOT, file))).has(anchor))
        broken.push(`${where} (no such heading)`);
    }
    expect(broken).toEqual([]);
  });
});

describe('the repository stands on its own', () => {
  it('no source, test, script, notebook or doc cites the team notes outside the repository', () => {
    // Joined here, so that this file does not match itself.
    const [notes, outside] = [['shared', 'spec'].join('/'), ['..', 'shared'].join('/')];
    const found = spawnSync(
      'git',
      [
        'grep',
        '--untracked',
        '-n',
        '-F',
        '-e',
        notes,
        '-e',
        outside,
        '--',
        'src',
        'test',
        'bench',
        'scripts',
        'notebooks',
        'docs',
        'README.md',
        'CHANGELOG.md',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(found.stdout.trim().split('\n').filter(Boolean)).toEqual([]);
  });
});

describe('the README', () => {
  it('stays short: under 10 KB, the rest in docs/', () => {
    expect(Buffer.byteLength(readPage('README.md'))).toBeLessThan(10_000);
  });
});
