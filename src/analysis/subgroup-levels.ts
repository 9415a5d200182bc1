import type { ModelTable, ModelTableRow } from '../data/model-table.js';
import { PilotError } from '../errors.js';
import type { Grade, RosterStudent } from '../types.js';

/**
 * One subgroup factor: the level of every student in the fit, by student id. A student
 * missing from `levels` is an error of the caller (every student has a level, be it
 * "not given").
 */
export interface SubgroupFactor {
  readonly factor: string;
  readonly levels: ReadonlyMap<string, string>;
}

/** The factors `pilot analyze --subgroups` defines itself; any other name is a roster field. */
export const DEFINED_SUBGROUP_FACTORS = ['prior_tier', 'grade_band', 'language', 'mode'] as const;

/**
 * Last year's absence rate (baseline days absent / days enrolled) in the Attendance Works
 * tiers: chronic absence is missing 10% or more of enrolled days. The same cut points as
 * the report's tier tables (src/report/attendance-tier.ts, which the analysis layer
 * cannot import).
 */
const PRIOR_TIERS = [
  { below: 0.05, level: 'under 5%' },
  { below: 0.1, level: '5-9.99%' },
  { below: 0.2, level: '10-19.99%' },
  { below: 0.5, level: '20-49.99%' },
  { below: Infinity, level: '50% or more' },
] as const;

/** The level of a student without a usable baseline (or without the roster field). */
export const NOT_GIVEN = 'not given';

/** The Attendance Works tier of a student's baseline absence rate, or "not given". */
export function priorTierOf(row: Pick<ModelTableRow, 'baseline_absences' | 'baseline_days'>): string {
  const { baseline_absences: b, baseline_days: e } = row;
  if (b === undefined || e === undefined || !Number.isFinite(b) || !Number.isFinite(e) || !(e > 0)) return NOT_GIVEN;
  const rate = b / e;
  return PRIOR_TIERS.find((tier) => rate < tier.below)!.level;
}

/** Elementary (PK to 5), middle (6 to 8) and high school (9 to 12) grades. */
export function gradeBandOf(grade: Grade): string {
  if (grade === 'PK' || grade === 'KG') return 'PK-5';
  const n = Number(grade);
  return n <= 5 ? 'PK-5' : n <= 8 ? '6-8' : '9-12';
}

const ROSTER_FIELD: Readonly<Record<string, (s: RosterStudent) => string | undefined>> = {
  grade_band: (s) => gradeBandOf(s.grade),
  language: (s) => s.preferred_language,
  mode: (s) => s.preferred_mode,
};

/**
 * Each named factor's level for every student of the table: `prior_tier` from the
 * table's baseline columns; `grade_band`, `language` (`preferred_language`) and `mode`
 * (`preferred_mode`) from the roster; any other name is read as that roster field (such
 * as `school_id`). Throws a PilotError (exit 1) for a factor that needs a roster when
 * none is given, or a name that is not a roster field.
 *
 * @example
 * subgroupFactorsOf(table, ['prior_tier'])[0].levels.get('S00001'); // '5-9.99%'
 */
export function subgroupFactorsOf(table: ModelTable, factors: readonly string[], roster?: readonly RosterStudent[]): SubgroupFactor[] {
  const byId = new Map((roster ?? []).map((s) => [s.student_id, s]));
  return [...new Set(factors)].map((factor) => {
    if (factor === 'prior_tier') return { factor, levels: new Map(table.map((row) => [row.student_id, priorTierOf(row)])) };
    if (roster === undefined)
      throw new PilotError(
        `--subgroups ${factor} needs the roster: give the study files (--roster, --assignments, --attendance) instead of --table, or only prior_tier`,
      );
    const field =
      ROSTER_FIELD[factor] ??
      (roster.some((s) => Object.hasOwn(s, factor) && isLevel((s as unknown as Record<string, unknown>)[factor]))
        ? (s: RosterStudent) => levelText((s as unknown as Record<string, unknown>)[factor])
        : undefined);
    if (field === undefined)
      throw new PilotError(
        `--subgroups ${factor}: no such roster field; use ${DEFINED_SUBGROUP_FACTORS.join(', ')} or a roster field such as school_id`,
      );
    const levelOf = (id: string) => {
      const student = byId.get(id);
      return student === undefined ? NOT_GIVEN : levelText(field(student));
    };
    const levels = new Map(table.map((row) => [row.student_id, levelOf(row.student_id)]));
    return { factor, levels };
  });
}

function isLevel(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number';
}

function levelText(value: unknown): string {
  return isLevel(value) && String(value).trim() !== '' ? String(value).trim() : NOT_GIVEN;
}
