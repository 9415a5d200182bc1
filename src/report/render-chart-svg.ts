import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import { dejaVuTextWidth } from './charts/dejavu-text-width.js';

/**
 * Renders a Vega-Lite spec to a static SVG string in Node: compiled to Vega, run in a
 * headless View (renderer 'none'), and serialized with `toSVG()`. No script and no
 * network: the data are inline. `idPrefix` makes the SVG's ids (clip paths, gradients)
 * unique so several charts can sit inline in one HTML page. Text is measured in DejaVu
 * Sans, the charts' font, while the chart is laid out (see `withDejaVuMetrics`).
 */
export async function renderChartSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { spec: vegaSpec } = compile(spec, { logger: quietLogger });
  // A loader that refuses every URL: a report chart must never fetch anything.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`renderChartSvg: charts must carry their data inline, but one asked for ${uri}`);
  };
  return withDejaVuMetrics(async () => {
    const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader });
    try {
      return prefixIds(await view.toSVG(), idPrefix);
    } finally {
      view.finalize();
    }
  });
}

/**
 * Vega-Lite's notes while compiling (e.g. that an autosize does not apply to a discrete
 * axis) are about a spec we wrote on purpose: kept off the user's console, errors thrown.
 */
const quietLogger = {
  level() {
    return quietLogger;
  },
  error(...args: readonly unknown[]): never {
    throw new Error(`renderChartSvg: ${args.join(' ')}`);
  },
  warn() {
    return quietLogger;
  },
  info() {
    return quietLogger;
  },
  debug() {
    return quietLogger;
  },
};

type TextWidth = (item: { fontSize?: number; fontWeight?: string | number; limit?: number }, text: unknown) => number;
/** Vega's text measure: exported by vega-scenegraph (and re-exported by vega), not in vega's types. */
const textMetrics = (vega as unknown as { textMetrics: { width: TextWidth } }).textMetrics;
let measuring = 0;
let vegaWidth: TextWidth | undefined;

/**
 * Runs `render` with Vega measuring text in DejaVu Sans (Vega's documented hook, the one
 * vl-convert uses), and gives Vega back its own measure after the last render ends, so a
 * program that uses Vega for something else is not changed by a report.
 */
async function withDejaVuMetrics<T>(render: () => Promise<T>): Promise<T> {
  if (measuring++ === 0) {
    vegaWidth = textMetrics.width;
    textMetrics.width = (item, text) => {
      const size = item.fontSize ?? 11;
      const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
      const width = dejaVuTextWidth(String(text ?? '').trim(), size, bold);
      // A label with a limit is truncated to it (Vega asks with each candidate shortening).
      return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
    };
  }
  try {
    return await render();
  } finally {
    if (--measuring === 0) textMetrics.width = vegaWidth!;
  }
}

/** Renames every `id="x"` to `id="<prefix>-x"` and the references to it. */
function prefixIds(svg: string, prefix: string): string {
  const ids = new Set<string>();
  for (const match of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(match[1]);
  let out = svg;
  for (const id of ids) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`(\\sid=")${escaped}(")`, 'g'), `$1${prefix}-${id}$2`)
      .replace(new RegExp(`url\\(#${escaped}\\)`, 'g'), `url(#${prefix}-${id})`)
      .replace(new RegExp(`(href=")#${escaped}(")`, 'g'), `$1#${prefix}-${id}$2`);
  }
  return out;
}
