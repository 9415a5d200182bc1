import type { Assignment } from '../types.js';
import { formatCsvField } from '../io/write-csv.js';

export const ASSIGNMENT_COLUMNS = ['student_id', 'household_id', 'district_id', 'school_id', 'grade', 'block', 'arm', 'p_treatment', 'assigned_at'] as const;

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
      outcome = { p: r.p_treatment, label: r.assigned_at, bytes: Buffer.from(`${formatCsvField(r.arm)},${p},${formatCsvField(r.assigned_at)}\n`, 'utf8') };
      outcomes.set(r.arm, outcome);
    }
    out.bytes(outcome.bytes);
  }
  return out.finish();
}

const COMMA = 44;

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
    this.done.push(this.block.subarray(0, this.at));
    return this.done.length === 1 ? this.done[0] : Buffer.concat(this.done);
  }

  /** Closes the current block and starts one with room for `size` more bytes. */
  private next(size: number): void {
    this.done.push(this.block.subarray(0, this.at));
    this.block = Buffer.allocUnsafe(Math.max(ByteBuilder.BLOCK, size));
    this.at = 0;
  }
}
