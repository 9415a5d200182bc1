import type { CsvCell } from '../io/write-csv.js';
import { formatCsv } from '../io/write-csv.js';
import type { PosteriorDraws } from './posterior-draws.js';

/** `draws.csv`: one row per post-warmup draw (`chain`, `iteration`, then every quantity). */
export function formatDrawsCsv(draws: PosteriorDraws): string {
  const rows: CsvCell[][] = [];
  for (let c = 0; c < draws.chains; c++) {
    for (let i = 0; i < draws.drawsPerChain; i++) rows.push([c + 1, i + 1, ...draws.names.map((name) => draws.values[name][c][i])]);
  }
  return formatCsv(['chain', 'iteration', ...draws.names], rows);
}
