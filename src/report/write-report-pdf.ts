import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PilotError } from '../errors.js';
import { PRIVATE_MODE, SHARED_MODE, writeFileAtomically } from '../io/write-atomic.js';

/** Debian's Chromium; the toolkit never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, offline headless Chromium. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** Throws a PilotError saying how to install Chromium when it is not at `executablePath`. */
export async function checkChromium(executablePath: string = CHROMIUM_PATH): Promise<void> {
  try {
    await access(executablePath);
  } catch {
    throw new PilotError(
      `--pdf needs Chromium at ${executablePath}: install Debian's package (sudo apt-get install -y chromium, or bash scripts/ci-install-chromium.sh)`,
    );
  }
}

/**
 * Prints HTML files to PDF with one headless Chromium driven by playwright-core (Letter,
 * backgrounds printed, the page's print CSS). Every request other than the file itself
 * is refused, so a PDF can never depend on the network.
 */
async function printPdfs(htmlPaths: readonly string[], executablePath: string): Promise<Uint8Array[]> {
  await checkChromium(executablePath);
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new PilotError('--pdf needs the playwright-core package: npm install playwright-core');
  }
  const browser = await playwright.chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const pdfs: Uint8Array[] = [];
    for (const htmlPath of htmlPaths) {
      const page = await browser.newPage();
      const url = pathToFileURL(resolve(htmlPath)).href;
      await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
      await page.goto(url, { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      pdfs.push(await page.pdf({ format: 'Letter', printBackground: true, preferCSSPageSize: true }));
      await page.close();
    }
    return pdfs;
  } finally {
    await browser.close();
  }
}

/**
 * Renders report pages (HTML text) to PDFs without writing them anywhere the user sees:
 * each page goes to a private temporary folder for the browser to open, and is removed
 * after. The caller writes the PDFs with the rest of the report, all at once.
 */
export async function renderReportPdfs(pages: readonly string[], executablePath: string = CHROMIUM_PATH): Promise<Uint8Array[]> {
  if (pages.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'pilot-report-pdf-'));
  try {
    const paths = pages.map((_, i) => join(dir, `report-${i}.html`));
    for (let i = 0; i < pages.length; i++) await writeFile(paths[i], pages[i], { mode: PRIVATE_MODE });
    return await printPdfs(paths, executablePath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Prints one report's HTML file already on disk to `pdfPath` (written atomically). */
export async function writeReportPdf(htmlPath: string, pdfPath: string, executablePath: string = CHROMIUM_PATH): Promise<void> {
  const [pdf] = await printPdfs([htmlPath], executablePath);
  await writeFileAtomically(pdfPath, pdf, SHARED_MODE);
}
