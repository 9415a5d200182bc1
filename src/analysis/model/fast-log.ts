// The natural logarithm by table lookup and a short series, for the likelihood's inner
// loop: one log per likelihood group is most of a gradient's cost, and V8's Math.log is
// an out-of-line call of about 15 to 25 ns on this machine. JavaScript cannot read a
// double's exponent bits cheaply (typed-array aliasing was tried and is slower than
// Math.log), so the argument is reduced with Math.clz32 on its integer part instead:
//
//     v = 2^k m,  m in [1, 2);  m = c_j (1 + u),  c_j the centre of m's table interval;
//     log v = k log 2 + log c_j + log1p(u),  |u| < 2^-(TABLE_BITS + 1).
//
// With 1024 intervals, log1p's series to u^4 leaves a truncation error below 2^-57, so
// the result is within a few units in the last place of Math.log's (tested).

const TABLE_BITS = 10;
const TABLE_SIZE = 1 << TABLE_BITS;
const LOG_CENTRE = new Float64Array(TABLE_SIZE);
const INVERSE_CENTRE = new Float64Array(TABLE_SIZE);
for (let j = 0; j < TABLE_SIZE; j++) {
  const centre = 1 + (j + 0.5) / TABLE_SIZE;
  LOG_CENTRE[j] = Math.log(centre);
  INVERSE_CENTRE[j] = 1 / centre;
}

// Math.clz32 sees the unsigned 32-bit integer part, so the reduction covers [1, 2^32);
// arguments in [2^-32, 1) are first scaled up by 2^32. LOG_POWER_OF_TWO[k + 32] is
// k log 2 for k in -32..31, one rounding, so small arguments lose nothing to cancellation.
const SMALL_SCALE = 2 ** 32;
const INVERSE_POWER_OF_TWO = new Float64Array(32);
const LOG_POWER_OF_TWO = new Float64Array(64);
for (let k = 0; k < 32; k++) INVERSE_POWER_OF_TWO[k] = 2 ** -k;
for (let i = 0; i < 64; i++) LOG_POWER_OF_TWO[i] = (i - 32) * Math.LN2;

/**
 * `Math.log(v)` to within a few ulps, about twice as fast in a hot loop. Arguments outside
 * [2^-32, 2^32) (and 0, negatives, NaN, infinities) fall back to Math.log.
 */
export function fastLog(v: number): number {
  let scaled = v;
  let exponentBase = 32;
  if (v < 1) {
    scaled = v * SMALL_SCALE;
    exponentBase = 0;
  }
  if (!(scaled >= 1 && scaled < SMALL_SCALE)) return Math.log(v);
  const k = 31 - Math.clz32(scaled);
  const m = scaled * INVERSE_POWER_OF_TWO[k];
  const j = ((m - 1) * TABLE_SIZE) | 0;
  const u = m * INVERSE_CENTRE[j] - 1;
  // log1p(u) to u^4, grouped so that the multiplications overlap.
  const u2 = u * u;
  const log1pU = u + u2 * (-1 / 2 + u / 3 - u2 / 4);
  return LOG_POWER_OF_TWO[k + exponentBase] + LOG_CENTRE[j] + log1pU;
}
