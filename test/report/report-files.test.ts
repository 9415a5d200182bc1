import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/report/build-report-data.js';
import { formatCertainty } from '../../src/report/format-figures.js';
import { renderReportFiles } from '../../src/report/render-report-files.js';
import { makeAnalysis, makeStudy } from './make-analysis.js';

/** The text a reader sees: the page without its head, styles and charts, tags removed. */
function visibleText(html: string): string {
  return html
    .replace(/<head>.*?<\/head>/s, '')
    .replace(/<svg.*?<\/svg>/gs, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');
}

/** Every way report.json's numbers can be printed (percent, certainty, count, fixed decimals). */
function printedForms(json: unknown): Set<string> {
  const forms = new Set<string>();
  const add = (v: number) => {
    const a = Math.abs(v);
    forms.add(String(a));
    for (const d of [0, 1, 2, 3]) {
      forms.add(a.toFixed(d));
      forms.add(`${(100 * a).toFixed(d)}%`);
    }
    forms.add(Math.round(a).toLocaleString('en-US'));
    forms.add(formatCertainty(a).replace(/^(over|under) /, ''));
  };
  const walk = (v: unknown): void => {
    if (typeof v === 'number') add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(json);
  return forms;
}

/** Numbers on the page that report.json has neither as a number nor inside its text. */
function figuresNotInJson(html: string, jsonText: string): string[] {
  const json = JSON.parse(jsonText);
  const forms = printedForms(json);
  const strings: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) strings.push(k), collect(x);
  };
  collect(json);
  const missing = new Set<string>();
  for (const match of visibleText(html).matchAll(/\d[\d,]*(?:\.\d+)?%?/g)) {
    const token = match[0].replace(/[,.]$/, '');
    if (forms.has(token) || strings.some((s) => s.includes(token))) continue;
    missing.add(token);
  }
  return [...missing];
}

const DISTRICTS = [
  { id: 'D01', treatment: 200, control: 210, median: 0.035, certainty: 0.78 },
  { id: 'D02', treatment: 180, control: 175, median: 0.026, certainty: 0.72 },
  { id: 'D03', treatment: 6, control: 5, median: 0.02, certainty: 0.6 },
];

describe('renderReportFiles', () => {
  it('writes report.html, report.json and one .vl.json per chart', async () => {
    const files = await renderReportFiles(
      buildReportData({ analysis: makeAnalysis({ districts: DISTRICTS }), study: makeStudy(['D01', 'D02', 'D03']) }),
    );
    expect(files.map((f) => f.name).sort()).toEqual([
      'absence-distribution.vl.json',
      'absence-rate-over-time.vl.json',
      'attendance-tiers.vl.json',
      'district-forest.vl.json',
      'posterior.vl.json',
      'report.html',
      'report.json',
    ]);
  });

  const cases = {
    'a network report with the study': () =>
      buildReportData({
        analysis: makeAnalysis({ districts: DISTRICTS, window: { from: '2025-09-01', to: '2025-10-31' } }),
        study: makeStudy(['D01', 'D02', 'D03']),
      }),
    'a district report': () =>
      buildReportData({ analysis: makeAnalysis({ districts: DISTRICTS }), study: makeStudy(['D01', 'D02', 'D03']) }, { district: 'D02' }),
    'a flagged one-district report from an analysis alone': () =>
      buildReportData({ analysis: makeAnalysis({ flagged: true, effort: 'high' }) }),
  };
  for (const [name, make] of Object.entries(cases)) {
    it(`report.json holds every figure report.html shows: ${name}`, async () => {
      const files = await renderReportFiles(make());
      const html = files.find((f) => f.name === 'report.html')!.contents;
      const json = files.find((f) => f.name === 'report.json')!.contents;
      expect(figuresNotInJson(html, json)).toEqual([]);
    });
  }

  it('the audit has teeth: a figure only on the page is caught', async () => {
    const files = await renderReportFiles(buildReportData({ analysis: makeAnalysis() }));
    const html = files.find((f) => f.name === 'report.html')!.contents.replace('</main>', '<p>We avoided 8,765 days.</p></main>');
    expect(figuresNotInJson(html, files.find((f) => f.name === 'report.json')!.contents)).toEqual(['8,765']);
  });

  it('the page is self-contained: no script, no external resource', async () => {
    const files = await renderReportFiles(
      buildReportData({ analysis: makeAnalysis({ districts: DISTRICTS }), study: makeStudy(['D01', 'D02', 'D03']) }),
    );
    const html = files.find((f) => f.name === 'report.html')!.contents;
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\((?!#)/i);
    expect(html).not.toMatch(/(?:src|href)="(?!#)/);
    expect(html.match(/<figure class="chart"/g)).toHaveLength(5);
  });
});
