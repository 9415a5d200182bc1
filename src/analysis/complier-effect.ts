import { compareStudentIds } from '../data/compare-student-ids.js';
import type { ModelTable } from '../data/model-table.js';
import { UsageError } from '../errors.js';
import type { DeliveredEffect, DoseBin } from './analysis-result.js';
import { certaintyMcError } from './monte-carlo-error.js';
import type { PosteriorDraws } from './posterior-draws.js';
import { computeCertainty, summarizeDraws } from './summarize-draws.js';

/** At most this many posterior draws (evenly spread over each chain) enter the figures: each costs a pass over the treated students. */
export const DELIVERED_EFFECT_MAX_DRAWS = 1000;

/** A dose bin of the descriptive view holds at least this many treated students (the report's suppression threshold). */
export const DOSE_BIN_MIN_STUDENTS = 10;

/**
 * The assumptions of the effect when delivered, in one plain sentence (the report shows it
 * beside the figure).
 */
export const DELIVERED_EFFECT_ASSUMPTIONS =
  'This assumes the messages changed attendance only for students whose caregivers received them, and that the lottery, not who could be reached, decided who was sent them.';

/** What one student is known to have received, by student id (`readDeliveredPerStudent`'s values fit). */
export interface DeliveredCount {
  readonly delivered: number;
}

/** One student of the fit, as the complier effect needs them. */
interface FitStudent {
  readonly treat: number;
  readonly block: string;
  readonly district: string;
  readonly e: number;
  readonly y: number;
  readonly z: number;
  readonly missing: number;
  readonly delivered: number;
  /** The household as the table gives it (undefined: a household of one). */
  readonly household: string | undefined;
}

/** The students in the fit (e > 0) with their standardized baseline, as `prepareAbsenceModel` makes it. */
function fitStudents(table: ModelTable, deliveredOf: ReadonlyMap<string, DeliveredCount>): FitStudent[] {
  const kept = [...table].filter((r) => r.e > 0).sort(compareStudentIds);
  const has = (r: (typeof kept)[number]) =>
    r.baseline_absences !== undefined &&
    r.baseline_days !== undefined &&
    Number.isFinite(r.baseline_absences) &&
    Number.isFinite(r.baseline_days);
  const logRatio = (r: (typeof kept)[number]) => Math.log((r.baseline_absences! + 0.5) / (r.baseline_days! + 1));
  const ratios = kept.filter(has).map(logRatio);
  const mean = ratios.length > 0 ? ratios.reduce((s, v) => s + v, 0) / ratios.length : 0;
  const sd = ratios.length > 1 ? Math.sqrt(ratios.reduce((s, v) => s + (v - mean) ** 2, 0) / (ratios.length - 1)) : 0;
  return kept.map((r) => ({
    treat: r.treat,
    block: r.block,
    district: r.district,
    e: r.e,
    y: Math.floor(r.y + 0.5),
    z: has(r) && sd > 0 ? (logRatio(r) - mean) / sd : 0,
    missing: has(r) ? 0 : 1,
    delivered: deliveredOf.get(r.student_id)?.delivered ?? 0,
    household: r.household,
  }));
}

/**
 * The descriptive dose view: treated students by messages delivered, each bin with its
 * students' raw absence rate (days absent over days enrolled). Neighbouring counts are
 * merged, from the top and from the bottom, until every bin has at least
 * `DOSE_BIN_MIN_STUDENTS` students; empty when the treated students are fewer than that.
 */
export function doseBins(treated: readonly { delivered: number; y: number; e: number }[]): DoseBin[] {
  if (treated.length < DOSE_BIN_MIN_STUDENTS) return [];
  const byCount = new Map<number, { students: number; y: number; e: number }>();
  for (const s of treated) {
    const bin = byCount.get(s.delivered) ?? { students: 0, y: 0, e: 0 };
    byCount.set(s.delivered, { students: bin.students + 1, y: bin.y + s.y, e: bin.e + s.e });
  }
  let bins = [...byCount.entries()].sort(([a], [b]) => a - b).map(([count, b]) => ({ from: count, to: count as number | null, ...b }));
  const merge = (i: number, j: number) => {
    const [a, b] = [bins[Math.min(i, j)], bins[Math.max(i, j)]];
    const merged = { from: a.from, to: b.to, students: a.students + b.students, y: a.y + b.y, e: a.e + b.e };
    bins = [...bins.slice(0, Math.min(i, j)), merged, ...bins.slice(Math.max(i, j) + 1)];
  };
  // The top bin is open ("N or more"), so the largest counts, the rarest, never stand alone.
  while (bins.length > 1 && bins[bins.length - 1].students < DOSE_BIN_MIN_STUDENTS) merge(bins.length - 2, bins.length - 1);
  bins[bins.length - 1] = { ...bins[bins.length - 1], to: null };
  for (let i = 0; i < bins.length - 1; ) {
    if (bins[i].students < DOSE_BIN_MIN_STUDENTS) merge(i, i + 1);
    else i++;
  }
  return bins.map((b) => ({ delivered_from: b.from, delivered_to: b.to, students: b.students, absence_rate: b.y / b.e }));
}

