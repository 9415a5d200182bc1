import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { SHARED_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import { buildPlanChart } from './build-plan-chart.js';
import { formatPlanCsv } from './format-plan-csv.js';
import type { PlanResult } from './plan-study.js';
import { renderPlanHtml } from './render-plan-html.js';

/** Renders a Vega-Lite spec to an SVG string (the report's renderer, handed in from above). */
export type ChartRenderer = (spec: TopLevelSpec, idPrefix: string) => Promise<string>;

/**
 * Writes `plan.csv`, `plan.json` and `plan.html` into `dir`, all or none. A plan holds no
 * student's data (only counts and shares), so the files are readable by others.
 */
export async function writePlanFiles(plan: PlanResult, dir: string, renderChart: ChartRenderer): Promise<string[]> {
  const svg = await renderChart(buildPlanChart(plan), 'plan-');
  const files = [
    { path: join(dir, 'plan.csv'), contents: formatPlanCsv(plan), mode: SHARED_MODE },
    { path: join(dir, 'plan.json'), contents: `${JSON.stringify(plan, null, 2)}\n`, mode: SHARED_MODE },
    { path: join(dir, 'plan.html'), contents: renderPlanHtml(plan, svg), mode: SHARED_MODE },
  ];
  await writeFilesAtomically(files);
  return files.map((f) => f.path);
}
