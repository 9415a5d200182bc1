import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import { readCsv } from '../io/read-csv.js';
import { idProblem } from './check-id.js';

/** How an imported file names the two arms. */
export interface ArmLabels {
  readonly control: string;
  readonly treatment: string;
}

/**
 * Labels read without being told: ours, and randomizr's default conditions `0` and `1`
 * (`1` is treatment, as in `block_ra(blocks, prob = ...)`). Any others need `labels`.
 */
export const KNOWN_ARM_LABELS: readonly ArmLabels[] = [
  { control: 'control', treatment: 'treatment' },
  { control: '0', treatment: '1' },
];

/** Columns that may hold the arm, in order of preference: ours, then randomizr's and DeclareDesign's `Z`. */
export const IMPORTED_ARM_COLUMNS = ['arm', 'Z'] as const;

/** One row of an imported assignment file. */
export interface ImportedAssignmentRow {
  readonly student_id: string;
  readonly arm: 'control' | 'treatment';
  /** The probability of treatment, when the file gives one per student. */
  readonly p_treatment?: number;
  /** The file's block, when it has a `block` column. */
  readonly block?: string;
  /** The row's line in the file (the header is line 1). */
  readonly row: number;
}

/** An imported assignment file, read and checked row by row (not yet against a roster). */
export interface ImportedAssignmentsFile {
  readonly file: string;
  readonly sha256: string;
  readonly rows: readonly ImportedAssignmentRow[];
  readonly labels: ArmLabels;
  /** The column the arms came from (`arm` or `Z`). */
  readonly armColumn: string;
  /** The column the probabilities came from (`prob_treatment`, `prob_1`, `condition_prob` ...); absent when the file has none. */
  readonly probabilityColumn?: string;
  /** Whether the file has its own `block` column. */
  readonly hasBlocks: boolean;
}

/**
 * The column holding a probability per student, if any, in order of preference: the
 * probability of treatment (`prob_treatment`, `p_treatment`, or randomizr's
 * `block_ra_probabilities` naming `prob_<condition>`, e.g. `prob_1`), else the probability
 * of the condition the student is in (`condition_prob`, what randomizr's
 * `obtain_condition_probabilities` returns).
 */
function probabilityColumnOf(header: readonly string[], labels: ArmLabels): string | undefined {
  const direct = ['prob_treatment', 'p_treatment', `prob_${labels.treatment}`];
  return direct.find((name) => header.includes(name)) ?? (header.includes('condition_prob') ? 'condition_prob' : undefined);
}

/** Rounds away the binary noise of `1 - p` (1 - 0.7 is 0.30000000000000004), so the probability is written as given. */
function complement(p: number): number {
  return Number((1 - p).toPrecision(12));
}

/**
 * Reads an assignment made by another tool (R's randomizr, Stata, a spreadsheet): one row
 * per student with `student_id` and the arm (column `arm` or `Z`), and optionally the
 * file's `block` and the probability of treatment per student (see `probabilityColumnOf`).
 * The arms are the file's `labels` for control and treatment, or, when not given, the pair
 * of `KNOWN_ARM_LABELS` that fits the most rows. Every bad row is reported at once (file, row,
 * column); a student listed twice is refused.
 */
export async function readImportedAssignments(path: string, labels?: ArmLabels): Promise<ImportedAssignmentsFile> {
  const table = await readCsv({ path }, path);
  const issues: Issue[] = [];
  const armColumn = IMPORTED_ARM_COLUMNS.find((name) => name in table.columns);
  for (const [name, found] of [
    ['student_id', 'student_id' in table.columns],
    ['arm', armColumn !== undefined],
  ] as const) {
    if (!found)
      issues.push({
        file: path,
        row: 1,
        column: name,
        message: `missing required column "${name}" for an imported assignment${name === 'arm' ? ' (or "Z", as randomizr names it)' : ''} (the header has: ${table.header.join(', ')})`,
      });
  }
  if (issues.length > 0) throw new ValidationError(issues, `${path} is not an assignment file pilot can import`);
  const ids = table.columns.student_id;
  const arms = table.columns[armColumn!];
  // Without labels, the known pair that fits the most rows: a few stray labels are then the rows named.
  const fits = (l: ArmLabels) => arms.filter((arm) => arm === l.control || arm === l.treatment).length;
  const chosen = labels ?? KNOWN_ARM_LABELS.reduce((best, l) => (fits(l) > fits(best) ? l : best));
  const probabilityColumn = probabilityColumnOf(table.header, chosen);
  const probabilities = probabilityColumn === undefined ? undefined : table.columns[probabilityColumn];
  const blocks = table.columns.block;
  const seen = new Map<string, number>();
  const rows: ImportedAssignmentRow[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const row = table.lines[i];
    const at = (column: string, message: string) => issues.push({ file: path, row, column, message });
    const before = issues.length;
    const id = ids[i];
    const badId = idProblem('student_id', id);
    if (id === '') at('student_id', 'blank student_id');
    else if (badId !== undefined) at('student_id', badId);
    else if (seen.has(id))
      at('student_id', `student "${id}" is listed twice (first on row ${seen.get(id)}): every student is assigned once`);
    else seen.set(id, row);
    const label = arms[i];
    const arm = label === chosen.treatment ? 'treatment' : label === chosen.control ? 'control' : undefined;
    if (arm === undefined)
      at(
        armColumn!,
        `"${label}" is neither the control label "${chosen.control}" nor the treatment label "${chosen.treatment}"${labels ? '' : ": give the file's labels with --labels control=‹label›,treatment=‹label›"}`,
      );
    let p: number | undefined;
    if (probabilities !== undefined) {
      const text = probabilities[i];
      const value = Number(text);
      if (text === '' || !(value > 0 && value < 1))
        at(
          probabilityColumn!,
          `"${text}" is not a probability strictly between 0 and 1 (a student who could not have been in both arms tells nothing about the effect)`,
        );
      else p = probabilityColumn === 'condition_prob' && arm === 'control' ? complement(value) : value;
    }
    if (blocks !== undefined && blocks[i] === '') at('block', 'blank block');
    if (issues.length > before) continue;
    rows.push({ student_id: id, arm: arm!, row, ...(p === undefined ? {} : { p_treatment: p }), ...(blocks ? { block: blocks[i] } : {}) });
  }
  if (issues.length > 0) throw new ValidationError(issues, `${path} is not an assignment file pilot can import`);
  return {
    file: path,
    sha256: table.sha256!,
    rows,
    labels: chosen,
    armColumn: armColumn!,
    ...(probabilityColumn ? { probabilityColumn } : {}),
    hasBlocks: blocks !== undefined,
  };
}
