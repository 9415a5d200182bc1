#!/usr/bin/env node
// Simulates the model tables used as Stan reference cases (see docs/validation.md).
//
//   node test/reference/make-data.mjs
//
// Plain Node, no dependencies, deterministic: every case has its own fixed seed
// and its own small PRNG (mulberry32 + Box-Muller, Marsaglia-Tsang gamma, Poisson
// by inversion in chunks), so the same script always writes byte-identical files.
//
// The tables are simulated from the model in docs/model.md itself:
//   1. enrolment e (some e = 0: attrition), arm T (complete randomization within
//      block), optional baseline (b, eb);
//   2. the covariate z and indicator m computed exactly as the spec says (over the
//      students with e > 0 whose baseline is present, sample sd);
//   3. y ~ NegBinomial2(e * exp(alpha[k] + gamma z + delta m + theta[d] T), phi).
// Then a few y values get an extra half day (3 -> 3.5) to exercise the rounding rule
// (note: rounding half up then gives 4, so those rows are not exactly draws from the
// model; they are few).
//
// Writes test/reference/<case>/data.csv and test/reference/<case>/truth.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeRng } from './reference-rng.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

// ---------- case definitions ----------
// districts: [{ label, n, schools, grades }]
// The two network cases differ only in their districts.
const NETWORK = {
  theta: { mu: Math.log(0.976), tau: 0.05 },
  phi: 2,
  baseRate: 0.06,
  blockSd: 0.2,
  districtSd: 0.2,
  gamma: 0.6,
  delta: 0.15,
  baselineMissingRate: 0.04,
  baselinePresent: true,
  attritionRate: 0.02,
  halfDayRate: 0.01,
};

const CASES = [
  {
    name: 'one-district',
    seed: 1001,
    districts: [{ label: 'D1', n: 1000, schools: 5, grades: [3, 4] }],
    theta: { mu: Math.log(0.95), tau: 0 },
    phi: 2,
    baseRate: 0.06,
    blockSd: 0.3,
    districtSd: 0,
    gamma: 0.6,
    delta: 0.15,
    baselineMissingRate: 0,
    baselinePresent: true,
    attritionRate: 0.02,
    halfDayRate: 0.015,
  },
  {
    name: 'one-district-no-baseline',
    seed: 1002,
    districts: [{ label: 'D1', n: 800, schools: 4, grades: [6, 7] }],
    theta: { mu: Math.log(0.95), tau: 0 },
    phi: 2,
    baseRate: 0.06,
    blockSd: 0.3,
    districtSd: 0,
    gamma: 0,
    delta: 0,
    baselineMissingRate: 1,
    baselinePresent: false,
    attritionRate: 0.02,
    halfDayRate: 0.015,
  },
  {
    name: 'network-8',
    seed: 1008,
    // 7,656 students in 8 districts, blocks = district x school x grade (52 blocks)
    districts: [
      { label: 'D1', n: 420, schools: 1, grades: [6, 7, 8] },
      { label: 'D2', n: 610, schools: 2, grades: [3, 4] },
      { label: 'D3', n: 780, schools: 2, grades: [3, 4, 5] },
      { label: 'D4', n: 900, schools: 3, grades: [6, 7] },
      { label: 'D5', n: 1030, schools: 3, grades: [3, 4] },
      { label: 'D6', n: 1180, schools: 2, grades: [6, 7, 8] },
      { label: 'D7', n: 1000, schools: 4, grades: [4, 5] },
      { label: 'D8', n: 1736, schools: 5, grades: [3, 4] },
    ],
    ...NETWORK,
  },
  {
    name: 'network-small-district',
    seed: 1006,
    districts: [
      { label: 'D1', n: 36, schools: 1, grades: [7, 8] },
      { label: 'D2', n: 380, schools: 2, grades: [3, 4] },
      { label: 'D3', n: 450, schools: 2, grades: [5, 6] },
      { label: 'D4', n: 500, schools: 2, grades: [3, 4] },
      { label: 'D5', n: 550, schools: 3, grades: [6, 7] },
      { label: 'D6', n: 584, schools: 3, grades: [4, 5] },
    ],
    ...NETWORK,
  },
];

// ---------- simulation ----------
function splitEven(n, parts, rng) {
  // sizes that vary by about +-25% around n/parts and sum to n
  const w = Array.from({ length: parts }, () => 0.75 + 0.5 * rng.uniform());
  const tot = w.reduce((a, b) => a + b, 0);
  const sizes = w.map((x) => Math.floor((n * x) / tot));
  let left = n - sizes.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % parts, left--) sizes[i] += 1;
  return sizes;
}

