// The reference generators' random numbers (make-data.mjs, subgroup-make-data.mjs): plain
// Node, no dependencies, so a seed gives the same data on every machine. mulberry32 for
// uniforms, Box-Muller normals, Marsaglia-Tsang gamma, Poisson by inversion in chunks of 20,
// and the negative binomial as a gamma-Poisson mixture.

export function makeRng(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    // mulberry32
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const u01 = () => {
    let u;
    do u = uniform();
    while (u === 0);
    return u;
  };
  let spare = null;
  const normal = (mean = 0, sd = 1) => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return mean + sd * s;
    }
    const u = u01();
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  };
  const gamma = (shape, rate = 1) => {
    // Marsaglia & Tsang
    if (shape < 1) {
      const g = gamma(shape + 1, 1);
      return (g * u01() ** (1 / shape)) / rate;
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x, v;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = u01();
      if (u < 1 - 0.0331 * x * x * x * x) return (d * v) / rate;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return (d * v) / rate;
    }
  };
  const poissonSmall = (lambda) => {
    // inversion, lambda <= 20
    let k = 0;
    let p = Math.exp(-lambda);
    let s = p;
    const u = uniform();
    while (u > s && k < 1000) {
      k += 1;
      p *= lambda / k;
      s += p;
    }
    return k;
  };
  const poisson = (lambda) => {
    let k = 0;
    let rest = lambda;
    while (rest > 20) {
      k += poissonSmall(20);
      rest -= 20;
    }
    return k + poissonSmall(rest);
  };
  // NB2 with mean mu and shape phi: Poisson(Gamma(phi, phi / mu))
  const negbin2 = (mu, phi) => (mu <= 0 ? 0 : poisson(gamma(phi, phi / mu)));
  const int = (lo, hi) => lo + Math.floor(uniform() * (hi - lo + 1));
  const shuffle = (arr) => {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1));
      [arr[i], arr[j]] = [arr[j], arr[i]];
    }
    return arr;
  };
  return { uniform, normal, gamma, poisson, negbin2, int, shuffle };
}
