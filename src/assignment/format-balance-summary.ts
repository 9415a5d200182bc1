import { formatTable } from '../io/format-table.js';
import type { BalanceRow } from './balance.js';
import { SMD_THRESHOLD } from './balance.js';

/**
 * The balance table a person reads after assigning: the numeric variables, and for grade
 * and school the level with the largest |SMD|, each flagged when |SMD| > 0.1.
 */
export function formatBalanceSummary(rows: readonly BalanceRow[], arms: readonly string[], controlArm: string): string {
  const treated = arms.filter((a) => a !== controlArm);
  const worst = (variable: string) =>
    rows
      .filter((r) => r.variable === variable)
      .reduce<BalanceRow | undefined>((best, r) => (!best || maxSmd(r) > maxSmd(best) ? r : best), undefined);
  const shown = [...rows.filter((r) => r.level === ''), worst('grade'), worst('school')].filter((r): r is BalanceRow => r !== undefined);
  const table = formatTable(
    ['balance', ...arms.map((a) => `mean ${a}`), ...treated.map((a) => `SMD ${a}`), ''],
    shown.map((r) => [
      r.level === '' ? r.variable : `${r.variable} ${r.level} (largest)`,
      ...arms.map((a) => (Number.isFinite(r.mean[a]) ? r.mean[a].toFixed(3) : '-')),
      ...treated.map((a) => r.smd[a].toFixed(3)),
      r.flagged ? `|SMD| > ${SMD_THRESHOLD}` : 'ok',
    ]),
  );
  const flagged = rows.filter((r) => r.flagged).length;
  return `${table}\n${flagged === 0 ? `No variable has |SMD| > ${SMD_THRESHOLD}.` : `${flagged} of ${rows.length} balance rows have |SMD| > ${SMD_THRESHOLD} (see balance.csv).`}`;
}

function maxSmd(row: BalanceRow): number {
  return Math.max(...Object.values(row.smd).map(Math.abs));
}
