/**
 * The file-format references name every top-level field the files hold: each property of
 * `AnalysisResult` (analysis.json) and `ReportData` (report.json), read from the sources,
 * appears as `name` in its page. A new field fails here until it is documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT, readPage } from './markdown.js';

/** The property names of an exported interface, as declared in a source file. */
function propertiesOf(file: string, name: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name);
  if (!found) throw new Error(`${file} declares no interface ${name}`);
  return found.members.filter(ts.isPropertySignature).map((member) => member.name.getText(source));
}

describe('the file-format references', () => {
  it.each([
    ['docs/analysis-json.md', 'src/analysis/analysis-result.ts', 'AnalysisResult'],
    ['docs/report-json.md', 'src/report/report-data.ts', 'ReportData'],
  ])('%s names every field of %s %s', (page, file, name) => {
    const fields = propertiesOf(file, name);
    expect(fields.length).toBeGreaterThan(8);
    const text = readPage(page);
    expect(fields.filter((field) => !text.includes(`\`${field}\``))).toEqual([]);
  });
});