/**
 * The effect of the messages for students whose caregivers received them (the complier
 * average causal effect; Angrist, Imbens and Rubin 1996), from the posterior draws of the
 * assignment (intent-to-treat) effect. A student received the messages with at least
 * `receivedAtLeast` delivered (`deliveries`: by student id; a student absent from it
 * received none). Per draw:
 *
 * - days avoided per complier = days avoided per assigned treated student / (p_T - p_C),
 *   where p_T and p_C are the shares of the treated and control students in the fit who
 *   received (p_C = 0 under one-sided non-compliance: the no-show adjustment, Bloom 1984);
 * - the percent effect among compliers = the absences avoided over the absences the
 *   compliers would have had without the messages, `sum_T mu0_i (1 - exp(theta[d]))` over
 *   `sum_(T, received) mu0_i x (p_T - p_C) / p_T`, with `mu0_i = e_i exp(alpha[k] + gamma z_i + delta m_i)`,
 *   plus `sigma_household z_household[h]` when the fit had the household effect (`draws.household`),
 *   so the figures are those of the model that was fitted.
 *
 * The shares received are observed, not estimated. A dose view by number delivered,
 * descriptive only, is added (`doseBins`).
 */
export function computeDeliveredEffect(
  table: ModelTable,
  draws: PosteriorDraws,
  deliveries: ReadonlyMap<string, DeliveredCount>,
  options: { readonly receivedAtLeast?: number; readonly thresholds?: readonly number[] } = {},
): DeliveredEffect {
  const k = options.receivedAtLeast ?? 1;
  if (!Number.isInteger(k) || k < 1)
    throw new UsageError('computeDeliveredEffect', `receivedAtLeast must be a whole number >= 1, got ${k}`);
  const students = fitStudents(table, deliveries);
  const treated = students.filter((s) => s.treat === 1);
  const control = students.filter((s) => s.treat !== 1);
  const receivedT = treated.filter((s) => s.delivered >= k).length;
  const receivedC = control.filter((s) => s.delivered >= k).length;
  const pT = treated.length > 0 ? receivedT / treated.length : 0;
  const pC = control.length > 0 ? receivedC / control.length : 0;
  const compliers = pT - pC;
  const base = {
    received_at_least: k,
    treatment: { students: treated.length, received: receivedT, share_received: pT },
    control: { students: control.length, received: receivedC, share_received: pC },
    one_sided: receivedC === 0,
    assumptions: DELIVERED_EFFECT_ASSUMPTIONS,
    dose: doseBins(treated),
    control_absence_rate:
      control.reduce((s, c) => s + c.y, 0) /
      Math.max(
        1,
        control.reduce((s, c) => s + c.e, 0),
      ),
  };
  if (!(compliers > 0)) return { ...base, estimable: false };

  const value = (name: string) => {
    const chains = draws.values[name];
    if (!chains) throw new UsageError('computeDeliveredEffect', `the draws have no ${name}`);
    return chains;
  };
  const network = draws.effectParameter === 'mu_theta';
  const blocks = [...new Set(treated.map((s) => s.block))];
  const districts = [...new Set(treated.map((s) => s.district))];
  const alpha = blocks.map((b) => value(`alpha[${b}]`));
  const theta = districts.map((d) => (network ? value(`theta[${d}]`) : value('theta')));
  const gamma = draws.values.gamma;
  const delta = draws.values.delta;
  const blockOf = treated.map((s) => blocks.indexOf(s.block));
  const districtOf = treated.map((s) => districts.indexOf(s.district));
  // With the household effect, each treated student's household term (-1: none, a household of one).
  const household = draws.household;
  const householdOf = treated.map((s) => (s.household === undefined ? -1 : (household?.index.get(s.household) ?? -1)));
  const terms = new Float64Array(household?.index.size ?? 0);
  const stride = Math.max(1, Math.ceil((draws.drawsPerChain * draws.chains) / DELIVERED_EFFECT_MAX_DRAWS));
  const perComplier: Float64Array[] = [];
  const effect: Float64Array[] = [];
  for (let chain = 0; chain < draws.chains; chain++) {
    const kept = Math.ceil(draws.drawsPerChain / stride);
    const days = new Float64Array(kept);
    const percent = new Float64Array(kept);
    for (let j = 0; j < kept; j++) {
      const i = j * stride;
      const g = gamma ? gamma[chain][i] : 0;
      const dl = delta ? delta[chain][i] : 0;
      if (household) household.termsAt(chain, i, terms);
      let avoided = 0;
      let complierBase = 0;
      for (let s = 0; s < treated.length; s++) {
        const student = treated[s];
        const shared = householdOf[s] >= 0 ? terms[householdOf[s]] : 0;
        const mu0 = student.e * Math.exp(alpha[blockOf[s]][chain][i] + g * student.z + dl * student.missing + shared);
        avoided += mu0 * (1 - Math.exp(theta[districtOf[s]][chain][i]));
        if (student.delivered >= k) complierBase += mu0;
      }
      days[j] = avoided / treated.length / compliers;
      percent[j] = avoided / ((complierBase * compliers) / pT);
    }
    perComplier.push(days);
    effect.push(percent);
  }
  const thresholds = options.thresholds ?? [0, 0.05];
  const certainty = computeCertainty(effect, thresholds);
  return {
    ...base,
    estimable: true,
    days_avoided_per_complier: summarizeDraws(perComplier),
    effect: summarizeDraws(effect),
    certainty,
    certainty_mc_error: Object.fromEntries(thresholds.map((t) => [String(t), certaintyMcError(effect, t)])),
    draws: perComplier.reduce((s, c) => s + c.length, 0),
  };
}
