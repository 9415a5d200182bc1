import type { BalanceRow } from '../assignment/balance.js';
import { ATTENDANCE_TIERS, attendanceTier, attendanceTierGroup, FIRST_MERGEABLE_TIER } from './attendance-tier.js';
import type { StudyPeriod, StudyStudent } from './report-study.js';
import type { PublishedCount } from './suppress-small-cells.js';
import { mergeSmallTailRows, SUPPRESSION_THRESHOLD, suppressSmallCells } from './suppress-small-cells.js';

/*
 * Aggregates of the study's data, each already suppressed: every count about fewer than
 * ten students is `null`, with complementary suppression inside its table. These are the
 * only student-derived figures a report prints.
 */

/** A count per arm, with the share of the arm's students it is (null where suppressed). */
export interface ArmCount {
  readonly arm: string;
  readonly students: PublishedCount;
  readonly share: number | null;
}

export interface CountsByArmAndDistrict {
  readonly arms: readonly string[];
  readonly rows: readonly { readonly district: string; readonly counts: readonly PublishedCount[]; readonly total: PublishedCount }[];
  readonly totals: readonly PublishedCount[];
  readonly total: PublishedCount;
  readonly suppressed: number;
}

/**
 * Students analyzed (enrolled at least one day in the outcome window) by district and
 * arm, with row and column totals. Every count a report prints is of analyzed students,
 * so no two tables differ by the students left out (whose counts are protected).
 */
export function countStudentsByArmAndDistrict(
  cells: readonly (readonly number[])[],
  arms: readonly string[],
  districts: readonly string[],
): CountsByArmAndDistrict {
  const table = suppressSmallCells({ cells, rowTotals: true, columnTotals: true });
  return {
    arms,
    rows: districts.map((district, r) => ({ district, counts: table.cells[r], total: table.rowTotals[r] })),
    totals: table.columnTotals,
    total: table.total ?? null,
    suppressed: table.suppressed,
  };
}

/** Analyzed students of each district and arm, from the study's data. */
export function analyzedByArmAndDistrict(
  students: readonly StudyStudent[],
  arms: readonly string[],
  districts: readonly string[],
): number[][] {
  return districts.map((d) =>
    arms.map((a) => students.filter((s) => s.district === d && s.arm === a && s.outcome.days_enrolled > 0).length),
  );
}

export interface AttritionTable {
  readonly rows: readonly { readonly arm: string; readonly left_out: PublishedCount }[];
  readonly total: PublishedCount;
  readonly suppressed: number;
}

/**
 * Students left out of the analysis (enrolled 0 days in the outcome window), by arm and
 * in all. The report never prints how many were randomized, so these counts cannot be
 * worked out as randomized minus analyzed.
 */
export function summarizeAttrition(byArm: readonly { arm: string; leftOut: number }[]): AttritionTable {
  const table = suppressSmallCells({ cells: byArm.map((r) => [r.leftOut]), rowTotals: false, columnTotals: true });
  return {
    rows: byArm.map((r, i) => ({ arm: r.arm, left_out: table.cells[i][0] })),
    total: table.columnTotals[0],
    suppressed: table.suppressed,
  };
}

/** A table of counts: one row per category, one count per arm, arm totals printed. */
export interface CategoryByArm {
  readonly categories: readonly { readonly category: string; readonly label: string; readonly counts: readonly ArmCount[] }[];
  readonly arm_totals: readonly ArmCount[];
  readonly suppressed: number;
}

function categoryTable(
  categories: readonly { category: string; label: string }[],
  arms: readonly string[],
  cells: number[][],
): CategoryByArm {
  const table = suppressSmallCells({ cells, rowTotals: false, columnTotals: true });
  const share = (n: PublishedCount, c: number) => {
    const total = table.columnTotals[c];
    return n === null || total === null || total === 0 ? null : n / total;
  };
  return {
    categories: categories.map((cat, r) => ({
      ...cat,
      counts: arms.map((arm, c) => ({ arm, students: table.cells[r][c], share: share(table.cells[r][c], c) })),
    })),
    arm_totals: arms.map((arm, c) => ({ arm, students: table.columnTotals[c], share: table.columnTotals[c] === null ? null : 1 })),
    suppressed: table.suppressed,
  };
}

function enrolled(students: readonly StudyStudent[]): StudyStudent[] {
  return students.filter((s) => s.outcome.days_enrolled > 0);
}

/**
 * Students in each attendance tier of the outcome window, by arm (students enrolled at
 * least a day). The top tiers are merged ("20% or more", then "10% or more") while one of
 * them has fewer than ten students in an arm, before small cells are suppressed, so the
 * tiers policy watches are printed rather than hidden.
 */
export function countAttendanceTiers(students: readonly StudyStudent[], arms: readonly string[]): CategoryByArm {
  const inWindow = enrolled(students);
  const cells = ATTENDANCE_TIERS.map((t) =>
    arms.map(
      (arm) => inWindow.filter((s) => s.arm === arm && attendanceTier(s.outcome.days_absent, s.outcome.days_enrolled) === t.tier).length,
    ),
  );
  const merged = mergeSmallTailRows(cells, FIRST_MERGEABLE_TIER);
  const categories = merged.groups.map((rows) => attendanceTierGroup(rows.map((r) => ATTENDANCE_TIERS[r].tier)));
  return categoryTable(
    categories.map((t) => ({ category: t.tier, label: t.label })),
    arms,
    merged.cells,
  );
}

