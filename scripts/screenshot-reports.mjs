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
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const WIDTHS = [1280, 400];
/** Resolution of the PDF's page images: enough to see the layout and read the headings. */
const PDF_DPI = 50;

const folder = resolve(process.argv[2] ?? 'reports/example');
const out = join(folder, 'screenshots');
if (!existsSync(join(folder, 'report.html')))
  fail(`${folder} has no report.html: make the report first (bash scripts/make-example-report.sh)`);
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: bash scripts/ci-install-chromium.sh`);
ensurePdftoppm();

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const index = [
  '# Screenshots of the example report',
  '',
  `Made by \`node scripts/screenshot-reports.mjs ${relative(process.cwd(), folder) || '.'}\` from the report beside this folder; regenerate them whenever the report changes. Headless Chromium (${chromiumVersion()}), one CSS pixel per image pixel.`,
  '',
];

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const district = firstDistrict(folder);
  for (const width of WIDTHS) {
    index.push(`## ${width} px wide${width < 640 ? ' (a phone)' : ' (a desktop)'}`, '');
    const page = await openPage(join(folder, 'report.html'), width);
    const layout = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth }));
    index.push(
      `Page width ${layout.page} px in a ${layout.view} px window${layout.page > layout.view ? ' — WIDER THAN THE WINDOW' : ' (no sideways scroll)'}.`,
      '',
    );
    await shoot(page, null, `top-${width}.png`, 'The top of the network report');
    for (const figure of await page.$$('figure.chart')) {
      const name = await figure.getAttribute('data-chart');
      await shoot(page, figure, `chart-${name}-${width}.png`, `Chart ${name}`);
    }
    await page.close();
    if (district) {
      const districtPage = await openPage(join(folder, 'districts', district, 'report.html'), width);
      const forest = await districtPage.$('figure.chart[data-chart="district_forest"]');
      if (forest)
        await shoot(
          districtPage,
          forest,
          `district-${district}-forest-${width}.png`,
          `District ${district}'s report: the forest plot with its district marked`,
        );
      await districtPage.close();
    }
  }
  const pdf = join(folder, 'report.pdf');
  if (existsSync(pdf)) {
    index.push('## The PDF (Letter)', '');
    execFileSync('pdftoppm', ['-r', String(PDF_DPI), '-png', pdf, join(out, 'pdf-page')]);
    const pages = readdirSync(out)
      .filter((f) => f.startsWith('pdf-page'))
      .sort();
    for (const name of pages) writeFileSync(join(out, name), toPalettePng(readFileSync(join(out, name))));
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
  const png = element ? await element.screenshot() : await page.screenshot();
  writeFileSync(join(out, name), toPalettePng(png));
  index.push(`${caption}:`, '', `![${caption}](${name})`, '');
}

/**
 * The PNG with at most 256 colors (a palette image), about a third of the size of the
 * browser's true-color PNG: screenshots of text and flat charts have few colors that
 * matter. The palette is the 256 most common colors (counted in 5-bit steps); every other
 * color is drawn as the nearest of them. Reads 8-bit RGB or RGBA, non-interlaced.
 */
function toPalettePng(png) {
  const chunks = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    chunks.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  const header = chunks.find((c) => c.type === 'IHDR').data;
  const [width, height, depth, colorType, interlace] = [header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9], header[12]];
  if (depth !== 8 || (colorType !== 2 && colorType !== 6) || interlace !== 0) return png;
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = width * bpp;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const at = y * stride;
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? pixels[at + x - bpp] : 0;
      const up = y > 0 ? pixels[at - stride + x] : 0;
      const upLeft = x >= bpp && y > 0 ? pixels[at - stride + x - bpp] : 0;
      const predict = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      pixels[at + x] = (row[x] + predict) & 255;
    }
  }
  // Count colors in 5-bit steps; the 256 commonest steps' mean colors are the palette.
  const buckets = new Map();
  const keyOf = (i) => ((pixels[i] >> 3) << 10) | ((pixels[i + 1] >> 3) << 5) | (pixels[i + 2] >> 3);
  for (let i = 0; i < pixels.length; i += bpp) {
    const key = keyOf(i);
    const b = buckets.get(key) ?? buckets.set(key, { n: 0, r: 0, g: 0, b: 0 }).get(key);
    b.n++;
    b.r += pixels[i];
    b.g += pixels[i + 1];
    b.b += pixels[i + 2];
  }
  const palette = [...buckets.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, 256)
    .map((b) => [Math.round(b.r / b.n), Math.round(b.g / b.n), Math.round(b.b / b.n)]);
  const nearest = new Map();
  const indexOf = (i) => {
    const key = keyOf(i);
    let best = nearest.get(key);
    if (best === undefined) {
      let bestDistance = Infinity;
      palette.forEach(([r, g, b], k) => {
        const d = (r - pixels[i]) ** 2 + (g - pixels[i + 1]) ** 2 + (b - pixels[i + 2]) ** 2;
        if (d < bestDistance) [best, bestDistance] = [k, d];
      });
      nearest.set(key, best);
    }
    return best;
  };
  const indexed = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) indexed[y * (width + 1) + 1 + x] = indexOf((y * width + x) * bpp);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const out = Buffer.concat([
    png.subarray(0, 8),
    chunk('IHDR', ihdr),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(indexed, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return out.length < png.length ? out : png;
}

function paeth(a, b, c) {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

function firstDistrict(dir) {
  const districts = join(dir, 'districts');
  if (!existsSync(districts)) return undefined;
  return readdirSync(districts)
    .sort()
    .find((d) => existsSync(join(districts, d, 'report.html')));
}

function ensurePdftoppm() {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return;
  } catch {
    // Not installed: Debian's poppler-utils has it.
  }
  const asRoot = process.getuid?.() === 0 ? [] : ['sudo'];
  console.log("installing poppler-utils (pdftoppm) from Debian's packages");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) =>
    execFileSync(asRoot.length ? 'sudo' : args[0], asRoot.length ? ['env', 'DEBIAN_FRONTEND=noninteractive', ...args] : args.slice(1), {
      stdio: 'inherit',
      env,
    });
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
