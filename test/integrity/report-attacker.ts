/**
 * An attacker of the reports one run wrote: every count each report prints (report.json,
 * and the counts of its chart specs, which must be ones report.json prints) is a linear
 * equation over the students of each district, arm and finest category (tier split by last
 * year's tier or none; days absent cut at every bin edge any report uses; left out;
 * enrolled in a month), solved by exact elimination. Used by the suppression tests.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ATTENDANCE_TIERS, attendanceTier, attendanceTierShortLabel, MERGED_ATTENDANCE_TIERS } from '../../src/report/attendance-tier.js';
import type { ReportStudy, StudyStudent } from '../../src/report/report-study.js';

type Value = number | null;
/** A linear form over named unknowns (integer coefficients). */
type Form = Map<string, bigint>;
/** A published equation: `form` equals `value`. */
type Equation = { form: Form; value: bigint };

/** Exact Gaussian elimination over the integers (fraction-free): rows in echelon form keyed by their first unknown in name order. */
class Attacker {
  private readonly rows = new Map<string, { form: Form; value: bigint }>();

  learn({ form, value }: Equation): void {
    let row = { form: new Map(form), value };
    for (let first = firstOf(row.form); first !== undefined; first = firstOf(row.form)) {
      const pivot = this.rows.get(first);
      if (!pivot) {
        this.rows.set(first, row);
        return;
      }
      row = eliminate(row, pivot, first);
    }
  }

  /** The value of `form` if the equations learned determine it; otherwise undefined. */
  solve(form: Form): number | undefined {
    let row = { form: new Map(form), value: 0n };
    let k = 1n;
    for (let first = firstOf(row.form); first !== undefined; first = firstOf(row.form)) {
      const pivot = this.rows.get(first);
      if (!pivot) return undefined;
      k *= pivot.form.get(first)!;
      row = eliminate(row, pivot, first);
    }
    // Each elimination keeps row.form = k x form + row.value; with row.form empty, form = -row.value / k.
    return Number(-row.value) / Number(k);
  }
}

/** The first unknown of a form in name order. */
function firstOf(form: Form): string | undefined {
  let first: string | undefined;
  for (const name of form.keys()) if (first === undefined || name < first) first = name;
  return first;
}

/** `pivot.form[u] x row - row.form[u] x pivot`, which no longer holds `u`. */
function eliminate(row: Equation, pivot: Equation, u: string): Equation {
  const a = pivot.form.get(u)!;
  const b = row.form.get(u)!;
  const form: Form = new Map();
  for (const [name, c] of row.form) form.set(name, a * c);
  for (const [name, c] of pivot.form) form.set(name, (form.get(name) ?? 0n) - b * c);
  for (const [name, c] of form) if (c === 0n) form.delete(name);
  return { form, value: a * row.value - b * pivot.value };
}

export const TIERS = ATTENDANCE_TIERS.map((t) => t.tier);
/** Last year's tier, or none without a baseline: the tier transitions split each tier by it. */
const LAST = [...TIERS, 'none'];
const tierCells = (d: string, a: string, tiers: readonly string[], lasts: readonly string[] = LAST) =>
  tiers.flatMap((t) => lasts.map((l) => `tier ${d} ${a} ${t} after ${l}`));
const tiersOf = (category: string): string[] =>
  (MERGED_ATTENDANCE_TIERS.find((m) => m.tier === category)?.merges as readonly string[] | undefined)?.slice() ?? [category];
const daysOf = (s: StudyStudent) => Math.floor(s.outcome.days_absent + 0.5);

// biome-ignore lint/suspicious/noExplicitAny: report.json and chart specs as an attacker reads them, untyped
export type Json = any;

/** One report of a run: the districts it covers, its report.json, and its chart specs by file name. */
export interface RunReport {
  readonly scope: readonly string[];
  readonly report: Json;
  readonly specs: Readonly<Record<string, Json>>;
}

/** Every report.json and chart spec of a `--by district` run, with the districts each covers. */
export async function readRun(dir: string, districts: readonly string[]): Promise<RunReport[]> {
  const read = async (path: string): Promise<Json> => JSON.parse(await readFile(path, 'utf8'));
  const folders = [{ dir, scope: districts }, ...districts.map((d) => ({ dir: join(dir, 'districts', d), scope: [d] }))];
  return Promise.all(
    folders.map(async ({ dir: folder, scope }) => {
      const specs: Record<string, Json> = {};
      for (const name of await readdir(folder)) if (name.endsWith('.vl.json')) specs[name] = await read(join(folder, name));
      return { scope, report: await read(join(folder, 'report.json')), specs };
    }),
  );
}

