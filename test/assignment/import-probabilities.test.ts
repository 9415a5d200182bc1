import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimateEffectLaplace } from '../../src/analysis/estimate-effect-laplace.js';
import { importAssignments } from '../../src/assignment/import-assignments.js';
import { buildModelTable } from '../../src/data/build-model-table.js';
import type { WindowTotals } from '../../src/data/read-window-totals.js';
import { formatCsvObjects } from '../../src/io/write-csv.js';
import { createRng, shuffled } from '../../src/random.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * Why an imported assignment needs one probability per block and no weights: the model
 * compares students within their block (one intercept per block, docs/model.md). Here two
 * blocks differ both in their chance of treatment (0.8 and 0.2) and in how often their
 * students are absent (15% and 3% of days), and the messages do nothing. Treated students
 * come mostly from the often-absent block, so a raw comparison of the arms shows a large
 * "harm"; the model, comparing within blocks, finds about nothing.
 */
describe('an imported assignment with different probabilities per block', () => {
  it('is analyzed within blocks: no effect found where the raw arms differ by a factor of two', async () => {
    const dir = await tempDir();
    const students = smallRoster(800, 1, 17);
    const ids = students.map((s) => s.student_id).sort();
    const blockOf = new Map(ids.map((id, i) => [id, i < 400 ? 'A' : 'B']));
    const p = { A: 0.8, B: 0.2 } as const;
    const rate = { A: 0.15, B: 0.03 } as const;
    const rng = createRng(2024);
    // Complete randomization in each block, students alone: 320 of A treated, 80 of B.
    const treated = new Set([...shuffled(ids.slice(0, 400), rng).slice(0, 320), ...shuffled(ids.slice(400), rng).slice(0, 80)]);
    const rows = ids.map((id) => ({
      student_id: id,
      block: blockOf.get(id)!,
      Z: treated.has(id) ? '1' : '0',
      prob_1: String(p[blockOf.get(id) as 'A' | 'B']),
    }));
    await writeFile(join(dir, 'roster.csv'), rosterCsv(students));
    await writeFile(join(dir, 'ra.csv'), formatCsvObjects(['student_id', 'block', 'Z', 'prob_1'], rows));
    const study = await importAssignments(join(dir, 'ra.csv'), join(dir, 'roster.csv'), { clustered: false });
    expect(study.assignments.filter((a) => a.block === 'A' && a.arm === 'treatment')).toHaveLength(320);
    expect(new Set(study.assignments.filter((a) => a.block === 'B').map((a) => a.p_treatment))).toEqual(new Set([0.2]));

    // 100 enrolled days each; absences binomial at the block's rate, whatever the arm (no effect).
    const outcome: WindowTotals = new Map(
      ids.map((id) => {
        const r = rate[blockOf.get(id) as 'A' | 'B'];
        let absent = 0;
        for (let d = 0; d < 100; d++) if (rng() < r) absent++;
        return [id, { days_enrolled: 100, days_absent: absent }];
      }),
    );
    const table = buildModelTable({ assignments: study.assignments, outcome, controlArm: 'control' });
    const rawRate = (t: 0 | 1) => {
      const arm = table.filter((row) => row.treat === t);
      return arm.reduce((s, row) => s + row.y, 0) / arm.reduce((s, row) => s + row.e, 0);
    };
    // Raw: about (0.8 x 15% + 0.2 x 3%) / (0.2 x 15% + 0.8 x 3%) = 2.3 times the absences in the treated arm.
    expect(rawRate(1) / rawRate(0)).toBeGreaterThan(2);
    const { result } = await estimateEffectLaplace(table, { seed: 1 });
    // Within blocks the arms are alike: the estimate is near zero and its 95% interval holds zero.
    expect(Math.abs(result.effect.mean)).toBeLessThan(0.06);
    expect(result.effect.q025).toBeLessThan(0);
    expect(result.effect.q975).toBeGreaterThan(0);
  });
});
