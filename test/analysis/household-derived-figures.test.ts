import { describe, expect, it } from 'vitest';
import { chronicDays, computeChronicAbsence, negBinomialAtLeast, summarizeChronicAbsence } from '../../src/analysis/chronic-absence.js';
import { computeDeliveredEffect } from '../../src/analysis/complier-effect.js';
import { estimateEffectWithDraws, fitWithRefits } from '../../src/analysis/estimate-effect.js';
import { DEFAULT_EFFECT_PRIOR } from '../../src/analysis/model/effect-prior.js';
import { parameterLayout } from '../../src/analysis/model/parameter-layout.js';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import type { PosteriorDraws } from '../../src/analysis/posterior-draws.js';
import { constrainDraws } from '../../src/analysis/posterior-draws.js';
import type { ModelTableRow } from '../../src/data/model-table.js';
import { createRng } from '../../src/random.js';
import { REALISTIC_ABSENCES, simulateRealisticModelTable } from '../../src/simulate/realistic-absences.js';

// The derived figures (the effect when delivered, chronic absence) add each student's
// household term when the fit had the household effect, as days avoided does.

describe('the effect when delivered with the household effect', () => {
  // One block, no baselines: mu0 = 0.1 e, times 2 for T1 and T2, who share H1 (term log 2).
  const row = (id: string, treat: 0 | 1, e: number, household?: string): ModelTableRow => ({
    student_id: id,
    y: 2,
    e,
    treat,
    block: 'B1',
    district: 'D1',
    ...(household ? { household } : {}),
  });
  const table = [row('T1', 1, 20, 'H1'), row('T2', 1, 20, 'H1'), row('T3', 1, 40), row('T4', 1, 20), row('C1', 0, 20), row('C2', 0, 20)];
  const plainDraws: PosteriorDraws = {
    names: ['alpha[B1]', 'phi', 'theta', 'effect'],
    chains: 1,
    drawsPerChain: 2,
    values: {
      'alpha[B1]': [Float64Array.from([Math.log(0.1), Math.log(0.1)])],
      phi: [Float64Array.from([2, 2])],
      theta: [Float64Array.from([Math.log(0.8), Math.log(0.9)])],
      effect: [Float64Array.from([0.2, 0.1])],
    },
    parameters: ['alpha[B1]', 'phi', 'theta'],
    effectParameter: 'theta',
  };
  const withHouseholds: PosteriorDraws = {
    ...plainDraws,
    household: {
      index: new Map([['H1', 0]]),
      termsAt: (_chain, _draw, out) => out.fill(Math.log(2)),
    },
  };
  const deliveries = new Map([
    ['T1', { delivered: 1 }],
    ['T3', { delivered: 2 }],
  ]);

  it('multiplies a shared household’s students’ expected absences by exp(sigma z): figures by hand', () => {
    // mu0 = 4, 4, 4, 2 (sum 14), received T1 and T3 (8); p_T = 1/2.
    // Draw 1: avoided 14 x 0.2 = 2.8, per assigned 0.7, per complier 1.4; percent 2.8 / 8 = 0.35.
    // Draw 2: avoided 1.4, per complier 0.7; percent 0.175.
    const result = computeDeliveredEffect(table, withHouseholds, deliveries);
    expect(result.days_avoided_per_complier!.mean).toBeCloseTo((1.4 + 0.7) / 2, 12);
    expect(result.effect!.mean).toBeCloseTo((0.35 + 0.175) / 2, 12);
    // Without the terms: mu0 = 2, 2, 4, 2 (sum 10, received 6): per complier 1 and 0.5.
    const plain = computeDeliveredEffect(table, plainDraws, deliveries);
    expect(plain.days_avoided_per_complier!.mean).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(plain.effect!.mean).toBeCloseTo((2 / 6 + 1 / 6) / 2, 12);
  });

  it('from a household fit, equals days avoided per treated student when every treated student received', async () => {
    const { table: realistic } = simulateRealisticModelTable(createRng('household-derived'), {
      students: 400,
      effect: 0.1,
      ...REALISTIC_ABSENCES,
    });
    const fit = await estimateEffectWithDraws(realistic, {
      seed: 5,
      chains: 2,
      warmup: 200,
      draws: 200,
      threads: 0,
      refit: false,
      householdEffect: true,
    });
    expect(fit.draws.household!.index.size).toBe(fit.result.model.household_effect!.households);
    const everyone = new Map(realistic.filter((r) => r.treat === 1).map((r) => [r.student_id, { delivered: 1 }]));
    const delivered = computeDeliveredEffect(realistic, fit.draws, everyone);
    // p_T = 1: a complier is any treated student, and both sum the same terms over the same 400 draws.
    expect(delivered.draws).toBe(400);
    expect(delivered.days_avoided_per_complier!.mean).toBeCloseTo(fit.result.days_avoided.per_treated_student.mean, 10);
    expect(delivered.days_avoided_per_complier!.q05).toBeCloseTo(fit.result.days_avoided.per_treated_student.q05, 10);
    // Leaving the terms out gives other figures (fewer expected absences: exp of a mean-zero term averages above 1).
    const { household: _, ...withoutTerms } = fit.draws;
    const ignored = computeDeliveredEffect(realistic, withoutTerms, everyone);
    expect(Math.abs(ignored.days_avoided_per_complier!.mean / delivered.days_avoided_per_complier!.mean - 1)).toBeGreaterThan(0.01);
  });
});

