/**
 * The error catalogue (docs/errors.md) lists every message a user can be shown:
 * this test reads the sources, finds every message an error or issue is built with, and
 * checks that each fixed piece of its text appears in the catalogue. A new error must be
 * documented (its cause and fix) before the suite passes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FOLDERS = ['src/data', 'src/io', 'src/assignment', 'src/messages', 'src/analysis', 'src/study', 'src/report', 'src/cli'];
/** Calls with a message shown to a user, and which argument holds it (-1: the last). */
const MESSAGE_CALLS = new Map([
  ['PilotError', 0],
  ['UsageError', 1],
  ['CsvSyntaxError', 1],
  ['ValidationError', 1],
  ['issue', -1],
  ['fail', -1],
  ['problem', -1],
]);

/** The fixed pieces of a message expression: one list per way it can come out. */
function fixedPieces(node: ts.Node): string[][] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [[node.text]];
  if (ts.isTemplateExpression(node)) return [[node.head.text, ...node.templateSpans.map((span) => span.literal.text)]];
  if (ts.isParenthesizedExpression(node)) return fixedPieces(node.expression);
  if (ts.isConditionalExpression(node)) return [...fixedPieces(node.whenTrue), ...fixedPieces(node.whenFalse)];
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const [left, right] = [fixedPieces(node.left), fixedPieces(node.right)];
    if (left.length === 0 || right.length === 0) return [...left, ...right];
    return left.flatMap((l) => right.map((r) => [...l, ...r]));
  }
  return [];
}

interface SourceMessage {
  readonly where: string;
  readonly pieces: readonly string[];
}

function sourceMessages(): SourceMessage[] {
  const found: SourceMessage[] = [];
  for (const folder of FOLDERS) {
    for (const name of readdirSync(join(ROOT, folder), { recursive: true }) as string[]) {
      if (!name.endsWith('.ts')) continue;
      const path = join(folder, name);
      const source = ts.createSourceFile(path, readFileSync(join(ROOT, path), 'utf8'), ts.ScriptTarget.Latest, true);
      const add = (node: ts.Node, expression: ts.Node | undefined) => {
        if (!expression) return;
        const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        for (const pieces of fixedPieces(expression)) found.push({ where: `${path}:${line}`, pieces });
      };
      const visit = (node: ts.Node): void => {
        if (
          (ts.isCallExpression(node) || ts.isNewExpression(node)) &&
          ts.isIdentifier(node.expression) &&
          MESSAGE_CALLS.has(node.expression.text)
        ) {
          const args = node.arguments ?? ts.factory.createNodeArray();
          const at = MESSAGE_CALLS.get(node.expression.text)!;
          add(node, args[at < 0 ? args.length + at : at]);
        }
        if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'message') add(node, node.initializer);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return found;
}

/** Whitespace collapsed, so line breaks in the catalogue or the source do not matter. */
const normalize = (text: string) => text.replace(/\s+/g, ' ');

describe('the error catalogue', () => {
  const messages = sourceMessages();

  it('finds the messages in the sources (the extraction works)', () => {
    expect(messages.length).toBeGreaterThan(100);
    const texts = messages.map((m) => m.pieces.join('…'));
    expect(texts).toContain('blank student_id');
    expect(texts).toContain('column "…" appears twice in the header');
    expect(texts).toContain('a quoted field is never closed (unbalanced quote)');
  });

  it('documents every message a user can be shown', () => {
    const catalogue = normalize(readFileSync(join(ROOT, 'docs', 'errors.md'), 'utf8'));
    expect(catalogue).toContain('# Errors and what to do about them');
    const missing = messages
      .flatMap((m) => m.pieces.map((piece) => ({ where: m.where, piece: normalize(piece).trim() })))
      // Pieces of three characters or less (", ", ": ") say nothing by themselves.
      .filter(({ piece }) => piece.replace(/[^\p{L}\p{N}]/gu, '').length >= 3 && !catalogue.includes(piece))
      .map(({ where, piece }) => `${where}: "${piece}"`);
    expect(missing).toEqual([]);
  });
});
