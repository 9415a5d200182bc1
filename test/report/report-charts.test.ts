import { compile } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { buildReportCharts, REPORT_CHARTS } from '../../src/report/build-report-charts.js';
import { buildReportData } from '../../src/report/build-report-data.js';
import { buildAbsenceRateChart } from '../../src/report/charts/build-absence-rate-chart.js';
import { buildArmBarsChart } from '../../src/report/charts/build-arm-bars-chart.js';
import { buildPosteriorChart } from '../../src/report/charts/build-posterior-chart.js';
import { LABEL_SIZE, NARROW_WIDTH } from '../../src/report/charts/chart-theme.js';
import { dejaVuTextWidth } from '../../src/report/charts/dejavu-text-width.js';
import { densityFromDraws, densityFromSummary } from '../../src/report/effect-density.js';
import { renderChartSvg } from '../../src/report/render-chart-svg.js';
import { makeAnalysis, makeStudy } from './make-analysis.js';

const DISTRICTS = [
  { id: 'D01', treatment: 200, control: 210, median: 0.035, certainty: 0.78 },
  { id: 'D02', treatment: 180, control: 175, median: 0.026, certainty: 0.72 },
];

/** The elements drawn inside each mark group of a Vega SVG (`<g class="mark-<type> role-mark ...">`). */
function marksBySvgGroup(svg: string): { type: string; drawn: number }[] {
  const groups: { type: string; drawn: number }[] = [];
  for (const match of svg.matchAll(/<g class="mark-(\w+) role-mark[^"]*"[^>]*>(.*?)<\/g>/gs)) {
    groups.push({ type: match[1], drawn: (match[2].match(/<(path|rect|line|text|circle)\b/g) ?? []).length });
  }
  return groups;
}

