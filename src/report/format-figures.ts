/** How figures read in a report: percents with one decimal, certainties as whole percents. */

/** 0.0243 -> "2.4%"; `signed` adds a plus sign to positive values. */
export function formatPercent(value: number | null | undefined, digits = 1, signed = false): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = `${(100 * value).toFixed(digits)}%`;
  return signed && value > 0 ? `+${text}` : text.replace(/^-0\.0+%$/, '0.0%');
}

/**
 * A probability as a whole percent, never claiming 0% or 100% from a finite sample; with
 * its Monte Carlo error (`certaintyMcError`), the margin the seed alone leaves, so a
 * reader knows which digits are real: one decimal under 1 point, whole points above.
 *
 * @example
 * formatCertainty(0.834); // "83%"
 * formatCertainty(0.834, 0.0062); // "83% ± 0.6%"
 * formatCertainty(0.834, 0.013); // "83% ± 1%"
 */
export function formatCertainty(p: number, mcError?: number): string {
  if (p > 0.99) return 'over 99%';
  if (p < 0.01) return 'under 1%';
  const text = `${Math.round(100 * p)}%`;
  if (mcError === undefined || !(mcError > 0)) return text;
  const points = 100 * mcError;
  return `${text} ± ${points < 0.95 ? points.toFixed(1) : Math.round(points)}%`;
}

/** A count, with thousands separators; `null` reads "suppressed". */
export function formatCount(value: number | null | undefined): string {
  if (value === null) return 'suppressed';
  if (value === undefined || !Number.isFinite(value)) return '—';
  return Math.round(value).toLocaleString('en-US');
}

/** A number with fixed decimals, or a dash. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(digits);
}

/** Rounds every number in a JSON-able value (report.json stays readable and stable). */
export function roundFigures<T>(value: T, digits = 6): T {
  const factor = 10 ** digits;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? Math.round(v * factor) / factor : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
