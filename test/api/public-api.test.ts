import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';

const INDEX = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

/**
 * The names src/index.ts exports, read from its text: `type X` for a type, `X` for a
 * value, sorted. The index only re-exports by name, so its text is the whole list.
 */
function exportedNames(): { names: string[]; wildcards: string[]; declared: string[] } {
  const source = ts.createSourceFile(INDEX, readFileSync(INDEX, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const wildcards: string[] = [];
  const declared: string[] = [];
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      const clause = statement.exportClause;
      if (!clause || !ts.isNamedExports(clause)) wildcards.push(statement.getText());
      else
        for (const element of clause.elements)
          names.push(`${statement.isTypeOnly || element.isTypeOnly ? 'type ' : ''}${element.name.text}`);
    } else if (!ts.isImportDeclaration(statement)) declared.push(statement.getText().slice(0, 60));
  }
  return { names: names.sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, ''), 'en')), wildcards, declared };
}

describe('the public API (src/index.ts)', () => {
  const { names, wildcards, declared } = exportedNames();

  it('re-exports by name only: no `export *`, nothing declared in the index itself', () => {
    expect(wildcards).toEqual([]);
    expect(declared).toEqual([]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('exports at run time exactly the values it lists', () => {
    const values = names.filter((n) => !n.startsWith('type '));
    expect(Object.keys(api).sort()).toEqual([...values].sort());
  });

  it('keeps internals out: CLI helpers, HTML escaping, browser flags, assignment cores', () => {
    for (const internal of [
      'CHROMIUM_ARGS',
      'CHROMIUM_PATH',
      'escapeHtml',
      'writeAssignmentFiles',
      'planInitialAssignment',
      'planLateAssignment',
      'assignBlocked',
      'assignHouseholds',
      'addLateEnrollees',
      'resolveAnalysisPath',
    ]) {
      expect(names, internal).not.toContain(internal);
    }
    expect(typeof api.assignStudy).toBe('function');
  });

  // A change to this list is a change to the public API: run
  //   TZ=UTC npx vitest run test/api/public-api.test.ts -u
  // and let review see the new list in test/api/public-api.txt.
  it('is the list in test/api/public-api.txt', async () => {
    await expect(`${names.join('\n')}\n`).toMatchFileSnapshot('./public-api.txt');
  });
});