describe('report charts', () => {
  const data = buildReportData({ analysis: makeAnalysis({ districts: DISTRICTS }), study: makeStudy(['D01', 'D02']) });
  const specs = buildReportCharts(data);

  it('a network report with the study has every chart', () => {
    expect(Object.keys(specs).sort()).toEqual([...REPORT_CHARTS].sort());
  });

  for (const name of REPORT_CHARTS) {
    it(`${name}: the spec compiles with vega-lite and renders an SVG with marks`, async () => {
      const spec = specs[name]!;
      expect(() => compile(spec)).not.toThrow();
      const svg = await renderChartSvg(spec, `t-${name}`);
      expect(svg.startsWith('<svg')).toBe(true);
      const groups = marksBySvgGroup(svg);
      expect(groups.length).toBeGreaterThan(0);
      // The chart's data marks (not just axes): some group of its kind draws elements.
      const kind = {
        posterior: 'area',
        district_forest: 'rule',
        absence_distribution: 'rect',
        absence_rate_over_time: 'line',
        attendance_tiers: 'rect',
      }[name];
      expect(groups.filter((g) => g.type === kind).reduce((s, g) => s + g.drawn, 0)).toBeGreaterThan(0);
      // Ids are prefixed so several charts can share a page.
      for (const id of svg.matchAll(/\sid="([^"]+)"/g)) expect(id[1].startsWith(`t-${name}-`)).toBe(true);
    });
  }

  it('bars: one per arm and category with a published share; the small top tiers are merged, not left out', () => {
    const tiers = specs.attendance_tiers as unknown as { data: { values: { category: string; arm: string; share: number }[] } };
    const published = data.charts.attendance_tiers!.categories.flatMap((c) => c.counts.filter((n) => n.share !== null));
    expect(tiers.data.values).toHaveLength(published.length);
    expect(tiers.data.values.find((v) => v.category === 'Under 5%' && v.arm === 'control')?.share).toBeCloseTo(54 / 120, 6);
    // Nobody missed 20% or more, so the chronic tiers show as one, "10% or more" (32 of 120 in each arm).
    const x = (specs.attendance_tiers as unknown as { encoding: { x: { scale: { domain: string[] } } } }).encoding.x;
    expect(x.scale.domain).toEqual(['Under 5%', '5–9.99%', '10% or more']);
    expect(tiers.data.values.filter((v) => v.category === '10% or more').map((v) => v.share)).toEqual([0.266667, 0.266667]);
  });

  it('bars: a category whose every cell is suppressed keeps its place on the axis, with no bar', () => {
    const table = {
      categories: [
        {
          category: 'a',
          label: '0–4',
          counts: [
            { arm: 'control', students: 30, share: 0.6 },
            { arm: 'treatment', students: 28, share: 0.56 },
          ],
        },
        {
          category: 'b',
          label: '5–9',
          counts: [
            { arm: 'control', students: null, share: null },
            { arm: 'treatment', students: null, share: null },
          ],
        },
        {
          category: 'c',
          label: '10+',
          counts: [
            { arm: 'control', students: null, share: null },
            { arm: 'treatment', students: null, share: null },
          ],
        },
      ],
      arm_totals: [
        { arm: 'control', students: 50, share: 1 },
        { arm: 'treatment', students: 50, share: 1 },
      ],
      suppressed: 4,
    };
    for (const layout of ['wide', 'narrow'] as const) {
      const spec = buildArmBarsChart(table, ['control', 'treatment'], {
        title: 't',
        subtitle: 's',
        description: 'd',
        xTitle: 'x',
        layout,
      }) as unknown as { data: { values: { category: string }[] }; encoding: Record<string, { scale?: { domain: string[] } }> };
      expect(spec.encoding[layout === 'wide' ? 'x' : 'y'].scale!.domain).toEqual(['0–4', '5–9', '10+']);
      expect(spec.data.values.map((v) => v.category)).toEqual(['0–4', '0–4']);
    }
  });

  it('wide bars: each category is as wide as its label; labels turn upright only when the bars would not fit', () => {
    const table = (labels: string[]) => ({
      categories: labels.map((label) => ({
        category: label,
        label,
        counts: [
          { arm: 'control', students: 20, share: 0.2 },
          { arm: 'treatment', students: 20, share: 0.2 },
        ],
      })),
      arm_totals: [],
      suppressed: 0,
    });
    const options = { title: 't', subtitle: 's', description: 'd', xTitle: 'x' };
    type Bars = { width: { step: number }; encoding: { x: { axis: { labelAngle: number } } } };
    // '20% or more' is 71.4 px at 11 px in DejaVu Sans: with an 8 px gap, 40 px per bar of two arms.
    const tiers = buildArmBarsChart(
      table(['Under 5%', '5–9.99%', '10–19.99%', '20% or more']),
      ['control', 'treatment'],
      options,
    ) as unknown as Bars;
    expect(dejaVuTextWidth('20% or more', 11)).toBeCloseTo(71.423, 3);
    expect(tiers.width.step).toBe(40);
    expect(tiers.encoding.x.axis.labelAngle).toBe(0);
    const many = buildArmBarsChart(
      table(Array.from({ length: 15 }, (_, k) => `${10 * k}–${10 * k + 9}`)),
      ['control', 'treatment'],
      options,
    ) as unknown as Bars;
    expect(many.encoding.x.axis.labelAngle).toBe(-90);
    expect(many.width.step).toBe(14);
  });

  it('the absence rate axis starts at zero; the subtitle says month or week as the periods are', async () => {
    const spec = specs.absence_rate_over_time as unknown as {
      title: { subtitle: string[] };
      encoding: { y: { scale: { zero: boolean } } };
    };
    expect(spec.encoding.y.scale.zero).toBe(true);
    expect(spec.title.subtitle).toEqual(['Days missed as a share of days enrolled, each month']);
    const weeks = [
      { period: 'Sep 1', from: '2025-09-01', to: '2025-09-07', arm: 'control', students: 20, absence_rate: 0.05 },
      { period: 'Sep 8', from: '2025-09-08', to: '2025-09-12', arm: 'control', students: 20, absence_rate: 0.06 },
    ];
    expect((buildAbsenceRateChart(weeks, ['control']) as unknown as { title: { subtitle: string[] } }).title.subtitle).toEqual([
      'Days missed as a share of days enrolled, each week',
    ]);
    const svg = await renderChartSvg(specs.absence_rate_over_time!, 'rate');
    expect(svg).toContain('>0.0%</text>');
  });

  it('the forest legend names only the kinds of row drawn: no "This district" in a network report', async () => {
    const legend = (spec: unknown) =>
      (spec as { layer: { encoding: { color?: { scale: { domain: string[] } } } }[] }).layer[0].encoding.color!.scale.domain;
    expect(legend(specs.district_forest)).toEqual(['District', 'Network']);
    expect(await renderChartSvg(specs.district_forest!, 'forest')).not.toContain('This district');
    const district = buildReportCharts(
      buildReportData({ analysis: makeAnalysis({ districts: DISTRICTS }), study: makeStudy(['D01', 'D02']) }, { district: 'D01' }),
    );
    expect(legend(district.district_forest)).toEqual(['District', 'This district', 'Network']);
  });

  it('a legend names only what is drawn: a posterior wholly above 0 has no "went up", an arm with every bar suppressed no entry', async () => {
    const above = buildPosteriorChart(
      { source: 'draws', points: [0.01, 0.02, 0.03].map((effect, i) => ({ effect, density: [1, 3, 1][i] })) },
      { certainty: 1 },
    ) as unknown as { layer: { encoding: { color?: { scale: { domain: string[] } } } }[] };
    expect(above.layer[0].encoding.color!.scale.domain).toEqual(['Absences went down']);
    const table = {
      categories: [
        {
          category: 'a',
          label: '0–4',
          counts: [
            { arm: 'control', students: 30, share: 0.6 },
            { arm: 'treatment', students: null, share: null },
          ],
        },
      ],
      arm_totals: [
        { arm: 'control', students: 50, share: 1 },
        { arm: 'treatment', students: null, share: null },
      ],
      suppressed: 2,
    };
    const bars = buildArmBarsChart(table, ['control', 'treatment'], {
      title: 't',
      subtitle: 's',
      description: 'd',
      xTitle: 'x',
    }) as unknown as { encoding: { color: { scale: { domain: string[]; range: string[] } } } };
    expect(bars.encoding.color.scale).toEqual({ domain: ['control'], range: ['#8a8f98'] });
    expect(await renderChartSvg(bars as never, 'legend')).not.toContain('>treatment<');
  });

  it("the posterior's line labels sit on rows of their own, right of their lines", () => {
    const layers = (specs.posterior as unknown as { layer: { mark: { type: string; y?: number; align?: string } }[] }).layer;
    const labels = layers.filter((l) => l.mark.type === 'text').map((l) => [l.mark.y, l.mark.align]);
    expect(labels).toEqual([
      [2, 'left'],
      [16, 'left'],
    ]);
  });

  it('narrow charts are drawn at most 330 px wide, at their own size, so a phone shows their text at full size', async () => {
    const narrow = buildReportCharts(data, 'narrow');
    expect(Object.keys(narrow).sort()).toEqual([...REPORT_CHARTS].sort());
    for (const [name, spec] of Object.entries(narrow)) {
      const svg = await renderChartSvg(spec, `n-${name}`);
      const width = Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
      expect(width, name).toBeLessThanOrEqual(NARROW_WIDTH);
      expect(width, name).toBeGreaterThan(NARROW_WIDTH - 40);
      // No text smaller than the labels' 11 px.
      for (const size of svg.matchAll(/font-size="([\d.]+)px"/g)) expect(Number(size[1]), name).toBeGreaterThanOrEqual(LABEL_SIZE);
    }
  });

  it('the posterior marks 0% and 5% and is shaded above 0', () => {
    const layers = (specs.posterior as unknown as { layer: { data: { values: { effect: number; region?: string }[] } }[] }).layer;
    expect(layers[1].data.values.map((v) => v.effect)).toEqual([0, 0.05]);
    const area = layers[0].data.values;
    expect(area.filter((v) => v.region === 'Absences went down').every((v) => v.effect >= 0)).toBe(true);
    expect(area.filter((v) => v.region === 'Absences went up').every((v) => v.effect <= 0)).toBe(true);
  });

  it('the forest plot has each district and the pooled network effect', () => {
    const values = (specs.district_forest as unknown as { data: { values: { name: string; median: number }[] } }).data.values;
    expect(values.map((v) => [v.name, v.median])).toEqual([
      ['D01 Unified', 0.035],
      ['D02 Unified', 0.026],
      ['Network (all districts)', 0.024],
    ]);
  });

  it('a report from an analysis alone has only the posterior and forest charts', () => {
    const alone = buildReportCharts(buildReportData({ analysis: makeAnalysis({ districts: DISTRICTS }) }));
    expect(Object.keys(alone).sort()).toEqual(['district_forest', 'posterior']);
  });
});