describe('chronic absence with the household effect', () => {
  it("is each student's P(y >= ceil(e / 10)) with their household's term, averaged, draw by draw", async () => {
    const { table } = simulateRealisticModelTable(createRng('household-chronic'), { students: 400, effect: 0.1, ...REALISTIC_ABSENCES });
    const model = prepareAbsenceModel(table, DEFAULT_EFFECT_PRIOR, { householdEffect: true });
    const { outputs } = await fitWithRefits(model.data, (o) => constrainDraws(model, o), {
      seed: 11,
      chains: 2,
      warmup: 200,
      draws: 200,
      threads: 0,
      refit: false,
    });
    const { info } = model;
    const layout = parameterLayout(model.data);
    // Written student by student from the table (the library works on cells and groups).
    const kept = table.filter((r) => r.e > 0);
    const blockOf = kept.map((r) => info.blocks.indexOf(r.block));
    const householdOf = kept.map((r) => info.householdIds.indexOf(r.household!));
    const zOf = kept.map((r) => (Math.log((r.baseline_absences! + 0.5) / (r.baseline_days! + 1)) - info.baselineMean) / info.baselineSd);
    const shares = (q: Float64Array, at: number, zeroTerms: boolean) => {
      const sigma = Math.exp(q[at + layout.logSigmaHousehold]);
      let [control, treatment] = [0, 0];
      kept.forEach((r, i) => {
        const term = householdOf[i] >= 0 && !zeroTerms ? sigma * q[at + layout.zHousehold + householdOf[i]] : 0;
        const mu0 = r.e * Math.exp(q[at + layout.alpha + blockOf[i]] + q[at + layout.gamma] * zOf[i] + term);
        const phi = Math.exp(q[at + layout.logPhi]);
        control += negBinomialAtLeast(chronicDays(r.e), mu0, phi);
        treatment += negBinomialAtLeast(chronicDays(r.e), mu0 * Math.exp(q[at + layout.effect]), phi);
      });
      return { control: control / kept.length, treatment: treatment / kept.length };
    };
    const byHand = (zeroTerms: boolean) => {
      const control: Float64Array[] = [];
      const treatment: Float64Array[] = [];
      for (const o of outputs) {
        const n = o.draws.length / layout.dimension;
        const [c, t] = [new Float64Array(n), new Float64Array(n)];
        for (let i = 0; i < n; i++) ({ control: c[i], treatment: t[i] } = shares(o.draws, i * layout.dimension, zeroTerms));
        control.push(c);
        treatment.push(t);
      }
      return summarizeChronicAbsence({ control, treatment });
    };
    expect(info.householdIds.length).toBeGreaterThan(50);
    const result = computeChronicAbsence(model, outputs);
    const expected = byHand(false);
    expect(result.draws).toBe(400);
    expect(result.share_control.mean).toBeCloseTo(expected.share_control.mean, 10);
    expect(result.share_treatment.q05).toBeCloseTo(expected.share_treatment.q05, 10);
    expect(result.difference_points.q95).toBeCloseTo(expected.difference_points.q95, 8);
    // And the terms matter: without them the share moves by far more than that tolerance.
    expect(Math.abs(byHand(true).share_control.mean - result.share_control.mean)).toBeGreaterThan(0.001);
  });
});
