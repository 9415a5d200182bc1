import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/report/write-report-pdf.js';
import { tempDir } from '../helpers/temp-dir.js';
import { browserSuite, hasChromium, requireChromiumInCi } from './chromium.js';
import { makeAnalysis, makeStudy } from './make-analysis.js';

requireChromiumInCi();

const DISTRICTS = [
  { id: 'D01', treatment: 200, control: 210, median: 0.035, certainty: 0.78 },
  { id: 'D02', treatment: 180, control: 175, median: 0.026, certainty: 0.72 },
];

describe.skipIf(!hasChromium)(browserSuite('report.html in headless Chromium'), () => {
  it('opens from disk with no console error and no request but the file; every chart has marks; a screenshot is saved', async () => {
    const dir = await tempDir();
    const [report] = await writeReport(join(dir, 'report'), {
      analysis: makeAnalysis({ districts: DISTRICTS }),
      study: makeStudy(['D01', 'D02']),
    });
    const url = pathToFileURL(report.html).href;
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1200 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(url, { waitUntil: 'networkidle' });
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      const charts = await page.$$eval('figure.chart', (figures) =>
        figures.map((figure) => {
          const svg = figure.querySelector('svg');
          const marks = svg
            ? [...svg.querySelectorAll('g.role-mark')].reduce((n, g) => n + g.querySelectorAll('path, rect, line, circle').length, 0)
            : 0;
          const box = svg?.getBoundingClientRect();
          return { chart: figure.getAttribute('data-chart'), marks, width: box?.width ?? 0, height: box?.height ?? 0 };
        }),
      );
      expect(charts.map((c) => c.chart)).toEqual([
        'posterior',
        'district_forest',
        'absence_distribution',
        'absence_rate_over_time',
        'attendance_tiers',
      ]);
      for (const c of charts) {
        expect(c.marks, c.chart!).toBeGreaterThan(0);
        expect(c.width, c.chart!).toBeGreaterThan(100);
        expect(c.height, c.chart!).toBeGreaterThan(50);
      }
      // Nothing wider than the page: the charts scale down inside it.
      expect(await page.$eval('html', (html) => html.scrollWidth <= html.clientWidth)).toBe(true);
      const shot = join(dir, 'report.png');
      await page.screenshot({ path: shot, fullPage: true });
      const png = await readFile(shot);
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(png.length).toBeGreaterThan(50_000);
    } finally {
      await browser.close();
    }
  });
});