/** A student's days absent in the outcome window as the distribution counts them: rounded to whole days, halves up. */
export function wholeDaysAbsent(student: StudyStudent): number {
  return Math.floor(student.outcome.days_absent + 0.5);
}

/**
 * The distribution of whole days absent in the outcome window, by arm, in bins of 1, 2,
 * 5 or 10 days (by the 90th percentile) with an open top bin "N or more" placed so that
 * every arm has at least ten students in it: the long tail is where small cells live.
 */
export function binAbsences(students: readonly StudyStudent[], arms: readonly string[]): CategoryByArm & { readonly bin_width: number } {
  const inWindow = enrolled(students);
  const days = wholeDaysAbsent;
  const sorted = inWindow.map(days).sort((a, b) => a - b);
  const p90 = sorted.length === 0 ? 0 : sorted[Math.floor(0.9 * (sorted.length - 1))];
  const width = p90 <= 12 ? 1 : p90 <= 24 ? 2 : p90 <= 60 ? 5 : 10;
  let top = 1;
  for (let k = 14; k >= 1; k--) {
    if (arms.every((arm) => inWindow.filter((s) => s.arm === arm && days(s) >= k * width).length >= SUPPRESSION_THRESHOLD)) {
      top = k;
      break;
    }
  }
  const binOf = (d: number) => Math.min(Math.floor(d / width), top);
  const categories = Array.from({ length: top + 1 }, (_, k) => {
    const from = k * width;
    const label = k === top ? `${from}+` : width === 1 ? `${from}` : `${from}–${from + width - 1}`;
    return { category: label, label };
  });
  const cells = categories.map((_, k) => arms.map((arm) => inWindow.filter((s) => s.arm === arm && binOf(days(s)) === k).length));
  return { ...categoryTable(categories, arms, cells), bin_width: width };
}

export interface RateOverTime {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly arm: string;
  /** Students enrolled at least one day in the period (null: fewer than ten). */
  readonly students: PublishedCount;
  /** Days absent over days enrolled, pooled over the arm's students (null when suppressed). */
  readonly absence_rate: number | null;
}

/** The absence rate of each arm in each period; a period-arm with fewer than ten students is suppressed. */
export function absenceRateOverTime(
  students: readonly StudyStudent[],
  periods: readonly StudyPeriod[],
  arms: readonly string[],
): RateOverTime[] {
  const rows: RateOverTime[] = [];
  periods.forEach((period, p) => {
    for (const arm of arms) {
      let n = 0;
      let absent = 0;
      let days = 0;
      for (const s of students) {
        const t = s.periods[p];
        if (s.arm !== arm || !t || t.days_enrolled <= 0) continue;
        n++;
        absent += t.days_absent;
        days += t.days_enrolled;
      }
      const shown = n >= SUPPRESSION_THRESHOLD;
      rows.push({
        period: period.label,
        from: period.from,
        to: period.to,
        arm,
        students: shown ? n : null,
        absence_rate: shown ? absent / days : null,
      });
    }
  });
  return rows;
}

export interface BalanceLine {
  readonly variable: string;
  readonly level: string;
  readonly mean: Readonly<Record<string, number | null>>;
  readonly smd: Readonly<Record<string, number | null>>;
  readonly flagged: boolean | null;
}

/**
 * Baseline balance with small groups hidden: a row whose students (or, for a share, whose
 * students with or without the trait) number fewer than ten in some arm is hidden, and
 * within a categorical variable (grade, school) a second level is hidden when only one
 * would be, since the shares add up to one.
 */
export function suppressBalance(rows: readonly BalanceRow[], arms: readonly string[]): BalanceLine[] {
  const isShare = (r: BalanceRow) => r.variable === 'grade' || r.variable === 'school' || r.variable === 'has_baseline';
  const small = (r: BalanceRow) =>
    arms.some((arm) => {
      const n = r.n[arm] ?? 0;
      if (n < SUPPRESSION_THRESHOLD) return true;
      if (!isShare(r)) return false;
      const withTrait = Math.round((r.mean[arm] ?? 0) * n);
      return withTrait < SUPPRESSION_THRESHOLD || n - withTrait < SUPPRESSION_THRESHOLD;
    });
  const hidden = rows.map(small);
  for (const variable of ['grade', 'school']) {
    const at = rows.map((r, i) => (r.variable === variable ? i : -1)).filter((i) => i >= 0);
    if (at.filter((i) => hidden[i]).length === 1) {
      const visible = at.filter((i) => !hidden[i]);
      if (visible.length > 0) {
        const smallest = visible.reduce((best, i) =>
          Math.min(...arms.map((a) => rows[i].mean[a])) < Math.min(...arms.map((a) => rows[best].mean[a])) ? i : best,
        );
        hidden[smallest] = true;
      }
    }
  }
  return rows.map((r, i) => {
    const hide = hidden[i];
    const pick = <T>(record: Readonly<Record<string, T>>, keys: readonly string[]) =>
      Object.fromEntries(keys.map((k) => [k, hide ? null : (record[k] ?? null)]));
    const treated = Object.keys(r.smd);
    return { variable: r.variable, level: r.level, mean: pick(r.mean, arms), smd: pick(r.smd, treated), flagged: hide ? null : r.flagged };
  });
}
