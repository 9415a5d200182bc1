/**
 * Rich display for the notebooks on Deno's Jupyter kernel: Vega-Lite charts and arquero
 * tables as MIME bundles. Kept to the notebooks (not the library): it is presentation
 * for Jupyter front-ends, not analysis.
 *
 * A value with a `Symbol.for("Jupyter.display")` method is rendered by the Deno kernel
 * from the bundle that method returns (the `Deno.jupyter.$display` protocol), when it is
 * the last expression of a cell or is passed to `Deno.jupyter.display`.
 */
import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import * as vegaLite from 'vega-lite';

type MediaBundle = Record<string, string | object>;

/** What the Deno kernel renders: an object with a `Jupyter.display` method. */
export interface Displayable {
  [key: symbol]: () => MediaBundle | Promise<MediaBundle>;
}

const DISPLAY = Symbol.for('Jupyter.display');

/**
 * JupyterLab (its vega5 extension) and VS Code's notebook renderers understand
 * Vega-Lite under the v5 MIME type only; the library builds specs with vega-lite 6,
 * whose simple charts (marks, encodings, layers, facets) read the same in v5. The
 * static SVG is rendered here with the installed vega-lite 6 and vega 6, so exported
 * HTML and front-ends without a Vega renderer still show the chart.
 */
const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
const VEGA_LITE_V5_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

function displayable(bundle: () => MediaBundle | Promise<MediaBundle>): Displayable {
  return { [DISPLAY]: bundle };
}

/** Renders a Vega-Lite spec to a standalone SVG string with vega's headless view. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = vegaLite.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * A chart for a notebook cell: the Vega-Lite spec (interactive in JupyterLab and
 * VS Code), a static SVG fallback, and a line of text.
 *
 * @example
 * vegaLiteChart({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
 * // shows a one-point scatter plot
 */
export function vegaLiteChart(spec: TopLevelSpec): Displayable {
  return displayable(async () => {
    const title = typeof spec.title === 'string' ? spec.title : 'chart';
    return {
      [VEGA_LITE_MIME]: { ...spec, $schema: VEGA_LITE_V5_SCHEMA },
      'image/svg+xml': await renderSvg(spec),
      'text/plain': `[Vega-Lite: ${title}]`,
    };
  });
}

/** The two formats of an arquero table this helper uses (any arquero `ColumnTable`). */
export interface FormattableTable {
  toHTML(options?: { limit?: number; maxdigits?: number; style?: { td?: (column: string) => string } }): string;
  toMarkdown(options?: { limit?: number; maxdigits?: number }): string;
  numRows(): number;
}

export interface TableViewOptions {
  /** Rows shown (default 20). */
  readonly limit?: number;
  /** Decimals of numbers (default 3). */
  readonly digits?: number;
  /** Columns of long text (a letter, an email) shown with their line breaks, left-aligned. */
  readonly preWrap?: readonly string[];
}

/**
 * An arquero table as an HTML table (with a Markdown text fallback), at most `limit`
 * rows, numbers to `digits` decimals.
 */
export function tableView(table: FormattableTable, options: TableViewOptions = {}): Displayable {
  const limit = options.limit ?? 20;
  const format = { limit, maxdigits: options.digits ?? 3 };
  const preWrap = new Set(options.preWrap ?? []);
  // Front-ends right-align and collapse cell text by default; a message reads better as written.
  const style =
    preWrap.size === 0
      ? {}
      : {
          style: {
            td: (column: string) =>
              preWrap.has(column)
                ? 'white-space: pre-wrap; text-align: left; vertical-align: top; min-width: 28em;'
                : 'vertical-align: top;',
          },
        };
  const more = table.numRows() > limit ? `<p>${limit} of ${table.numRows()} rows</p>` : '';
  return displayable(() => ({
    'text/html': table.toHTML({ ...format, ...style }) + more,
    'text/plain': table.toMarkdown(format),
  }));
}

/** Markdown as a displayable (for text computed from results). */
export function markdown(text: string): Displayable {
  return displayable(() => ({ 'text/markdown': text, 'text/plain': text }));
}

type JupyterApi = { display(obj: unknown, options?: { raw?: boolean }): Promise<void> };

/** `Deno.jupyter`, or undefined outside the kernel (where reading it throws). */
function jupyterApi(): JupyterApi | undefined {
  try {
    return (globalThis as { Deno?: { jupyter?: JupyterApi } }).Deno?.jupyter;
  } catch {
    return undefined;
  }
}

/**
 * Shows each item now, in order, so one cell can show several tables and charts.
 * Outside the Jupyter kernel (e.g. `deno run`) it prints the text form instead.
 */
export async function show(...items: Displayable[]): Promise<void> {
  const jupyter = jupyterApi();
  for (const item of items) {
    const bundle = await item[DISPLAY]();
    if (jupyter) await jupyter.display(bundle, { raw: true });
    else console.log(bundle['text/plain'] ?? '');
  }
}
