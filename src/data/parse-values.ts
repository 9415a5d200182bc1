/** Small parsers shared by the readers; each returns undefined for a value it rejects. */

/** ISO `YYYY-MM-DD` that is a real calendar date. */
export function parseIsoDate(text: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const [y, m, d] = text.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return text;
}

/** A finite number >= 0 (counts may be fractional: half days). */
export function parseNonNegative(text: string): number | undefined {
  if (text === '' || !/^[+]?(\d+\.?\d*|\.\d+)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** `true`/`false` (also `1`/`0`, `yes`/`no`, `t`/`f`, any case). */
export function parseBoolean(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (['true', '1', 'yes', 'y', 't'].includes(lower)) return true;
  if (['false', '0', 'no', 'n', 'f'].includes(lower)) return false;
  return undefined;
}

/** A loose BCP 47 check: a 2-3 letter language with optional subtags; lower-cased language. */
export function parseLanguageTag(text: string): string | undefined {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(text)) return undefined;
  const [language, ...rest] = text.split('-');
  return [language.toLowerCase(), ...rest].join('-');
}

/** Days between two ISO dates (b - a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The ISO date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Day of week, 0 = Sunday. */
export function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
