#!/usr/bin/env node
// Simulates the subgroup model's Stan reference cases (docs/validation.md, "The subgroup
// model").
//
//   node test/reference/subgroup-make-data.mjs && Rscript test/reference/subgroup-fit.R
//
// Plain Node, no dependencies, deterministic (reference-rng.mjs, as make-data.mjs). Each
// table is simulated from the subgroup model (docs/model.md, "Subgroups"):
//   y ~ NegBinomial2(e * exp(alpha[k] + gamma z + (theta[d] + sum_g effect_g[level]) T), phi)
// with two factors: `tier` (3 levels) and `band` (2 levels), given to students at random.
//
// Writes test/reference/<case>/data.csv (the model table), levels.csv (student_id, tier,
// band) and truth.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRng } from './reference-rng.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

const FACTORS = [
  { name: 'tier', levels: ['high', 'low', 'mid'], effects: [-0.15, 0.12, 0], weights: [0.2, 0.5, 0.3] },
  { name: 'band', levels: ['6-8', 'PK-5'], effects: [0.04, -0.04], weights: [0.4, 0.6] },
];

const CASES = [
  { name: 'subgroup-one-district', seed: 3001, districts: [{ label: 'D1', n: 1200, theta: Math.log(0.9) }], blocks: 6 },
  {
    name: 'subgroup-network',
    seed: 3002,
    districts: [
      { label: 'D1', n: 500, theta: Math.log(0.92) },
      { label: 'D2', n: 400, theta: Math.log(0.88) },
      { label: 'D3', n: 300, theta: Math.log(0.95) },
    ],
    blocks: 3,
  },
];

function pick(rng, weights) {
  const u = rng.uniform();
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i];
    if (u < sum) return i;
  }
  return weights.length - 1;
}

function simulate(c) {
  const rng = makeRng(c.seed);
  const rows = [];
  const alpha = {};
  let id = 0;
  for (const district of c.districts) {
    for (let k = 0; k < c.blocks; k++) alpha[`${district.label}-B${k + 1}`] = Math.log(0.07) + 0.25 * rng.normal();
    for (let i = 0; i < district.n; i++) {
      id += 1;
      const block = `${district.label}-B${(i % c.blocks) + 1}`;
      const treat = Math.floor(i / c.blocks) % 2;
      const e = rng.int(120, 170);
      const eb = rng.int(150, 180);
      const L = Math.log(0.07) + 0.6 * rng.normal();
      const b = rng.negbin2(eb * Math.exp(L), 4);
      const levels = FACTORS.map((f) => pick(rng, f.weights));
      let effect = district.theta;
      FACTORS.forEach((f, g) => {
        effect += f.effects[levels[g]];
      });
      // z is the standardized log baseline rate; gamma 0.6 on the raw log rate is close enough for a reference.
      const eta = alpha[block] + 0.6 * (Math.log((b + 0.5) / (eb + 1)) - Math.log(0.07)) + treat * effect;
      const y = rng.negbin2(e * Math.exp(eta), 2);
      rows.push({ student_id: `S${String(id).padStart(5, '0')}`, y, e, treat, block, district: district.label, b, eb, levels });
    }
  }
  const truth = {
    case: c.name,
    seed: c.seed,
    generator: 'test/reference/subgroup-make-data.mjs',
    n_students: rows.length,
    phi: 2,
    theta: Object.fromEntries(c.districts.map((d) => [d.label, d.theta])),
    level_effects: Object.fromEntries(FACTORS.map((f) => [f.name, Object.fromEntries(f.levels.map((l, i) => [l, f.effects[i]]))])),
    alpha,
    note: 'true values used to simulate; the Stan posteriors in stan-subgroups.json are the reference, not these',
  };
  return { rows, truth };
}

for (const c of CASES) {
  const { rows, truth } = simulate(c);
  const dir = join(HERE, c.name);
  mkdirSync(dir, { recursive: true });
  const data = ['student_id,y,e,treat,block,district,baseline_absences,baseline_days'];
  const levels = ['student_id,tier,band'];
  for (const r of rows) {
    data.push([r.student_id, r.y, r.e, r.treat, r.block, r.district, r.b, r.eb].join(','));
    levels.push([r.student_id, ...FACTORS.map((f, g) => f.levels[r.levels[g]])].join(','));
  }
  writeFileSync(join(dir, 'data.csv'), `${data.join('\n')}\n`);
  writeFileSync(join(dir, 'levels.csv'), `${levels.join('\n')}\n`);
  writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  console.log(`${c.name}: ${rows.length} students, ${c.districts.length} districts`);
}