function simulate(c) {
  const rng = makeRng(c.seed);
  const nD = c.districts.length;
  const eta = c.districts.map(() => (nD > 1 ? rng.normal() : 0));
  const thetaD = eta.map((x) => c.theta.mu + c.theta.tau * x);
  const rows = [];
  const blockAlpha = {};
  let sid = 0;
  c.districts.forEach((d, di) => {
    const dShift = rng.normal(0, c.districtSd);
    const blocks = [];
    for (let s = 1; s <= d.schools; s++) for (const g of d.grades) blocks.push(`${d.label}-S${s}-G${g}`);
    const sizes = splitEven(d.n, blocks.length, rng);
    blocks.forEach((label, bi) => {
      const alpha = Math.log(c.baseRate) + dShift + rng.normal(0, c.blockSd);
      blockAlpha[label] = alpha;
      const n = sizes[bi];
      // complete randomization within block: floor(n/2) treated, odd one by coin
      const nTreat = Math.floor(n / 2) + (n % 2 === 1 && rng.uniform() < 0.5 ? 1 : 0);
      const arms = rng.shuffle(Array.from({ length: n }, (_, i) => (i < nTreat ? 1 : 0)));
      for (let i = 0; i < n; i++) {
        sid += 1;
        // enrolment in the outcome window
        let e;
        const r = rng.uniform();
        if (r < c.attritionRate) e = 0;
        else if (r < c.attritionRate + 0.06)
          e = rng.int(20, 149); // joined or left mid-window
        else e = rng.int(150, 170);
        // latent propensity drives the baseline; the outcome uses z from the baseline (the model)
        const u = rng.normal(0, 0.7);
        let b = null;
        let eb = null;
        if (c.baselinePresent && rng.uniform() >= c.baselineMissingRate) {
          eb = rng.uniform() < 0.08 ? rng.int(30, 159) : rng.int(160, 180);
          b = rng.negbin2(eb * Math.exp(alpha + u), 4);
        }
        rows.push({
          student_id: `S${String(sid).padStart(5, '0')}`,
          e,
          treat: arms[i],
          block: label,
          district: d.label,
          dIndex: di,
          alpha,
          b,
          eb,
        });
      }
    });
  });
  // z and m exactly as the spec: over students in the fit (e > 0) with a baseline
  const inFitWithB = rows.filter((r) => r.e > 0 && r.b !== null);
  const L = (r) => Math.log((r.b + 0.5) / (r.eb + 1));
  const n = inFitWithB.length;
  const meanL = n > 0 ? inFitWithB.reduce((a, r) => a + L(r), 0) / n : 0;
  const sdL = n > 1 ? Math.sqrt(inFitWithB.reduce((a, r) => a + (L(r) - meanL) ** 2, 0) / (n - 1)) : 0;
  let nHalf = 0;
  for (const r of rows) {
    const m = r.b === null ? 1 : 0;
    const z = r.b === null || !(sdL > 0) ? 0 : (L(r) - meanL) / sdL;
    if (r.e === 0) {
      r.y = 0;
      continue;
    }
    const logMu = Math.log(r.e) + r.alpha + c.gamma * z + c.delta * m + thetaD[r.dIndex] * r.treat;
    r.y = rng.negbin2(Math.exp(logMu), c.phi);
    if (r.y > 0 && r.y < r.e && rng.uniform() < c.halfDayRate) {
      r.y = r.y + 0.5;
      nHalf += 1;
    }
  }
  const truth = {
    case: c.name,
    seed: c.seed,
    generator: 'test/reference/make-data.mjs',
    n_students: rows.length,
    n_attrition_e0: rows.filter((r) => r.e === 0).length,
    n_half_days: nHalf,
    n_missing_baseline: rows.filter((r) => r.b === null).length,
    phi: c.phi,
    gamma: c.baselinePresent ? c.gamma : null,
    delta: c.baselinePresent && rows.some((r) => r.b === null) ? c.delta : null,
    ...(nD > 1
      ? {
          mu_theta: c.theta.mu,
          tau: c.theta.tau,
          eta: Object.fromEntries(c.districts.map((d, i) => [d.label, eta[i]])),
          theta: Object.fromEntries(c.districts.map((d, i) => [d.label, thetaD[i]])),
        }
      : { theta: c.theta.mu }),
    alpha: blockAlpha,
    note: 'true values used to simulate; the Stan posteriors in stan.json are the reference, not these',
  };
  return { rows, truth };
}

function fmt(x) {
  return x === null || x === undefined ? '' : String(x);
}

for (const c of CASES) {
  const { rows, truth } = simulate(c);
  const dir = join(HERE, c.name);
  mkdirSync(dir, { recursive: true });
  const lines = ['student_id,y,e,treat,block,district,baseline_absences,baseline_days'];
  for (const r of rows) lines.push([r.student_id, r.y, r.e, r.treat, r.block, r.district, fmt(r.b), fmt(r.eb)].join(','));
  writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);
  const nBlocks = new Set(rows.map((r) => r.block)).size;
  console.log(
    `${c.name}: ${rows.length} students, ${nBlocks} blocks, ${c.districts.length} districts, e=0: ${truth.n_attrition_e0}, half days: ${truth.n_half_days}, missing baseline: ${truth.n_missing_baseline}`,
  );
}
