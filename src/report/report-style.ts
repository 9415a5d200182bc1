/**
 * The report's stylesheet, inlined into report.html: one page that reads on a phone, a
 * desktop and paper. Kept apart from the page's text so layout and wording change separately.
 *
 * - Phone (up to 640 px wide): narrower margins; every chart is drawn twice by the report
 *   (`.chart-wide`, `.chart-narrow`) and the narrow drawing is shown, so chart text stays at
 *   its own size instead of being scaled down; a table wider than the screen scrolls inside
 *   its `.table-scroll` box, never the page.
 * - Paper: the wide charts, headings kept with what follows them, tables and charts not
 *   split, and a footer on every page with the report's name and "Page n of N"
 *   (`pageFooterStyle`, CSS page-margin boxes).
 */
export const REPORT_STYLE = `
:root { --ink: #1f2933; --muted: #52606d; --line: #d9dee5; --accent: #1b6ca8; --good: #1e7b4f; --warn: #b4460f; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0; background: #f5f7fa; line-height: 1.45; font-size: 15px; overflow-wrap: break-word; }
main { max-width: 920px; margin: 0 auto; padding: 28px 32px 48px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 8px; }
.meta { color: var(--muted); font-size: 13px; margin: 0 0 18px; }
.headline { font-size: 21px; line-height: 1.35; border-left: 6px solid var(--accent); background: #eef5fb; padding: 14px 18px; margin: 16px 0; }
.verdict { display: inline-block; font-weight: bold; padding: 3px 10px; border-radius: 4px; color: #fff; font-size: 14px; }
.verdict.yes { background: var(--good); } .verdict.no { background: var(--muted); }
.caution { border: 2px solid var(--warn); color: var(--warn); background: #fff6f0; padding: 10px 14px; margin: 12px 0; font-weight: bold; }
.next-year { background: #f3f8f4; border-left: 6px solid var(--good); padding: 10px 16px; }
.table-scroll { max-width: 100%; overflow-x: auto; margin: 8px 0 14px; }
table { border-collapse: collapse; margin: 0; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
thead th { border-bottom: 2px solid var(--ink); }
tr.applied td { background: #eef5fb; font-weight: bold; }
tr.total td { border-top: 2px solid var(--ink); font-weight: bold; }
td.text, th.text { text-align: left; }
figure { margin: 14px 0 18px; break-inside: avoid; page-break-inside: avoid; max-width: 100%; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; display: block; }
figure svg.chart-narrow { display: none; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
pre { background: #f5f7fa; padding: 10px 12px; font-size: 12.5px; overflow-x: auto; white-space: pre-wrap; }
code { font-size: 12.5px; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 11.5px; word-break: break-all; }
.note { color: var(--muted); font-size: 13px; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
/* A table that scrolls shows a shadow at the side where more of it is hidden (the white
   layers move with the content and cover each shadow when that side is reached). */
@media screen {
  .table-scroll {
    background:
      linear-gradient(to right, #fff 30%, rgba(255, 255, 255, 0)) left / 28px 100% no-repeat local,
      linear-gradient(to left, #fff 30%, rgba(255, 255, 255, 0)) right / 28px 100% no-repeat local,
      radial-gradient(farthest-side at 0 50%, rgba(31, 41, 51, 0.22), transparent) left / 12px 100% no-repeat scroll,
      radial-gradient(farthest-side at 100% 50%, rgba(31, 41, 51, 0.22), transparent) right / 12px 100% no-repeat scroll;
  }
}
@media screen and (max-width: 640px) {
  main { padding: 18px 14px 32px; }
  h1 { font-size: 22px; }
  h2 { font-size: 18px; margin-top: 28px; }
  .headline { font-size: 18px; padding: 10px 12px; }
  .next-year { padding: 8px 12px; }
  table { font-size: 13px; }
  th, td { padding: 5px 7px; }
  figure svg.chart-wide { display: none; }
  figure svg.chart-narrow { display: block; }
}
@page { size: Letter; margin: 14mm 12mm 16mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  /* A note that introduces a table or chart stays with it; only such notes, or a chain of
     avoided breaks would leave the page no place to break but after a heading. */
  h2 + p.note, h3 + p.note { break-after: avoid; page-break-after: avoid; }
  table, .headline, .caution, .next-year, pre { break-inside: avoid; page-break-inside: avoid; }
  .table-scroll { overflow: visible; }
  figure { overflow: visible; }
  figure svg.chart-wide { display: block; }
  figure svg.chart-narrow { display: none; }
  .methods { break-before: page; page-break-before: always; }
}
`;

/**
 * Characters a CSS string may hold as they are; every other one is written as a CSS
 * escape, so a report name can neither end the string nor the `<style>` element.
 */
const CSS_STRING_SAFE = /[A-Za-z0-9 .,:;?!()'-]/;

/** `text` as a quoted CSS string. */
export function cssString(text: string): string {
  const escaped = [...text].map((c) => (CSS_STRING_SAFE.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('');
  return `"${escaped}"`;
}

/**
 * The printed page's footer: the report's name at the left, "Page n of N" at the right,
 * on every page (CSS page-margin boxes, which Chromium prints; a browser without them
 * prints no footer and loses nothing else).
 */
export function pageFooterStyle(reportName: string): string {
  const box =
    'font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 8pt; color: #52606d; vertical-align: top; padding-top: 4mm;';
  return `
@page {
  @bottom-left { content: ${cssString(reportName)}; ${box} }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); ${box} white-space: nowrap; }
}
`;
}
