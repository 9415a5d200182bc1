import type { PackedStrings } from '../io/packed-strings.js';
import { packStrings } from '../io/packed-strings.js';
import { formatCsvField } from '../io/write-csv.js';
import type { Assignment } from '../types.js';
import type { AssignedRows } from './assign-blocked.js';
import type { Place } from './household-table.js';

export const ASSIGNMENT_COLUMNS = [
  'student_id',
  'household_id',
  'district_id',
  'school_id',
  'grade',
  'block',
  'arm',
  'p_treatment',
  'assigned_at',
] as const;

/** `assignments.csv` text; `header: false` gives rows to append to an existing file. */
export function formatAssignments(rows: readonly Assignment[], header = true): string {
  return encodeAssignments(rows, header).toString('utf8');
}

/**
 * `assignments.csv` as UTF-8 bytes, the form that is hashed and written. Built by hand for
 * a million rows: cells go straight into the bytes, with no string or array per row (a
 * million short-lived strings cost seconds of garbage collection), and the cells many rows
 * share (district, school, grade, block, arm, probability, label) are formatted once. The bytes
 * are `formatCsv`'s: every text cell neutralized and quoted by `formatCsvField`, the
 * probability written as a number.
 */
export function encodeAssignments(rows: readonly Assignment[], header = true): Buffer {
  const out = new ByteBuilder();
  if (header) out.text(`${ASSIGNMENT_COLUMNS.join(',')}\n`);
  // Cells shared by many rows, formatted once: district to block found by the household's
  // block, then the student's own school and grade (siblings in one block go to other
  // grades and schools), checked against the district; arm to label found by the arm.
  const places = new Map<string, Map<string, Map<string, { readonly district: string; readonly bytes: Uint8Array }>>>();
  const outcomes = new Map<string, { readonly p: number; readonly label: string; readonly bytes: Uint8Array }>();
  for (const r of rows) {
    out.text(formatCsvField(r.student_id));
    out.byte(COMMA);
    out.text(formatCsvField(r.household_id));
    out.byte(COMMA);
    let bySchool = places.get(r.block);
    if (bySchool === undefined) places.set(r.block, (bySchool = new Map()));
    let byGrade = bySchool.get(r.school_id);
    if (byGrade === undefined) bySchool.set(r.school_id, (byGrade = new Map()));
    let place = byGrade.get(r.grade);
    if (place === undefined || place.district !== r.district_id) {
      const text = [r.district_id, r.school_id, r.grade, r.block].map(formatCsvField).join(',');
      place = { district: r.district_id, bytes: Buffer.from(`${text},`, 'utf8') };
      byGrade.set(r.grade, place);
    }
    out.bytes(place.bytes);
    let outcome = outcomes.get(r.arm);
    if (outcome === undefined || !Object.is(outcome.p, r.p_treatment) || outcome.label !== r.assigned_at) {
      const p = Number.isFinite(r.p_treatment) ? String(r.p_treatment) : '';
      outcome = {
        p: r.p_treatment,
        label: r.assigned_at,
        bytes: Buffer.from(`${formatCsvField(r.arm)},${p},${formatCsvField(r.assigned_at)}\n`, 'utf8'),
      };
      outcomes.set(r.arm, outcome);
    }
    out.bytes(outcome.bytes);
  }
  return out.finish();
}

/**
 * `encodeAssignments` for an initial run's rows as `assignRoster` leaves them, with no
 * `Assignment` object per row: the bytes are the same.
 */
export function encodeAssignedRows(rows: AssignedRows, header = true): Buffer {
  return encodeAssignedRowsPart(assignedRowsPart(rows, 0, rows.roster.count), header);
}

/**
 * Rows [from, to) of an initial assignment, as plain columns and indices: what
 * `encodeAssignedRowsPart` writes, and what a worker thread is sent to write them.
 */
export interface AssignedRowsPart {
  /** Packed for a part sent to a worker thread: half a million strings would be copied one by one. */
  readonly studentIds: readonly string[] | PackedStrings;
  readonly householdIds: readonly string[] | PackedStrings;
  /** Per row: the student's place (district, school, grade), its household's block, and arm. */
  readonly placeOf: Int32Array;
  readonly blockOf: Int32Array;
  readonly armOf: Int32Array;
  readonly places: readonly Place[];
  readonly blocks: readonly string[];
  readonly arms: readonly string[];
  readonly pTreatment: number;
  readonly label: string;
}

/** Rows [from, to) as a part; `packed` for a part to send to a worker thread. */
export function assignedRowsPart(rows: AssignedRows, from: number, to: number, { packed = false } = {}): AssignedRowsPart {
  const { roster, households, armOfHousehold } = rows;
  const { householdOf, blockOf, placeOf, places, blocks } = households;
  const ids = (values: readonly string[]) => (packed ? packStrings(values.slice(from, to)) : values.slice(from, to));
  const part = {
    studentIds: ids(roster.studentIds),
    householdIds: ids(roster.householdIds),
    placeOf: placeOf.slice(from, to),
    blockOf: new Int32Array(to - from),
    armOf: new Int32Array(to - from),
  };
  for (let i = from; i < to; i++) {
    part.blockOf[i - from] = blockOf[householdOf[i]];
    part.armOf[i - from] = armOfHousehold[householdOf[i]];
  }
  return { ...part, places, blocks, arms: rows.arms, pTreatment: rows.pTreatment, label: rows.label };
}

