import { buildReportCharts } from './build-report-charts.js';
import type { ReportChartName } from './build-report-charts.js';
import { roundFigures } from './format-figures.js';
import { renderChartSvg } from './render-chart-svg.js';
import { renderReportHtml } from './render-report-html.js';
import type { ReportData } from './report-data.js';

/** One file of a report folder, by its name inside the folder. */
export interface ReportFile {
  readonly name: string;
  readonly contents: string;
}

/**
 * Renders one report to the files of its folder: `report.html` (charts inline as SVG),
 * `report.json` (every figure) and `<chart>.vl.json` (each chart's Vega-Lite spec).
 * Writes nothing.
 */
export async function renderReportFiles(data: ReportData): Promise<ReportFile[]> {
  const rounded = roundFigures(data);
  const specs = buildReportCharts(rounded);
  const svgs: Partial<Record<ReportChartName, string>> = {};
  for (const [name, spec] of Object.entries(specs) as [ReportChartName, (typeof specs)[ReportChartName]][]) {
    svgs[name] = await renderChartSvg(spec!, `chart-${name.replace(/_/g, '-')}`);
  }
  return [
    { name: 'report.html', contents: renderReportHtml(rounded, svgs) },
    { name: 'report.json', contents: `${JSON.stringify(rounded, null, 2)}\n` },
    ...Object.entries(specs).map(([name, spec]) => ({ name: `${name.replace(/_/g, '-')}.vl.json`, contents: `${JSON.stringify(spec, null, 2)}\n` })),
  ];
}
