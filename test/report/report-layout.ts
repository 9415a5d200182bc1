import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';

/** What a reader sees of a report page at one window width. */
export interface PageLayout {
  /** The page's scroll width and the window's width: wider means the page scrolls sideways. */
  readonly pageWidth: number;
  readonly viewportWidth: number;
  /** Charts shown (their drawing visible at this width), by data-chart. */
  readonly charts: readonly string[];
  /** Pairs of text elements of one chart whose boxes overlap, e.g. "attendance_tiers: 'Under 5%' / '5–9.99%'". */
  readonly overlaps: readonly string[];
  /** Chart text drawn smaller than the smallest size a reader can read, with its size in px. */
  readonly smallText: readonly string[];
  /** Text of a chart drawn outside the chart's own box (cut off). */
  readonly clipped: readonly string[];
  /** The smallest chart text on screen, in px. */
  readonly smallestText: number;
}

/**
 * Measures the open report page in the browser: the page width against the window, and
 * for every chart drawing on screen, its text elements' boxes (each `<text>`, or each line
 * `<tspan>` of a multi-line one). Two boxes of one chart that overlap by more than
 * `tolerance` px both ways, text under `minTextPx` px high, or text outside the drawing
 * are reported.
 */
export async function measurePageLayout(page: Page, minTextPx = 10, tolerance = 0.5): Promise<PageLayout> {
  return page.evaluate(
    ({ minTextPx, tolerance }) => {
      // The page's globals, typed here: the project's TypeScript has no DOM library.
      const { document, getComputedStyle } = globalThis as unknown as BrowserGlobals;
      const overlaps: string[] = [];
      const smallText: string[] = [];
      const clipped: string[] = [];
      const charts: string[] = [];
      let smallestText = Infinity;
      for (const figure of document.querySelectorAll('figure.chart')) {
        const name = figure.getAttribute('data-chart') ?? '?';
        for (const svg of figure.querySelectorAll('svg')) {
          const frame = svg.getBoundingClientRect();
          if (frame.width === 0 || getComputedStyle(svg).display === 'none') continue;
          charts.push(name);
          const boxes: { text: string; box: Box }[] = [];
          for (const text of svg.querySelectorAll('text')) {
            if (!text.textContent?.trim() || Number(getComputedStyle(text).opacity) === 0) continue;
            const lines = text.querySelectorAll('tspan');
            for (const part of lines.length > 0 ? [...lines] : [text]) {
              const box = part.getBoundingClientRect();
              if (!part.textContent?.trim() || box.width === 0) continue;
              boxes.push({ text: part.textContent.trim(), box });
            }
            // The text's drawn size: its font size times the drawing's scale on screen.
            const scale = frame.width / (Number(svg.getAttribute('width')) || frame.width);
            const px = parseFloat(getComputedStyle(text).fontSize) * scale;
            smallestText = Math.min(smallestText, px);
            if (px < minTextPx) smallText.push(`${name}: '${text.textContent.trim()}' at ${px.toFixed(1)} px`);
          }
          for (let i = 0; i < boxes.length; i++) {
            const a = boxes[i].box;
            if (
              a.left < frame.left - tolerance ||
              a.right > frame.right + tolerance ||
              a.top < frame.top - tolerance ||
              a.bottom > frame.bottom + tolerance
            )
              clipped.push(`${name}: '${boxes[i].text}'`);
            for (let j = i + 1; j < boxes.length; j++) {
              const b = boxes[j].box;
              const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
              const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
              if (x > tolerance && y > tolerance) overlaps.push(`${name}: '${boxes[i].text}' / '${boxes[j].text}'`);
            }
          }
        }
      }
      return {
        pageWidth: document.documentElement.scrollWidth,
        viewportWidth: document.documentElement.clientWidth,
        charts,
        overlaps,
        smallText,
        clipped,
        smallestText,
      };
    },
    { minTextPx, tolerance },
  );
}

interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
}

interface Node {
  readonly textContent: string | null;
  getBoundingClientRect(): Box;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<Node> & ArrayLike<Node>;
}

interface BrowserGlobals {
  readonly document: Node & { readonly documentElement: { readonly scrollWidth: number; readonly clientWidth: number } };
  getComputedStyle(node: Node): { readonly display: string; readonly opacity: string; readonly fontSize: string };
}

/** One line of text on a PDF page, in points from the page's top left. */
export interface PdfLine {
  readonly text: string;
  readonly top: number;
  readonly bottom: number;
}

export interface PdfPage {
  readonly width: number;
  readonly height: number;
  /** The page's lines from top to bottom. */
  readonly lines: readonly PdfLine[];
}

/** Whether Debian's poppler-utils (pdftotext) is installed: the PDF layout checks read the PDF with it. */
export function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The lines of every page of a PDF with their positions (`pdftotext -bbox-layout`). */
export function readPdfLines(pdfPath: string): PdfPage[] {
  const xhtml = execFileSync('pdftotext', ['-bbox-layout', pdfPath, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const pages: PdfPage[] = [];
  for (const page of xhtml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">(.*?)<\/page>/gs)) {
    const lines: PdfLine[] = [];
    for (const line of page[3].matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)<\/line>/gs)) {
      const words = [...line[3].matchAll(/<word[^>]*>(.*?)<\/word>/gs)].map((w) => unescapeXml(w[1]));
      lines.push({ text: words.join(' '), top: Number(line[1]), bottom: Number(line[2]) });
    }
    lines.sort((a, b) => a.top - b.top);
    pages.push({ width: Number(page[1]), height: Number(page[2]), lines });
  }
  return pages;
}

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|amp|quot|apos|#\d+);/g,
    (_, name: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[name] ?? String.fromCodePoint(Number(name.slice(1))),
  );
}

/** The text of the report's h2 and h3 headings, as a reader sees it. */
export function headingsOf(html: string): string[] {
  return [...html.matchAll(/<h[23][^>]*>(.*?)<\/h[23]>/gs)].map((m) =>
    unescapeXml(m[1].replace(/<[^>]+>/g, '').replace(/&#39;/g, "'"))
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
