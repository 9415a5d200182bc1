/** In-place iterative radix-2 FFT (length a power of two). */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const r = re[i];
      re[i] = re[j];
      re[j] = r;
      const m = im[i];
      im[i] = im[j];
      im[j] = m;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const ar = re[i + k + len / 2] * cr - im[i + k + len / 2] * ci;
        const ai = re[i + k + len / 2] * ci + im[i + k + len / 2] * cr;
        re[i + k + len / 2] = re[i + k] - ar;
        im[i + k + len / 2] = im[i + k] - ai;
        re[i + k] += ar;
        im[i + k] += ai;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/**
 * `posterior`'s `fft_next_good_size`: the smallest size >= n whose only prime factors are
 * 2, 3 and 5. It enters the autocovariance's scale (below), so we reproduce it.
 */
export function fftNextGoodSize(n: number): number {
  if (n <= 2) return 2;
  for (; ; n++) {
    let m = n;
    while (m % 2 === 0) m /= 2;
    while (m % 3 === 0) m /= 3;
    while (m % 5 === 0) m /= 5;
    if (m <= 1) return n;
  }
}

/**
 * Autocovariances at lags 0..N-1 of one chain, as `posterior::autocovariance` computes
 * them: the "biased" estimate `sum_t (x_t - xbar)(x_{t+k} - xbar) / N` recommended by
 * Geyer (1992), multiplied by `M / N` where M = fftNextGoodSize(N) — an artefact of
 * posterior's normalization that we keep so our ESS matches posterior's exactly (M = N
 * for the usual 500, 1000 or 2000 draws per split chain). Computed by zero-padded FFT.
 */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let size = 1;
  while (size < 2 * n) size <<= 1;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  for (let i = 0; i < n; i++) re[i] = x[i] - mean;
  fft(re, im);
  for (let i = 0; i < size; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0;
  }
  fft(re, im); // the power spectrum is real and even, so a forward transform inverts it up to 1/size
  const scale = fftNextGoodSize(n) / (n * n * size);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = re[k] * scale;
  return out;
}

// The ESS sum (ess.ts) stops at the first lag pair whose autocorrelations sum to a
// negative number: after a few dozen lags for a chain that mixes well. Summing those lags
// directly costs far less than the two transforms of the whole chain.
const DIRECT_LAGS = 64;

/**
 * The autocovariances of `autocovariance(x)`, asked for lag by lag: the first lags are
 * summed directly, and only a chain asked for a longer lag pays for the FFT.
 */
export class LazyAutocovariance {
  private readonly centred: Float64Array;
  private readonly scale: number;
  private all: Float64Array | undefined;
  private readonly x: ArrayLike<number>;

  constructor(x: ArrayLike<number>) {
    const n = x.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
    this.x = x;
    this.centred = new Float64Array(n);
    for (let i = 0; i < n; i++) this.centred[i] = x[i] - mean;
    this.scale = fftNextGoodSize(n) / (n * n);
  }

  at(lag: number): number {
    if (lag >= DIRECT_LAGS) {
      this.all ??= autocovariance(this.x);
      return this.all[lag];
    }
    const d = this.centred;
    let s = 0;
    for (let i = 0; i + lag < d.length; i++) s += d[i] * d[i + lag];
    return s * this.scale;
  }
}
