import type { Rng } from '../random.js';

/**
 * The draws a planning simulation makes by the tens of millions (one negative binomial
 * per student per simulated study). `Rng` (seedrandom's alea behind a closure) costs tens
 * of nanoseconds a call, so the bulk comes from sfc32 (Doty-Humphrey's small fast counter
 * generator, as in PractRand), seeded from four values of the injected `rng`: the same
 * seed still gives the same plan.
 */
export interface FastRandom {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  /** Gamma(shape, rate 1). */
  gamma(shape: number): number;
  /** Poisson(lambda). */
  poisson(lambda: number): number;
  /** NegBinomial2(mu, phi): variance mu + mu^2 / phi, as in docs/model.md. */
  negBinomial(mu: number, phi: number): number;
}

const TWO_TO_MINUS_32 = 2 ** -32;

export function createFastRandom(rng: Rng): FastRandom {
  const seed = () => Math.floor(rng() * 2 ** 32) >>> 0;
  let a = seed();
  let b = seed();
  let c = seed();
  let counter = seed();
  const next = (): number => {
    // sfc32: 32-bit words, period at least 2^32, passes PractRand to terabytes.
    const t = (((a + b) | 0) + counter) | 0;
    counter = (counter + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) * TWO_TO_MINUS_32;
  };
  for (let i = 0; i < 12; i++) next(); // let the seed's bits spread through the state

  let spare = NaN;
  const normal = (): number => {
    // Marsaglia's polar method: two normals per accepted pair, no trigonometry.
    if (!Number.isNaN(spare)) {
      const value = spare;
      spare = NaN;
      return value;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * next() - 1;
      v = 2 * next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * f;
    return u * f;
  };

  const gamma = (shape: number): number => {
    // Marsaglia and Tsang (2000); shape < 1 by Gamma(shape + 1) * U^(1/shape).
    if (shape < 1) {
      let u = next();
      while (u === 0) u = next();
      return gamma(shape + 1) * u ** (1 / shape);
    }
    const d = shape - 1 / 3;
    const cc = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + cc * x;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2) return d * v;
      if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
    }
  };

  const poisson = (lambda: number): number => {
    if (!(lambda > 0)) return 0;
    // Inversion by sequential search (Devroye 1986, X.3): about lambda + 1 steps; means
    // above 500 are split into parts so exp(-lambda) never underflows.
    let total = 0;
    let remaining = lambda;
    while (remaining > 0) {
      const part = remaining > 500 ? 500 : remaining;
      remaining -= part;
      let p = Math.exp(-part);
      let cumulative = p;
      const u = next();
      let k = 0;
      while (u > cumulative && p > 0) {
        k++;
        p *= part / k;
        cumulative += p;
      }
      total += k;
    }
    return total;
  };

  return {
    uniform: next,
    normal,
    gamma,
    poisson,
    negBinomial: (mu, phi) => poisson((mu * gamma(phi)) / phi),
  };
}
