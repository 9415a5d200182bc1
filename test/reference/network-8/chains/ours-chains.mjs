// Our chains on network-8 at adapt_delta 0.8, 1000 warmup + 1000 draws, N chains, as
// estimateEffect runs them (runChains: chain i uses deriveRng(seed, `chain-i`)), here with
// seed 20261123 and chains 0..N-1 run one per worker thread, THREADS at a time.
//   npm run build && node test/reference/network-8/chains/ours-chains.mjs [n_chains] [threads]  -> ours-chains.json here
import { writeFileSync } from 'node:fs';

// DIST: the built library to use (default the repository's dist/). START: first chain index (seed suffix).
const ROOT = new URL('../../../../', import.meta.url).pathname;
const DIST = process.env.DIST ?? `${ROOT}dist`;
const { readModelTable } = await import(`${DIST}/data/read-model-table.js`);
const { prepareAbsenceModel } = await import(`${DIST}/analysis/model/prepare-absence-model.js`);
const { parameterLayout } = await import(`${DIST}/analysis/model/parameter-layout.js`);
const { runChains } = await import(`${DIST}/analysis/sampler/run-chains.js`);
const START = Number(process.env.START ?? 0);

const N = Number(process.argv[2] ?? 20);
const THREADS = Number(process.argv[3] ?? 1);
const SEED = 20261123;
const OUT = process.env.OUT ?? new URL('ours-chains.json', import.meta.url).pathname;
const path = `${ROOT}test/reference/network-8/data.csv`;
const table = (await readModelTable({ path }, path)).value;
const model = prepareAbsenceModel(table, { mean: 0, sd: 0.5 });
const d = model.data;
const L = parameterLayout(d);
if (model.info.n !== 7512 || d.nBlocks !== 49 || d.nDistricts !== 8) throw new Error('unexpected model size');
// Names in Stan's unconstrained order: alpha[1..K], gamma, delta, mu_theta, log tau, eta[1..D], log phi.
const stanOrder = [
  ...Array.from({ length: d.nBlocks }, (_, k) => L.alpha + k),
  L.gamma,
  L.delta,
  L.effect,
  L.logTau,
  ...Array.from({ length: d.nDistricts }, (_, j) => L.eta + j),
  L.logPhi,
];
const chainsOut = [];
// Run in batches so progress and partial results are saved.
for (let start = START; start < START + N; start += THREADS) {
  const t0 = Date.now();
  const count = Math.min(THREADS, START + N - start);
  const outs = await Promise.all(
    Array.from({ length: count }, (_, j) =>
      runChains(
        d,
        { warmup: 1000, draws: 1000, adaptDelta: 0.8, maxTreeDepth: 10, metric: 'diag' },
        { chains: 1, seed: `${SEED}-${start + j}`, threads: 1 },
      ),
    ),
  );
  for (let j = 0; j < count; j++) {
    const o = outs[j][0];
    const td = Array.from(o.treeDepth);
    const div = o.divergent.reduce((s, v) => s + v, 0);
    const rec = {
      seed: `${SEED}-${start + j}`,
      chain_id: 0,
      stepsize: o.stepSize,
      divergences: div,
      mean_treedepth: td.reduce((s, v) => s + v, 0) / td.length,
      treedepth_saturated: td.filter((v) => v >= 10).length,
      mean_accept_stat: o.acceptStat.reduce((s, v) => s + v, 0) / o.acceptStat.length,
      mean_n_leapfrog: o.nLeapfrog.reduce((s, v) => s + v, 0) / o.nLeapfrog.length,
      warmup_divergences: o.warmupDivergences,
      inv_metric: stanOrder.map((i) => o.inverseMetric[i]),
    };
    chainsOut.push(rec);
    console.log(
      `${new Date().toISOString().slice(11, 19)} chain ${chainsOut.length} (${rec.seed}): stepsize ${rec.stepsize.toFixed(4)} div ${div} treedepth ${rec.mean_treedepth.toFixed(3)} accept ${rec.mean_accept_stat.toFixed(3)} [${((Date.now() - t0) / 1000).toFixed(0)} s]`,
    );
  }
  writeFileSync(
    OUT,
    JSON.stringify(
      {
        case: 'network-8',
        dist: DIST,
        adapt_delta: 0.8,
        warmup: 1000,
        draws: 1000,
        max_treedepth: 10,
        inv_metric_order: 'Stan unconstrained order: alpha[1..K], gamma, delta, mu_theta, log(tau), eta[1..D], log(phi)',
        chains: chainsOut,
      },
      null,
      1,
    ),
  );
}
console.log('done');
