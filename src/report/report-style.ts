/**
 * The report's stylesheet, inlined into report.html: one page that reads on a phone, a
 * desktop and paper. Kept apart from the page's text so layout and wording change separately.
 */
export const REPORT_STYLE = `
:root { --ink: #1f2933; --muted: #52606d; --line: #d9dee5; --accent: #1b6ca8; --good: #1e7b4f; --warn: #b4460f; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0; background: #f5f7fa; line-height: 1.45; font-size: 15px; }
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
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 13.5px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
thead th { border-bottom: 2px solid var(--ink); }
tr.applied td { background: #eef5fb; font-weight: bold; }
tr.total td { border-top: 2px solid var(--ink); font-weight: bold; }
td.text, th.text { text-align: left; }
figure { margin: 14px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
pre { background: #f5f7fa; padding: 10px 12px; font-size: 12.5px; overflow-x: auto; white-space: pre-wrap; }
code { font-size: 12.5px; }
.hash { font-family: "DejaVu Sans Mono", monospace; font-size: 11.5px; word-break: break-all; }
.note { color: var(--muted); font-size: 13px; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@page { size: Letter; margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, .headline, .caution, .next-year { break-inside: avoid; page-break-inside: avoid; }
  .methods { break-before: page; page-break-before: always; }
}
`;
