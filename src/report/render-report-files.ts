import type { ReportChartName } from './build-report-charts.js';
import { buildReportCharts } from './build-report-charts.js';
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
  const specs = buildReportCharts(rounded, 'wide');
  const narrowSpecs = buildReportCharts(rounded, 'narrow');
  // Each chart goes in the page twice, wide and narrow; the stylesheet shows the one that fits.
  const svgs: Partial<Record<ReportChartName, string>> = {};
  for (const [name, spec] of Object.entries(specs) as [ReportChartName, (typeof specs)[ReportChartName]][]) {
    const id = `chart-${name.replace(/_/g, '-')}`;
    const wide = await renderChartSvg(spec!, id);
    const narrow = await renderChartSvg(narrowSpecs[name]!, `${id}-narrow`);
    svgs[name] = `${withClass(wide, 'chart-wide')}\n${withClass(narrow, 'chart-narrow')}`;
  }
  return [
    { name: 'report.html', contents: renderReportHtml(rounded, svgs) },
    { name: 'report.json', contents: `${JSON.stringify(rounded, null, 2)}\n` },
    ...Object.entries(specs).map(([name, spec]) => ({
      name: `${name.replace(/_/g, '-')}.vl.json`,
      contents: `${JSON.stringify(spec, null, 2)}\n`,
    })),
  ];
}

/** Adds a class to an SVG's root element (Vega's `class="marks"`). */
function withClass(svg: string, name: string): string {
  return svg.replace(/^<svg([^>]*?) class="([^"]*)"/, `<svg$1 class="$2 ${name}"`);
}
