import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/**
 * Renders a Vega-Lite spec to a static SVG string in Node: compiled to Vega, run in a
 * headless View (renderer 'none'), and serialized with `toSVG()`. No script and no
 * network: the data are inline. `idPrefix` makes the SVG's ids (clip paths, gradients)
 * unique so several charts can sit inline in one HTML page.
 */
export async function renderChartSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { spec: vegaSpec } = compile(spec);
  // A loader that refuses every URL: a report chart must never fetch anything.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`renderChartSvg: charts must carry their data inline, but one asked for ${uri}`);
  };
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader });
  try {
    const svg = await view.toSVG();
    return prefixIds(svg, idPrefix);
  } finally {
    view.finalize();
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
