import { readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { guardOutputs } from '../io/output-guard.js';
import type { PlannedFile } from '../io/write-atomic.js';
import { SHARED_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import type { ReportInputs } from './build-report-data.js';
import { buildReportData } from './build-report-data.js';
import { protectAcrossReports } from './protect-across-reports.js';
import { renderReportFiles } from './render-report-files.js';
import type { ReportData } from './report-data.js';
import { CHROMIUM_PATH, renderReportPdfs } from './write-report-pdf.js';

export interface WriteReportOptions {
  /** Also write one report per district under `districts/<district>/`. */
  readonly byDistrict?: boolean;
  /** Also print each report to `report.pdf` with headless Chromium. */
  readonly pdf?: boolean;
  /** The Chromium to print with (default Debian's /usr/bin/chromium). */
  readonly chromiumPath?: string;
  /** Told what is being done (for a progress line on stderr). */
  readonly onProgress?: (message: string) => void;
  /** Replace a report already in the folder; without it, a folder holding a report is refused. */
  readonly force?: boolean;
}

export interface WrittenReport {
  /** The report's folder. */
  readonly dir: string;
  readonly html: string;
  /** The PDF, when one was asked for. */
  readonly pdf?: string;
  readonly data: ReportData;
}

/** A district id as a folder name: letters, digits, dot, dash and underscore kept. */
export function districtFolder(district: string): string {
  const safe = district.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return safe === '' ? '_' : safe;
}

/**
 * The list of files a report run wrote, kept (hidden) in the report's folder: the next run
 * into the folder removes those of them it does not write again (a chart or PDF an earlier
 * run made), and nothing else, since only these are known to be a report's.
 */
const WRITTEN_LIST = '.pilot-report-files.json';

async function filesWrittenBefore(dir: string): Promise<string[]> {
  try {
    const list = JSON.parse(await readFile(join(dir, WRITTEN_LIST), 'utf8')) as unknown;
    return Array.isArray(list)
      ? list.filter((name): name is string => typeof name === 'string' && !name.startsWith('..') && !isAbsolute(name))
      : [];
  } catch {
    return [];
  }
}

/**
 * Writes the report folder (and, with `byDistrict`, one folder per district under
 * `districts/`), all files at once or none: PDFs are printed from temporary copies
 * before anything is written. Report files hold aggregates only, so they are readable by
 * others (0644). A folder that holds a report already is refused unless `force`; then
 * the files the earlier run wrote (by its hidden list) and this one does not are removed,
 * so a folder never mixes two reports, and no other file in it is touched.
 */
export async function writeReport(dir: string, inputs: ReportInputs, options: WriteReportOptions = {}): Promise<WrittenReport[]> {
  // Checked before anything is rendered or printed: an earlier report is replaced only when asked.
  await guardOutputs({ inputs: [], outputs: [join(dir, 'report.html'), join(dir, 'report.json')], force: options.force });
  const scopes: { dir: string; district?: string }[] = [{ dir }];
  if (options.byDistrict && inputs.analysis.districts.length > 1) {
    // Two ids can make one folder name ("D/3", "D_3"): the later ones get a number.
    const used = new Set<string>();
    for (const d of inputs.analysis.districts) {
      let folder = districtFolder(d.district);
      for (let n = 2; used.has(folder); n++) folder = `${districtFolder(d.district)}-${n}`;
      used.add(folder);
      scopes.push({ dir: join(dir, 'districts', folder), district: d.district });
    }
  }
  const planned: PlannedFile[] = [];
  const pages: string[] = [];
  const written: WrittenReport[] = [];
  // Every report's figures first: counts that add up across the reports are suppressed jointly.
  const datas = protectAcrossReports(
    scopes.map((scope) => buildReportData(inputs, { district: scope.district })),
    inputs.study,
  );
  for (const [i, scope] of scopes.entries()) {
    options.onProgress?.(`rendering the ${scope.district === undefined ? 'main' : `district ${scope.district}`} report`);
    const data = datas[i];
    const files = await renderReportFiles(data);
    planned.push(...files.map((f) => ({ path: join(scope.dir, f.name), contents: f.contents, mode: SHARED_MODE })));
    pages.push(files.find((f) => f.name === 'report.html')!.contents);
    written.push({
      dir: scope.dir,
      html: join(scope.dir, 'report.html'),
      ...(options.pdf ? { pdf: join(scope.dir, 'report.pdf') } : {}),
      data,
    });
  }
  if (options.pdf) {
    options.onProgress?.(`printing ${pages.length} PDF${pages.length === 1 ? '' : 's'} with headless Chromium`);
    const pdfs = await renderReportPdfs(pages, options.chromiumPath ?? CHROMIUM_PATH);
    pdfs.forEach((pdf, i) => planned.push({ path: written[i].pdf!, contents: pdf, mode: SHARED_MODE }));
  }
  const earlier = await filesWrittenBefore(dir);
  const now = planned.map((f) => relative(dir, f.path));
  planned.push({ path: join(dir, WRITTEN_LIST), contents: `${JSON.stringify(now, null, 2)}\n`, mode: SHARED_MODE });
  await writeFilesAtomically(planned);
  // What the earlier report wrote and this one did not (a district gone, no PDF this time).
  for (const name of earlier) if (!now.includes(name)) await rm(join(dir, name), { force: true });
  return written;
}
