import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/report/build-report-data.js';
import { formatCertainty } from '../../src/report/format-figures.js';
import { renderReportFiles } from '../../src/report/render-report-files.js';
import type { ReportData } from '../../src/report/report-data.js';
import { makeAnalysis, makeStudy } from './make-analysis.js';

/*
 * A district report speaks to the district's superintendent: every figure in its body is
 * the district's own, or is labelled as the network's (or as another district's, in the
 * table of districts); the statistical words live in the "For researchers" appendix.
 * The figures are chosen so the district's and the network's never print alike.
 */
const DISTRICTS = [
  { id: 'D01', treatment: 200, control: 210, median: 0.035, certainty: 0.93, days: 0.42 },
  { id: 'D02', treatment: 180, control: 175, median: -0.017, certainty: 0.27, days: -0.18 },
  { id: 'D03', treatment: 160, control: 170, median: 0.019, certainty: 0.68, days: 0.21 },
];
const NAMES = ['D01 Unified', 'D02 Unified', 'D03 Unified'];

async function renderDistrict(district: string): Promise<{ html: string; data: ReportData }> {
  const data = buildReportData(
    { analysis: makeAnalysis({ districts: DISTRICTS }), study: makeStudy(DISTRICTS.map((d) => d.id)) },
    { district },
  );
  const files = await renderReportFiles(data);
  return {
    html: files.find((f) => f.name === 'report.html')!.contents,
    data: JSON.parse(files.find((f) => f.name === 'report.json')!.contents) as ReportData,
  };
}

/** The page's body: what a superintendent reads, before the "For researchers" appendix. */
function body(html: string): string {
  const main = html.slice(html.indexOf('<main>'), html.indexOf('</main>'));
  const appendix = main.indexOf('id="for-researchers"');
  expect(appendix).toBeGreaterThan(0);
  return main.slice(0, main.lastIndexOf('<section', appendix));
}

const untag = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&[a-z]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The body cut into the units a reader takes in at once: paragraphs, headings, captions, cautions, table rows. Charts are left out (their text is checked for words, below). */
function units(html: string): string[] {
  return body(html)
    .replace(/<svg.*?<\/svg>/gs, '')
    .split(/<\/(?:p|tr|h[1-6]|figcaption|div)>/)
    .map(untag)
    .filter((u) => u.length > 0);
}

/** Every way a number can be printed (as format-figures prints them). */
function forms(values: readonly number[]): Set<string> {
  const out = new Set<string>();
  for (const v of values) {
    const a = Math.abs(v);
    for (const d of [0, 1, 2]) {
      out.add(a.toFixed(d));
      out.add(`${(100 * a).toFixed(d)}%`);
    }
    out.add(Math.round(a).toLocaleString('en-US'));
    out.add(formatCertainty(a).replace(/^(over|under) /, ''));
  }
  return out;
}

/** Numbers of a JSON value, skipping the keys given (the network's and other districts' figures). */
function numbersOf(value: unknown, skip: readonly string[] = []): number[] {
  const found: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') found.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!skip.includes(k)) walk(x);
  };
  walk(value);
  return found;
}

/** The network's and the other districts' figures, the methods (appendix only), and the effect curve's grid (drawn, not printed). */
const NOT_OWN = ['network_effect', 'network_days_avoided', 'district_effects', 'decision', 'chance', 'methods', 'points'];

/**
 * The district's own figures (report.json less the network's and the other districts'),
 * numbers inside its own labels (tier names), and the report's fixed rules: 80%, 90%, 5%,
 * 10 students, per 100. Dates are not figures and are left out of the count.
 */
function ownForms(data: ReportData): Set<string> {
  const own = numbersOf(data, NOT_OWN);
  const rules = [0, 0.05, 0.8, 0.9, 10, 100, 0.9, 0.95, data.scope.districts];
  const out = forms([...own, ...rules]);
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!NOT_OWN.includes(k)) walk(x);
  };
  walk(data);
  for (const text of strings) for (const m of withoutDates(text).matchAll(/\d[\d,]*(?:\.\d+)?%?/g)) out.add(m[0]);
  return out;
}

const withoutDates = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}/g, ' ');

/** Numbers in units that are neither the district's own figure nor labelled as someone else's. */
function untracedNumbers(html: string, data: ReportData): string[] {
  const own = ownForms(data);
  const others = NAMES.filter((n) => n !== data.scope.name);
  const bad: string[] = [];
  for (const unit of units(html)) {
    const labelled = /network/i.test(unit) || others.some((n) => unit.includes(n));
    if (labelled) continue;
    for (const match of withoutDates(unit).matchAll(/(?<![\w.])\d[\d,]*(?:\.\d+)?%?/g)) {
      const token = match[0].replace(/[,.]$/, '');
      if (!own.has(token)) bad.push(`${token} in "${unit}"`);
    }
  }
  return bad;
}