/**
 * Attacks a run: every published count as an equation, then every hidden count and every
 * finest cell under ten must stay undetermined. Returns what was recovered, by name.
 */
export function attack(run: readonly RunReport[], study: ReportStudy): { recovered: string[]; equations: number; hidden: number } {
  const districts = [...new Set(study.students.map((s) => s.district))].sort();
  const arms = study.arms;
  // The finest day intervals: cut at every bin edge of every report's distribution.
  const edges = new Set<number>([0]);
  for (const { report } of run) {
    const dist = report.charts.absence_distribution;
    dist.categories.forEach((_: unknown, k: number) => edges.add(k * dist.bin_width));
  }
  const cuts = [...edges].sort((a, b) => a - b);
  const intervalsOf = (from: number, below: number) => cuts.filter((c) => c >= from && c < below);
  const sum = (names: string[]): Form => new Map(names.map((n) => [n, 1n]));
  const analyzed = (scope: readonly string[], a: string) => scope.flatMap((d) => tierCells(d, a, TIERS));
  const equations: Equation[] = [];
  const hidden: { name: string; form: Form }[] = [];
  const publish = (name: string, names: string[], value: Value) => {
    if (value === null) hidden.push({ name, form: sum(names) });
    else equations.push({ form: sum(names), value: BigInt(value) });
  };
  // What a chart spec prints must be what its report.json prints (then the equations cover it).
  const specCounts = (spec: Json) => (spec?.data?.values ?? []) as { category?: string; period?: string; arm: string; students: Value }[];
  for (const { scope, report, specs } of run) {
    const where = `${report.scope.kind} ${report.scope.district ?? ''}`;
    const byArm = report.tables.students_by_arm_and_district;
    for (const row of byArm.rows) {
      row.counts.forEach((n: Value, c: number) =>
        publish(`${where}: analyzed ${row.district} ${arms[c]}`, analyzed([row.district], arms[c]), n),
      );
      publish(
        `${where}: analyzed ${row.district}`,
        arms.flatMap((a) => analyzed([row.district], a)),
        row.total,
      );
    }
    byArm.totals.forEach((n: Value, c: number) => publish(`${where}: analyzed ${arms[c]}`, analyzed(scope, arms[c]), n));
    publish(
      `${where}: analyzed`,
      arms.flatMap((a) => analyzed(scope, a)),
      byArm.total,
    );
    publish(
      `${where}: model n`,
      arms.flatMap((a) => analyzed(districts, a)),
      report.methods.model.n,
    );
    for (const r of report.tables.attrition.rows)
      publish(
        `${where}: left out ${r.arm}`,
        scope.map((d) => `left out ${d} ${r.arm}`),
        r.left_out,
      );
    publish(
      `${where}: left out`,
      scope.flatMap((d) => arms.map((a) => `left out ${d} ${a}`)),
      report.tables.attrition.total,
    );
    const tables = [
      {
        chart: report.charts.attendance_tiers,
        spec: specs['attendance-tiers.vl.json'],
        cells: (cat: string, k: number) => tiersOf(cat).flatMap((t) => LAST.map((l) => ({ kind: 'tier', key: `${t} after ${l}`, k }))),
      },
      {
        chart: report.charts.absence_distribution,
        spec: specs['absence-distribution.vl.json'],
        cells: (_: string, k: number) => {
          const w = report.charts.absence_distribution.bin_width;
          const last = k === report.charts.absence_distribution.categories.length - 1;
          return intervalsOf(k * w, last ? Infinity : (k + 1) * w).map((from) => ({ kind: 'days', key: String(from), k }));
        },
      },
    ];
    for (const { chart, spec, cells } of tables) {
      chart.categories.forEach((cat: Json, k: number) =>
        cat.counts.forEach((n: Json, c: number) => {
          const names = scope.flatMap((d) => cells(cat.category, k).map((cell) => `${cell.kind} ${d} ${arms[c]} ${cell.key}`));
          publish(`${where}: ${cat.category} ${arms[c]}`, names, n.students);
        }),
      );
      chart.arm_totals.forEach((n: Json, c: number) =>
        publish(`${where}: all ${arms[c]} in a chart`, analyzed(scope, arms[c]), n.students),
      );
      for (const v of specCounts(spec)) {
        const cat = chart.categories.find((x: Json) => x.label === v.category || attendanceTierShortLabel(x.category) === v.category);
        const c = arms.indexOf(v.arm);
        const k = chart.categories.indexOf(cat);
        expect(k, `${where}: a spec's category ${v.category} is in report.json`).toBeGreaterThanOrEqual(0);
        // A count or a share in the spec: the report.json prints the count and the arm's total.
        expect(cat.counts[c].students, `${where}: ${v.category} ${v.arm} in the spec`).toBe(v.students);
        expect(chart.arm_totals[c].students, `${where}: ${v.arm}'s total, which a share gives away`).not.toBeNull();
      }
    }
    // Last year's tier by this year's, per arm (students with a baseline).
    for (const t of report.chronic_absence?.transitions ?? []) {
      const cells = (lasts: string[], tiers: string[]) => scope.flatMap((d) => tierCells(d, t.arm, tiers, lasts));
      TIERS.forEach((l, row) => {
        TIERS.forEach((tier, col) => publish(`${where}: ${t.arm} ${l} to ${tier}`, cells([l], [tier]), t.cells[row][col]));
        publish(`${where}: ${t.arm} ${l} last year`, cells([l], TIERS), t.last_year_totals[row]);
      });
      TIERS.forEach((tier, col) => publish(`${where}: ${t.arm} ${tier} this year`, cells(TIERS, [tier]), t.this_year_totals[col]));
      publish(`${where}: ${t.arm} with a baseline`, cells(TIERS, TIERS), t.total);
    }
    for (const r of report.charts.absence_rate_over_time as { period: string; arm: string; students: Value }[])
      publish(
        `${where}: ${r.period} ${r.arm}`,
        scope.map((d) => `month ${r.period} ${d} ${r.arm}`),
        r.students,
      );
    for (const v of specCounts(specs['absence-rate-over-time.vl.json'])) {
      const row = report.charts.absence_rate_over_time.find((r: Json) => r.period === v.period && r.arm === v.arm);
      expect(row?.students, `${where}: ${v.period} ${v.arm} in the spec`).toBe(v.students);
    }
  }
  // What every attacker knows: a district-arm's students add up the same by tier and by days.
  for (const d of districts)
    for (const a of arms)
      equations.push({
        form: new Map([...tierCells(d, a, TIERS).map((t) => [t, 1n] as const), ...cuts.map((c) => [`days ${d} ${a} ${c}`, -1n] as const)]),
        value: 0n,
      });
  const attacker = new Attacker();
  for (const e of equations) attacker.learn(e);
  // The finest cells under ten, from the students.
  const truth = new Map<string, number>();
  const add = (name: string) => truth.set(name, (truth.get(name) ?? 0) + 1);
  for (const d of districts)
    for (const a of arms) {
      for (const t of tierCells(d, a, TIERS)) truth.set(t, 0);
      for (const c of cuts) truth.set(`days ${d} ${a} ${c}`, 0);
      truth.set(`left out ${d} ${a}`, 0);
      for (const p of study.periods) truth.set(`month ${p.label} ${d} ${a}`, 0);
    }
  for (const s of study.students) {
    // A month's count is of students enrolled in it, whether or not they are analyzed.
    study.periods.forEach((p, i) => (s.periods[i]?.days_enrolled ?? 0) > 0 && add(`month ${p.label} ${s.district} ${s.arm}`));
    if (s.outcome.days_enrolled <= 0) {
      add(`left out ${s.district} ${s.arm}`);
      continue;
    }
    const baseline = s.baseline;
    const last = baseline && baseline.days_enrolled > 0 ? attendanceTier(baseline.days_absent, baseline.days_enrolled) : 'none';
    add(`tier ${s.district} ${s.arm} ${attendanceTier(s.outcome.days_absent, s.outcome.days_enrolled)} after ${last}`);
    add(`days ${s.district} ${s.arm} ${cuts.filter((c) => c <= daysOf(s)).at(-1)}`);
  }
  // Honest figures: every count printed is the true count of its students (hidden, never changed).
  const truthOf = (form: Form) => [...form].reduce((n, [name, c]) => n + Number(c) * (truth.get(name) ?? Number.NaN), 0);
  const untrue = equations.filter((e) => truthOf(e.form) !== Number(e.value)).map((e) => `${[...e.form.keys()].join('+')} = ${e.value}`);
  expect(untrue).toEqual([]);
  // Secrets: every hidden count, every finest cell under ten, and every district-arm's tier under ten (merged or not).
  const tierSums = districts.flatMap((d) =>
    arms.flatMap((a) => TIERS.map((t) => ({ name: `tier ${d} ${a} ${t}`, form: sum(tierCells(d, a, [t])) }))),
  );
  const secrets = [
    ...hidden,
    ...[...truth].filter(([, n]) => n < 10).map(([name]) => ({ name, form: sum([name]) })),
    ...tierSums.filter(({ form }) => truthOf(form) < 10),
  ];
  const recovered = secrets.flatMap(({ name, form }) => {
    const value = attacker.solve(form);
    return value === undefined ? [] : [`${name} = ${value}`];
  });
  return { recovered, equations: equations.length, hidden: hidden.length };
}
