import seedrandom from 'seedrandom';

/**
 * Random numbers. Every random function in the toolkit takes an `Rng` argument; nothing
 * reads a global seed (arquero's `sample()` does, so it is never used for assignment).
 * The generator is seedrandom's `alea`: fast, 2^116 period, and seeded from a string.
 */
export interface Rng {
  /** Uniform on [0, 1). */
  (): number;
}

export function createRng(seed: string | number): Rng {
  const prng = seedrandom.alea(String(seed));
  return () => prng();
}

/**
 * An independent stream for one purpose (a chain, a block, a late-enrollee run), derived
 * from the study seed and a label so that adding one stream never shifts another.
 */
export function deriveRng(seed: string | number, label: string): Rng {
  return createRng(`${seed}/${label}`);
}

/** A fresh seed for a user who gave none: printed and recorded so the run can be redone. */
export function generateSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher-Yates shuffle of a copy. Callers sort by id first so that input order never matters. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
  return out;
}

/** Standard normal by Box-Muller (one value per call; simplicity over speed). */
export function randomNormal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape, rate=1) by Marsaglia and Tsang (2000); shape < 1 by the boost trick. */
export function randomGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    let u = 0;
    while (u === 0) u = rng();
    return randomGamma(rng, shape + 1) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = randomNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Poisson(lambda): Knuth's method for small lambda, a normal approximation above 500. */
export function randomPoisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 500) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * randomNormal(rng)));
  // Split large lambdas so exp(-lambda) does not underflow.
  let total = 0;
  let remaining = lambda;
  while (remaining > 0) {
    const step = Math.min(remaining, 30);
    remaining -= step;
    const limit = Math.exp(-step);
    let k = 0;
    let p = rng();
    while (p > limit) {
      k++;
      p *= rng();
    }
    total += k;
  }
  return total;
}

/** NegBinomial2(mu, phi) as a gamma-Poisson mixture: Var = mu + mu^2/phi. */
export function randomNegBinomial(rng: Rng, mu: number, phi: number): number {
  return randomPoisson(rng, (mu * randomGamma(rng, phi)) / phi);
}
