import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/report/build-report-data.js';
import { readReportStudy } from '../../src/report/read-report-study.js';
import { renderReportFiles } from '../../src/report/render-report-files.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH, renderReportPdfs } from '../../src/report/write-report-pdf.js';
import { FIXTURE_STUDY } from '../helpers/fixtures.js';
import { browserSuite, hasChromium, requireChromiumInCi } from './chromium.js';
import { makeAnalysis } from './make-analysis.js';
import { hasPdftotext, headingsOf, measurePageLayout, readPdfLines } from './report-layout.js';

/*
 * The report as a reader sees it, in Debian's Chromium: on a desktop (1280 px) and a
 * phone (400 px) and on paper. The network report and one district's are made here from
 * the shipped fixtures' study (3 districts with long names, 1,496 students) and a
 * hand-made analysis, so no fit runs.
 * REPORT_LAYOUT_DIRS=reports/example,reports/demo checks made report folders the same way;
 * REPORT_LAYOUT_OUT=folder keeps the report made here in that folder, to look at.
 */

requireChromiumInCi({ pdftotext: true });

const WIDTHS = [1280, 400] as const;
/** Below this width the page shows each chart's narrow drawing (src/report/report-style.ts). */
const PHONE = 640;
/** The smallest chart text a reader is asked to read, in CSS px. */
const MIN_TEXT_PX = 10;
/** The footer's band at the bottom of a Letter page, in points (the page margin is 16 mm). */
const FOOTER_TOP = 792 - 16 * (72 / 25.4);

/** Report pages to check: the one made here, and those of REPORT_LAYOUT_DIRS. */
async function reportsUnder(dir: string): Promise<string[]> {
  const pages = [join(dir, 'report.html')];
  const districts = join(dir, 'districts');
  if (existsSync(districts)) for (const d of (await readdir(districts)).sort()) pages.push(join(districts, d, 'report.html'));
  return pages.filter((p) => existsSync(p));
}

const extraDirs = (process.env.REPORT_LAYOUT_DIRS ?? '')
  .split(',')
  .filter(Boolean)
  .map((d) => resolve(d));