/**
 * Writes rows as `encodeAssignments` does, finding shared cells by index: district, school
 * and grade formatted once per place, the block once per block, and arm, probability and
 * label once per arm.
 */
export function encodeAssignedRowsPart(part: AssignedRowsPart, header: boolean): Buffer {
  const blocks = encodeAssignedRowsPartInBlocks(part, header);
  return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
}

/** `encodeAssignedRowsPart` as the 1 MB blocks it fills: joining them with another part then copies each byte once. */
export function encodeAssignedRowsPartInBlocks(part: AssignedRowsPart, header: boolean): Buffer[] {
  const { studentIds, householdIds, placeOf, blockOf, armOf, places, blocks } = part;
  const out = new ByteBuilder();
  if (header) out.text(`${ASSIGNMENT_COLUMNS.join(',')}\n`);
  const p = Number.isFinite(part.pTreatment) ? String(part.pTreatment) : '';
  // Every cell after the two ids is shared by many rows, so each is formatted once, with
  // the comma after it: district, school and grade by place, the block by block (over half
  // of a clustered roster's students are siblings randomized in another place's block),
  // and arm, probability and label by arm.
  const placeCells = places.map((place) =>
    Buffer.from(`${[place.district, place.school, place.grade].map(formatCsvField).join(',')},`, 'utf8'),
  );
  const blockCells = blocks.map((block) => Buffer.from(`${formatCsvField(block)},`, 'utf8'));
  const outcomes = part.arms.map((arm) => Buffer.from(`${formatCsvField(arm)},${p},${formatCsvField(part.label)}\n`, 'utf8'));
  const rowCount = placeOf.length;
  for (let i = 0; i < rowCount; i++) {
    out.id(studentIds, i);
    out.byte(COMMA);
    out.id(householdIds, i);
    out.byte(COMMA);
    out.bytes(placeCells[placeOf[i]]);
    out.bytes(blockCells[blockOf[i]]);
    out.bytes(outcomes[armOf[i]]);
  }
  return out.finishBlocks();
}

const COMMA = 44;

/** First characters after which `formatCsvField` may neutralize: `'` (more may follow), = + - @ tab CR. */
const FORMULA_OR_APOSTROPHE = new Set([39, 61, 43, 45, 64, 9, 13]);

/** UTF-8 bytes appended piece by piece into 1 MB blocks, joined once at the end. */
class ByteBuilder {
  private static readonly BLOCK = 1 << 20;
  private readonly done: Buffer[] = [];
  private block = Buffer.allocUnsafe(ByteBuilder.BLOCK);
  private at = 0;

  byte(code: number): void {
    if (this.at === this.block.length) this.next(1);
    this.block[this.at++] = code;
  }

  bytes(bytes: Uint8Array): void {
    if (this.at + bytes.length > this.block.length) this.next(bytes.length);
    for (let i = 0; i < bytes.length; i++) this.block[this.at + i] = bytes[i];
    this.at += bytes.length;
  }

  /** Id `i` of a list or of packed ids, as `field` writes it. */
  id(ids: readonly string[] | PackedStrings, i: number): void {
    if ('ends' in ids) this.field(ids.text, i === 0 ? 0 : ids.ends[i - 1], ids.ends[i]);
    else this.field(ids[i], 0, ids[i].length);
  }

  /**
   * The text cell `text.slice(start, end)` as `formatCsvField` writes it. Most ids are
   * plain ASCII that needs neither neutralizing (no formula character or apostrophe
   * first) nor quoting: those are copied as they are, with no string built; any other
   * goes through `formatCsvField`.
   */
  field(text: string, start: number, end: number): void {
    const n = end - start;
    if (n > 0 && FORMULA_OR_APOSTROPHE.has(text.charCodeAt(start))) return this.text(formatCsvField(text.slice(start, end)));
    if (this.at + n > this.block.length) this.next(n);
    const block = this.block;
    let at = this.at;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f || c === 34 || c === 44 || c === 10 || c === 13) return this.text(formatCsvField(text.slice(start, end)));
      block[at++] = c;
    }
    this.at = at;
  }

  /** ASCII is copied code by code; anything else goes through the UTF-8 encoder. */
  text(text: string): void {
    const n = text.length;
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (this.at + 3 * n > this.block.length) this.next(3 * n);
    const block = this.block;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) {
        this.at += block.write(text, this.at, 'utf8');
        return;
      }
      block[at++] = c;
    }
    this.at = at;
  }

  finish(): Buffer {
    const blocks = this.finishBlocks();
    return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks);
  }

  /** The bytes as the blocks they were written in, for a caller that joins them with more. */
  finishBlocks(): Buffer[] {
    this.done.push(this.block.subarray(0, this.at));
    return this.done;
  }

  /** Closes the current block and starts one with room for `size` more bytes. */
  private next(size: number): void {
    this.done.push(this.block.subarray(0, this.at));
    this.block = Buffer.allocUnsafe(Math.max(ByteBuilder.BLOCK, size));
    this.at = 0;
  }
}
