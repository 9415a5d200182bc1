import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { MODEL_TABLE_COLUMNS } from '../../src/data/model-table.js';
import { sha256 } from '../../src/io/hash.js';
import { formatCsvObjects } from '../../src/io/write-csv.js';
import { createRng } from '../../src/random.js';
import { simulateModelTable } from '../../src/simulate/simulate-model-table.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A simulated model table, and the delivered-per-student.csv of a send log in which every third treated student was never reached. */
async function studyFiles(dir: string) {
  const { table } = simulateModelTable(createRng('delivered-costs'), { districts: 1, studentsPerDistrict: 400, muTheta: Math.log(0.85) });
  await writeFile(join(dir, 'model_input.csv'), formatCsvObjects([...MODEL_TABLE_COLUMNS], table));
  const treated = table.filter((r) => r.treat === 1);
  const rows = treated.map((r, i) => ({
    student_id: r.student_id,
    arm: 'treatment',
    messages_sent: 4,
    messages_delivered: i % 3 === 0 ? 0 : 4,
  }));
  await writeFile(
    join(dir, 'delivered-per-student.csv'),
    formatCsvObjects(['student_id', 'arm', 'messages_sent', 'messages_delivered'], rows),
  );
  const costs = {
    setup_hours: 20,
    staff_minutes_per_send: 60,
    hourly_wage: 30,
    price_per_sms_segment: 0.01,
    messages: { sends: 4, sms_segments: 1600 },
  };
  await writeFile(join(dir, 'costs.json'), JSON.stringify(costs));
  const inFit = treated.filter((r) => r.e > 0);
  return { received: inFit.filter((r) => treated.indexOf(r) % 3 !== 0).length, treatedInFit: inFit.length };
}

describe('pilot analyze --deliveries --costs', () => {
  it('adds the effect when delivered, chronic absence and the costs to analysis.json and the summary', async () => {
    const dir = await tempDir();
    const { received, treatedInFit } = await studyFiles(dir);
    const io = memoryIo();
    const args = [
      'analyze',
      '--table',
      join(dir, 'model_input.csv'),
      '--out',
      join(dir, 'out'),
      '--seed',
      '3',
      '--warmup',
      '300',
      '--draws-per-chain',
      '300',
    ];
    const code = await run([...args, '--deliveries', dir, '--costs', join(dir, 'costs.json')], io);
    expect(io.err.join('\n')).not.toMatch(/error/i);
    expect(code).toBe(0);
    const result = JSON.parse(await readFile(join(dir, 'out', 'analysis.json'), 'utf8'));
    const d = result.delivered_effect;
    expect(d.treatment).toEqual({ students: treatedInFit, received, share_received: received / treatedInFit });
    expect(d.one_sided).toBe(true);
    // The no-show adjustment on every draw: the median per complier is the per-assigned median over the share (thinning keeps 1,000 of 1,200 draws).
    const perAssigned = result.days_avoided.per_treated_student.median;
    expect(d.days_avoided_per_complier.median).toBeCloseTo(perAssigned / d.treatment.share_received, 1);
    expect(Math.sign(d.effect.median)).toBe(Math.sign(result.effect.median));
    expect(d.dose.map((b: { delivered_from: number }) => b.delivered_from)).toEqual([0, 4]);
    expect(d.certainty_mc_error['0']).toBeGreaterThanOrEqual(0);
    // Costs: 20 h x $30 + 4 x 1 h x $30 + 1600 x $0.01 = $736 over the treated students in the fit.
    expect(result.costs.total).toBeCloseTo(736, 10);
    expect(result.costs.cost_per_student).toBeCloseTo(736 / result.model.n_treatment, 10);
    expect(result.costs.days_gained.median).toBeCloseTo(perAssigned * result.model.n_treatment, 6);
    // The costs file is recorded like every input: its hash among the inputs, its name and hash with the costs.
    const costsHash = sha256(await readFile(join(dir, 'costs.json')));
    expect(result.inputs.costs).toBe(costsHash);
    expect(result.costs.file).toEqual({ name: 'costs.json', sha256: costsHash, given_to: 'analyze' });
    expect(result.chronic_absence.difference_points.q05).toBeLessThan(result.chronic_absence.difference_points.q95);
    const text = io.out.join('\n');
    expect(text).toMatch(/\nChronic absence: [\d.]+% with the messages, [\d.]+% without: /);
    expect(text).toMatch(/\nEffect when delivered \([\d.]+% of the treatment arm received 1 or more\): /);
    expect(text).toMatch(/\nCosts: \$736\.00 in all, \$[\d.]+ per student sent the messages; /);
  });

  it('refuses a bad costs file before fitting, naming the field (exit 1, nothing written)', async () => {
    const dir = await tempDir();
    await studyFiles(dir);
    await writeFile(join(dir, 'costs.json'), JSON.stringify({ hourly_wage: '30', messages: { sends: 2 } }));
    const io = memoryIo();
    const code = await run(
      ['analyze', '--table', join(dir, 'model_input.csv'), '--out', join(dir, 'out'), '--costs', join(dir, 'costs.json')],
      io,
    );
    expect(code).toBe(1);
    expect(io.err.join('\n')).toContain('column hourly_wage: hourly_wage must be a number from 0, got "30"');
    await expect(readFile(join(dir, 'out', 'analysis.json'))).rejects.toThrow();
    const bad = memoryIo();
    expect(
      await run(['analyze', '--table', join(dir, 'model_input.csv'), '--out', join(dir, 'out'), '--received-at-least', '0'], bad),
    ).toBe(2);
  });
});