describe.skipIf(!hasChromium)(browserSuite('the report read on a desktop, a phone and paper (Chromium)', { pdftotext: true }), () => {
  let dir: string;
  let browser: Browser;
  let pages: string[];
  beforeAll(async () => {
    dir = process.env.REPORT_LAYOUT_OUT ? resolve(process.env.REPORT_LAYOUT_OUT) : await mkdtemp(join(tmpdir(), 'pilot-layout-'));
    const { study } = await readReportStudy({ ...FIXTURE_STUDY, window: { from: '2025-08-18', to: '2026-05-29' } });
    const analysis = makeAnalysis({
      window: { from: '2025-08-18', to: '2026-05-29' },
      districts: [
        { id: 'D01', treatment: 164, control: 164, median: 0.031, certainty: 0.78 },
        { id: 'D02', treatment: 190, control: 210, median: 0.02, certainty: 0.7 },
        { id: 'D03', treatment: 375, control: 393, median: 0.012, certainty: 0.65 },
      ],
    });
    // The network report and one district's (its forest plot marks the district), each with its PDF.
    pages = [];
    for (const [folder, district] of [
      ['network', undefined],
      ['D01', 'D01'],
    ] as const) {
      const files = await renderReportFiles(buildReportData({ analysis, study }, { district }));
      await mkdir(join(dir, folder), { recursive: true });
      for (const f of files) await writeFile(join(dir, folder, f.name), f.contents);
      const html = files.find((f) => f.name === 'report.html')!.contents;
      const [pdf] = await renderReportPdfs([html]);
      await writeFile(join(dir, folder, 'report.pdf'), pdf);
      pages.push(join(dir, folder, 'report.html'));
    }
    for (const extra of extraDirs) pages.push(...(await reportsUnder(extra)));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (dir && !process.env.REPORT_LAYOUT_OUT) await rm(dir, { recursive: true, force: true });
  });

  it('the measure itself finds a page too wide, overlapping chart labels, cut-off text and tiny text (a page made to have them)', async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 600 } });
    try {
      // The old tiers chart's fault: labels wider than their bars' step, and a 640 px drawing squeezed to 320.
      await page.setContent(`<body style="margin:0"><div style="width:700px">wide</div><figure class="chart" data-chart="t" style="width:320px;margin:0">
        <svg class="marks chart-wide" width="640" height="100" viewBox="0 0 640 100" style="width:100%;height:auto">
        <text x="10" y="50" font-size="11">10–19.99%</text><text x="40" y="50" font-size="11">20–49.99%</text><text x="600" y="50" font-size="11">cut off here</text></svg></figure></body>`);
      const layout = await measurePageLayout(page, MIN_TEXT_PX);
      expect(layout.pageWidth).toBeGreaterThan(layout.viewportWidth);
      expect(layout.charts).toEqual(['t']);
      expect(layout.overlaps).toEqual(["t: '10–19.99%' / '20–49.99%'"]);
      expect(layout.clipped).toEqual(["t: 'cut off here'"]);
      expect(layout.smallText).toHaveLength(3);
      expect(layout.smallestText).toBeCloseTo(5.5, 1);
    } finally {
      await page.close();
    }
  });

  for (const width of WIDTHS) {
    it(`at ${width} px: no page wider than the window, each chart drawn for the width, no two chart texts overlapping, none cut off, none under ${MIN_TEXT_PX} px`, async () => {
      expect(pages.length).toBeGreaterThanOrEqual(2);
      for (const html of pages) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        try {
          await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
          const layout = await measurePageLayout(page, MIN_TEXT_PX);
          const where = `${html} at ${width} px`;
          expect(layout.viewportWidth, where).toBe(width);
          expect(layout.pageWidth, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(layout.viewportWidth);
          // One drawing of each chart on screen: the wide one on a desktop, the narrow one on a phone.
          const figures = await page.$$eval('figure.chart', (f) => f.map((x) => x.getAttribute('data-chart')));
          expect(layout.charts, where).toEqual(figures);
          const shown = await page.$$eval('figure.chart svg', (svgs) =>
            svgs.filter((s) => s.getBoundingClientRect().width > 0).map((s) => s.getAttribute('class')),
          );
          for (const c of shown) expect(c, where).toContain(width < PHONE ? 'chart-narrow' : 'chart-wide');
          expect(layout.overlaps, where).toEqual([]);
          expect(layout.clipped, where).toEqual([]);
          expect(layout.smallText, where).toEqual([]);
          expect(layout.smallestText, where).toBeGreaterThanOrEqual(MIN_TEXT_PX);
          // A table wider than the page scrolls inside its own box.
          const tables = await page.$$eval('table', (ts) =>
            ts.map((t) => ({
              inBox: t.parentElement?.classList.contains('table-scroll') ?? false,
              right: t.parentElement!.getBoundingClientRect().right,
            })),
          );
          for (const t of tables) {
            expect(t.inBox, where).toBe(true);
            expect(t.right, where).toBeLessThanOrEqual(width);
          }
        } finally {
          await page.close();
        }
      }
    });
  }

  it.skipIf(!hasPdftotext())(
    'the PDF: every page has the footer (report name, "Page n of N"), no heading ends a page, and the first page is filled',
    async () => {
      const pdfs = pages.map((p) => p.replace(/report\.html$/, 'report.pdf')).filter((p) => existsSync(p));
      expect(pdfs.length).toBeGreaterThanOrEqual(2);
      for (const pdf of pdfs) {
        const html = await readFile(pdf.replace(/report\.pdf$/, 'report.html'), 'utf8');
        const title = /<title>(.*?)<\/title>/s.exec(html)![1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
        const headings = new Set(headingsOf(html));
        const printed = readPdfLines(pdf);
        // The raw PDF's page objects agree with what pdftotext read.
        const raw = (await readFile(pdf)).toString('latin1');
        expect(printed.length, pdf).toBe((raw.match(/\/Type\s*\/Page\b/g) ?? []).length);
        expect(printed.length, pdf).toBeGreaterThanOrEqual(4);
        printed.forEach((page, i) => {
          const where = `${pdf} page ${i + 1}`;
          expect([page.width, page.height], where).toEqual([612, 792]);
          const footer = page.lines
            .filter((l) => l.top >= FOOTER_TOP)
            .map((l) => l.text)
            .join(' ');
          expect(footer, where).toContain(`Page ${i + 1} of ${printed.length}`);
          expect(footer, where).toContain(title);
          const body = page.lines.filter((l) => l.top < FOOTER_TOP);
          expect(body.length, `${where} is empty`).toBeGreaterThan(0);
          // The page's last line, and its last two (a heading on two lines), are no heading.
          const last = body[body.length - 1].text;
          const lastTwo = body.length > 1 ? `${body[body.length - 2].text} ${last}` : last;
          expect(headings.has(last) || headings.has(lastTwo), `${where} ends with the heading "${last}"`).toBe(false);
        });
        // No half-blank first page: its text runs at least two-thirds of the way down.
        const first = printed[0].lines.filter((l) => l.top < FOOTER_TOP);
        expect(first[first.length - 1].bottom, `${pdf}: page 1 ends early`).toBeGreaterThan((2 / 3) * FOOTER_TOP);
      }
    },
  );
});
