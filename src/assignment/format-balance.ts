import { formatCsv } from '../io/write-csv.js';
import type { BalanceRow } from './balance.js';

/** `balance.csv`: one row per variable (and level), counts, means and SMDs by arm. */
export function formatBalance(rows: readonly BalanceRow[], arms: readonly string[], controlArm: string): string {
  const treated = arms.filter((a) => a !== controlArm);
  const columns = [
    'variable',
    'level',
    ...arms.map((a) => `n_${a}`),
    ...arms.map((a) => `mean_${a}`),
    ...treated.map((a) => `smd_${a}`),
    'flagged',
  ];
  const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x);
  return formatCsv(
    columns,
    rows.map((r) => [
      r.variable,
      r.level,
      ...arms.map((a) => r.n[a]),
      ...arms.map((a) => round(r.mean[a])),
      ...treated.map((a) => round(r.smd[a])),
      r.flagged,
    ]),
  );
}