describe('effect densities', () => {
  it('densityFromSummary integrates to 1 and peaks at 1 - exp(mean - sd^2) (the mode after the change of variables)', () => {
    const m = Math.log(1 - 0.024);
    const s = 0.03;
    const d = densityFromSummary({ mean: m, sd: s, median: m, q025: 0, q05: 0, q95: 0, q975: 0 });
    const pts = d.points;
    let area = 0;
    for (let i = 1; i < pts.length; i++) area += ((pts[i].effect - pts[i - 1].effect) * (pts[i].density + pts[i - 1].density)) / 2;
    expect(area).toBeCloseTo(1, 3);
    // f(e) = phi((log(1-e) - m)/s) / (s (1-e)); with u = log(1-e), the density of u times e^-u peaks at u = m - s^2.
    const peak = pts.reduce((a, b) => (b.density > a.density ? b : a));
    // The grid is 161 points over m ± 4 s: the peak is within half a step of the mode.
    const step = pts[1].effect - pts[0].effect;
    expect(Math.abs(peak.effect - (1 - Math.exp(m - s * s)))).toBeLessThanOrEqual(step / 2);
  });

  it('densityFromDraws of normal quantiles integrates to 1 and centres on their mean', () => {
    // 2,001 evenly spaced normal quantiles (a deterministic "sample") with mean 0.02, sd 0.01.
    const draws = Array.from({ length: 2001 }, (_, i) => 0.02 + 0.01 * inverseNormal((i + 0.5) / 2001));
    const pts = densityFromDraws(draws).points;
    let area = 0;
    let first = 0;
    for (let i = 1; i < pts.length; i++) {
      const w = pts[i].effect - pts[i - 1].effect;
      area += (w * (pts[i].density + pts[i - 1].density)) / 2;
      first += (w * (pts[i].effect * pts[i].density + pts[i - 1].effect * pts[i - 1].density)) / 2;
    }
    expect(area).toBeCloseTo(1, 2);
    expect(first).toBeCloseTo(0.02, 4);
  });
});

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}
