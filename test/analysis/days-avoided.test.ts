import { describe, expect, it } from 'vitest';
import { computeDaysAvoided } from '../../src/analysis/days-avoided.js';
import { parameterLayout } from '../../src/analysis/model/parameter-layout.js';
import { prepareAbsenceModel } from '../../src/analysis/model/prepare-absence-model.js';
import type { ChainOutput } from '../../src/analysis/sampler/sample-chain.js';
import type { ModelTableRow } from '../../src/data/model-table.js';

// Two districts, two blocks, a missing baseline, a duplicate student profile (so two
// students share a group) and an e = 0 row that must not count.
const table: ModelTableRow[] = [
  { student_id: 'S1', y: 2, e: 40, treat: 1, block: 'B1', district: 'D1', baseline_absences: 3, baseline_days: 60 },
  { student_id: 'S2', y: 0, e: 40, treat: 1, block: 'B1', district: 'D1', baseline_absences: 3, baseline_days: 60 },
  { student_id: 'S3', y: 5, e: 35, treat: 1, block: 'B2', district: 'D2', baseline_absences: 9, baseline_days: 58 },
  { student_id: 'S4', y: 1, e: 20, treat: 1, block: 'B2', district: 'D2' },
  { student_id: 'S5', y: 4, e: 40, treat: 0, block: 'B1', district: 'D1', baseline_absences: 1, baseline_days: 60 },
  { student_id: 'S6', y: 3, e: 40, treat: 0, block: 'B2', district: 'D2', baseline_absences: 6, baseline_days: 50 },
  { student_id: 'S7', y: 0, e: 0, treat: 1, block: 'B2', district: 'D2', baseline_absences: 2, baseline_days: 60 },
];

/** The spec's formula student by student, with z and m computed here from the table; `district` keeps that district's treated students only. */
function daysAvoidedByHand(
  q: { alpha: number[]; gamma: number; delta: number; mu: number; tau: number; eta: number[] },
  district?: string,
): number {
  const inFit = table.filter((r) => r.e > 0);
  const logRatio = (r: ModelTableRow) => Math.log((r.baseline_absences! + 0.5) / (r.baseline_days! + 1));
  const withBaseline = inFit.filter((r) => r.baseline_absences !== undefined);
  const mean = withBaseline.reduce((s, r) => s + logRatio(r), 0) / withBaseline.length;
  const sd = Math.sqrt(withBaseline.reduce((s, r) => s + (logRatio(r) - mean) ** 2, 0) / (withBaseline.length - 1));
  const treated = inFit.filter((r) => r.treat === 1 && (district === undefined || r.district === district));
  const total = treated.reduce((s, r) => {
    const k = r.block === 'B1' ? 0 : 1;
    const d = r.district === 'D1' ? 0 : 1;
    const present = r.baseline_absences !== undefined;
    const z = present ? (logRatio(r) - mean) / sd : 0;
    const theta = q.mu + q.tau * q.eta[d];
    return s + r.e * Math.exp(q.alpha[k] + q.gamma * z + q.delta * (present ? 0 : 1)) * (1 - Math.exp(theta));
  }, 0);
  return total / treated.length;
}

describe('computeDaysAvoided', () => {
  it('is the mean over treated students in the fit of e exp(alpha + gamma z + delta m)(1 - exp(theta[d])), draw by draw', () => {
    const model = prepareAbsenceModel(table);
    const layout = parameterLayout(model.data);
    const points = [
      { alpha: [-3, -2.5], gamma: 0.6, delta: 0.2, mu: -0.1, tau: 0.05, eta: [1, -1] },
      { alpha: [-2.8, -3.1], gamma: -0.3, delta: -0.4, mu: 0.2, tau: 0.3, eta: [-0.5, 2] },
      // theta = mu + tau eta = [0.2, -0.2]: more absences in D1, fewer in D2.
      { alpha: [-3, -3], gamma: 0.1, delta: 0, mu: 0, tau: 0.2, eta: [1, -1] },
    ];
    const draws = new Float64Array(points.length * layout.dimension);
    points.forEach((q, i) => {
      const at = i * layout.dimension;
      draws[at + layout.alpha] = q.alpha[0];
      draws[at + layout.alpha + 1] = q.alpha[1];
      draws[at + layout.gamma] = q.gamma;
      draws[at + layout.delta] = q.delta;
      draws[at + layout.effect] = q.mu;
      draws[at + layout.logTau] = Math.log(q.tau);
      draws[at + layout.eta] = q.eta[0];
      draws[at + layout.eta + 1] = q.eta[1];
    });
    const output = { dimension: layout.dimension, draws } as unknown as ChainOutput;
    const { overall, byDistrict } = computeDaysAvoided(model, [output]);
    const [chain] = overall;
    expect(chain).toHaveLength(3);
    expect(chain[0]).toBeCloseTo(daysAvoidedByHand(points[0]), 12);
    expect(chain[1]).toBeCloseTo(daysAvoidedByHand(points[1]), 12);
    // A harmful effect (theta > 0) gives negative days avoided.
    expect(chain[1]).toBeLessThan(0);
    // Each district's own figure: its treated students only (D1: S1, S2; D2: S3, S4, not S7 with e = 0), its own theta[d].
    expect(byDistrict).toHaveLength(2);
    for (const [d, id] of [
      [0, 'D1'],
      [1, 'D2'],
    ] as const) {
      expect(byDistrict[d][0][0]).toBeCloseTo(daysAvoidedByHand(points[0], id), 12);
      expect(byDistrict[d][0][1]).toBeCloseTo(daysAvoidedByHand(points[1], id), 12);
      expect(byDistrict[d][0][2]).toBeCloseTo(daysAvoidedByHand(points[2], id), 12);
    }
    // At the third point the districts part ways: D1 more days missed, D2 fewer.
    expect(byDistrict[0][0][2]).toBeLessThan(0);
    expect(byDistrict[1][0][2]).toBeGreaterThan(0);
    // Two treated students in each district: the overall figure is their average.
    expect(chain[0]).toBeCloseTo((byDistrict[0][0][0] + byDistrict[1][0][0]) / 2, 12);
  });
});