describe("a district report: every number is the district's own or labelled otherwise", () => {
  it("days not missed are the district's own (from its own estimate), the network's shown beside them and labelled", async () => {
    const { html, data } = await renderDistrict('D02');
    expect(data.days_avoided).toMatchObject({ scope: 'district', district: 'D02' });
    expect(data.days_avoided.per_100_treated.mean).toBeCloseTo(-18, 9);
    expect(data.network_days_avoided).toMatchObject({ scope: 'network' });
    expect(data.network_days_avoided!.per_100_treated.mean).toBeCloseTo(31, 9);
    const rows = units(html).filter((u) => u.startsWith('Per 100 such students'));
    // Negative days not missed read in words: D02's students sent the messages missed more days.
    expect(rows).toEqual([
      'Per 100 such students, in D02 Unified 18 more from 51 more to 15 fewer',
      'Per 100 such students, across the network (all 3 districts) 31 fewer from 2 more to 64 fewer',
    ]);
  });

  for (const district of ['D01', 'D02', 'D03']) {
    it(`${district}: no figure in the body is another's without a label`, async () => {
      const { html, data } = await renderDistrict(district);
      expect(untracedNumbers(html, data)).toEqual([]);
    });
  }

  it("the audit has teeth: the network's days avoided unlabelled, or another district's estimate, are caught", async () => {
    const { html, data } = await renderDistrict('D02');
    const planted = html.replace(
      '<h2>How big was the effect?</h2>',
      '<p>About 31 fewer days missed per 100 students.</p><p>Absences fell 3.5%.</p><h2>How big was the effect?</h2>',
    );
    expect(untracedNumbers(planted, data)).toEqual([
      '31 in "About 31 fewer days missed per 100 students."',
      '3.5% in "Absences fell 3.5%."',
    ]);
  });
});

describe('a district report speaks plainly', () => {
  const JARGON = /posterior|plausibility|partially pooled|R-hat|\bESS\b|E-BFMI|adapt_delta|NUTS/i;

  for (const district of ['D01', 'D02']) {
    it(`${district}: no statistical jargon in the body, charts included; the appendix has it`, async () => {
      const { html } = await renderDistrict(district);
      const text = untag(body(html));
      expect(text.match(JARGON)).toBeNull();
      const appendix = untag(html.slice(html.lastIndexOf('<section', html.indexOf('id="for-researchers"'))));
      expect(appendix).toMatch(/^For researchers/);
      for (const word of ['posterior', 'partially pooled', 'R-hat', 'ESS', 'E-BFMI', 'adapt_delta', 'NUTS'])
        expect(appendix).toContain(word);
    });
  }

  it("the network report's body is plain too, and its table of districts shows leanings with the chance count", async () => {
    const data = buildReportData({ analysis: makeAnalysis({ districts: DISTRICTS }), study: makeStudy(DISTRICTS.map((d) => d.id)) });
    const html = (await renderReportFiles(data)).find((f) => f.name === 'report.html')!.contents;
    const text = untag(body(html));
    expect(text.match(JARGON)).toBeNull();
    expect(text).toContain('D01 Unified 3.5% -1.4% to 8.4% 93% leans toward fewer absences');
    expect(text).toContain('D02 Unified -1.7% -6.6% to 3.2% 27% does not lean clearly either way');
    expect(text).toContain('so across 3 districts about 0.6 would by chance alone. Here 1 of 3 leans toward fewer absences.');
  });

  it("the district's result is a leaning, not a verdict; the verdict is the network's and says so; chance is counted", async () => {
    const { html, data } = await renderDistrict('D01');
    expect(data.decision.basis).toBe('network');
    expect(data.district_evidence).toMatchObject({ district: 'D01', leaning: 'fewer', certainty: 0.93 });
    const text = untag(body(html));
    expect(text).toContain(
      'On its own, the evidence in D01 Unified leans toward fewer absences: we are 93% certain absences went down there',
    );
    expect(text).toContain("This is the study's decision, made across the network of 3 districts as the study was designed.");
    // 3 districts x (1 - 0.80): about 0.6 would lean toward fewer absences by chance alone.
    expect(data.chance).toMatchObject({
      districts: 3,
      leaning_fewer: 1,
      chance_each: expect.closeTo(0.2, 12),
      expected_by_chance: expect.closeTo(0.6, 12),
    });
    expect(text).toContain(
      'each district would have about a 1 in 5 chance of reaching 80% certainty that absences went down, so across 3 districts about 0.6 would by chance alone. Here 1 of 3 leans toward fewer absences.',
    );
    expect(text).not.toMatch(/Working:|Not shown to work.*D01/);
  });

  it('a raw chart that points the other way from the estimate is explained in one sentence', async () => {
    // makeStudy gives treatment students a day fewer absent in 1 of 5: raw figures say fewer.
    // D02's estimate says more: the two disagree, and the page says why.
    const { html, data } = await renderDistrict('D02');
    expect(data.raw_vs_estimate?.agree).toBe(false);
    expect(data.raw_vs_estimate?.raw_reduction).toBeGreaterThan(0);
    expect(untag(body(html))).toContain(
      "In these raw figures students whose caregivers were sent the messages missed a smaller share of days than the others, yet the estimate above says more absences, because the estimate compares students within the same school and grade and allows for each student's absences before the study, and it draws on the other districts' results as well as this district's, while the raw figures do none of that.",
    );
    const agreeing = await renderDistrict('D01');
    expect(agreeing.data.raw_vs_estimate?.agree).toBe(true);
  });
});
