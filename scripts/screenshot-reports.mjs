#!/usr/bin/env node
// Screenshots of a report folder for a reviewer: the page at 1280 px (a desktop) and at
// 400 px (a phone), each chart as the reader sees it at both widths, a district report's
// top, and every page of the PDF, listed in <folder>/screenshots/index.md. Run it after the
// report is made (scripts/make-example-report.sh):
//
//   node scripts/screenshot-reports.mjs [reports/example]
//
// Needs Debian's Chromium (bash scripts/ci-install-chromium.sh) and pdftoppm from Debian's
// poppler-utils, installed here with apt-get when missing. Tests do not use this script;
// it only shows people what the browser tests check.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const WIDTHS = [1280, 400];
/** Resolution of the PDF's page images: enough to see the layout and read the headings. */
const PDF_DPI = 50;

const folder = resolve(process.argv[2] ?? 'reports/example');
const out = join(folder, 'screenshots');
if (!existsSync(join(folder, 'report.html'))) fail(`${folder} has no report.html: make the report first (bash scripts/make-example-report.sh)`);
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: bash scripts/ci-install-chromium.sh`);
ensurePdftoppm();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const index = ['# Screenshots of the example report', '', `Made by \`node scripts/screenshot-reports.mjs ${relative(process.cwd(), folder) || '.'}\` from the report beside this folder; regenerate them whenever the report changes. Headless Chromium (${chromiumVersion()}), one CSS pixel per image pixel.`, ''];

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const district = firstDistrict(folder);
  for (const width of WIDTHS) {
    index.push(`## ${width} px wide${width < 640 ? ' (a phone)' : ' (a desktop)'}`, '');
    const page = await openPage(join(folder, 'report.html'), width);
    const layout = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
    index.push(`Page width ${layout.page} px in a ${layout.view} px window${layout.page > layout.view ? ' — WIDER THAN THE WINDOW' : ' (no sideways scroll)'}.`, '');
    await shoot(page, null, `top-${width}.png`, 'The top of the network report');
    for (const figure of await page.$$('figure.chart')) {
      const name = await figure.getAttribute('data-chart');
      await shoot(page, figure, `chart-${name}-${width}.png`, `Chart ${name}`);
    }
    await page.close();
    if (district) {
      const districtPage = await openPage(join(folder, 'districts', district, 'report.html'), width);
      const forest = await districtPage.$('figure.chart[data-chart="district_forest"]');
      if (forest) await shoot(districtPage, forest, `district-${district}-forest-${width}.png`, `District ${district}'s report: the forest plot with its district marked`);
      await districtPage.close();
    }
  }
  const pdf = join(folder, 'report.pdf');
  if (existsSync(pdf)) {
    index.push('## The PDF (Letter)', '');
    execFileSync('pdftoppm', ['-r', String(PDF_DPI), '-png', pdf, join(out, 'pdf-page')]);
    const pages = readdirSync(out).filter((f) => f.startsWith('pdf-page')).sort();
    index.push(`${pages.length} pages, shown at ${PDF_DPI} dpi.`, '');
    for (const name of pages) index.push(`![${name.replace('.png', '')}](${name})`);
    index.push('');
  }
} finally {
  await browser.close();
}

const total = readdirSync(out).reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
index.push(`${readdirSync(out).length} images, ${Math.round(total / 1024)} KB in all.`, '');
writeFileSync(join(out, 'index.md'), index.join('\n'));
console.log(`wrote ${relative(process.cwd(), out)}/index.md and ${readdirSync(out).length - 1} images (${Math.round(total / 1024)} KB)`);

async function openPage(html, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const url = pathToFileURL(html).href;
  // The report is self-contained: nothing but the file itself may load.
  await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

/** Saves a screenshot of `element` (or of the window's first screen) and lists it. */
async function shoot(page, element, name, caption) {
  const path = join(out, name);
  if (element) await element.screenshot({ path });
  else await page.screenshot({ path });
  index.push(`${caption}:`, '', `![${caption}](${name})`, '');
}

function firstDistrict(dir) {
  const districts = join(dir, 'districts');
  if (!existsSync(districts)) return undefined;
  return readdirSync(districts).sort().find((d) => existsSync(join(districts, d, 'report.html')));
}

function ensurePdftoppm() {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return;
  } catch {
    // Not installed: Debian's poppler-utils has it.
  }
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  console.log('installing poppler-utils (pdftoppm) from Debian\'s packages');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => execFileSync(asRoot.length ? 'sudo' : args[0], asRoot.length ? ['env', 'DEBIAN_FRONTEND=noninteractive', ...args] : args.slice(1), { stdio: 'inherit', env });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'poppler-utils']);
}

function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'Chromium';
  }
}

function fail(message) {
  console.error(`screenshot-reports: ${message}`);
  process.exit(1);
}
