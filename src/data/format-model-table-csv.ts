import type { CsvCell } from '../io/write-csv.js';
import { formatCsv } from '../io/write-csv.js';
import type { ModelTable } from './model-table.js';
import { MODEL_TABLE_COLUMNS } from './model-table.js';

/**
 * `model_input.csv`, the exact table a fit used, so anyone can refit it (with
 * `pilot analyze --table` or Stan). Unknown baselines and households are blank cells.
 */
export function formatModelTableCsv(table: ModelTable): string {
  const rows: CsvCell[][] = table.map((r) => [
    r.student_id,
    r.y,
    r.e,
    r.treat,
    r.block,
    r.district,
    r.baseline_absences ?? '',
    r.baseline_days ?? '',
    r.household ?? '',
  ]);
  return formatCsv(MODEL_TABLE_COLUMNS, rows);
}
