import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { SHARED_MODE, writeFilesAtomically } from '../io/write-atomic.js';
import type { PlannedFile } from '../io/write-atomic.js';
import { buildReportData } from './build-report-data.js';
import type { ReportInputs } from './build-report-data.js';
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

/** Files a report run owns in its folder; left from an earlier run and not rewritten, they are removed. */
const OWNED = (name: string) => name.endsWith('.vl.json') || name === 'report.pdf';

/**
 * Writes the report folder (and, with `byDistrict`, one folder per district under
 * `districts/`), all files at once or none: PDFs are printed from temporary copies
 * before anything is written. Report files hold aggregates only, so they are readable by
 * others (0644). A chart spec or PDF left from an earlier run of the same folder that
 * this run does not write is removed, so a folder never mixes two reports.
 */
export async function writeReport(dir: string, inputs: ReportInputs, options: WriteReportOptions = {}): Promise<WrittenReport[]> {
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
  for (const scope of scopes) {
    options.onProgress?.(`rendering the ${scope.district === undefined ? 'main' : `district ${scope.district}`} report`);
    const data = buildReportData(inputs, { district: scope.district });
    const files = await renderReportFiles(data);
    planned.push(...files.map((f) => ({ path: join(scope.dir, f.name), contents: f.contents, mode: SHARED_MODE })));
    pages.push(files.find((f) => f.name === 'report.html')!.contents);
    written.push({ dir: scope.dir, html: join(scope.dir, 'report.html'), ...(options.pdf ? { pdf: join(scope.dir, 'report.pdf') } : {}), data });
  }
  if (options.pdf) {
    options.onProgress?.(`printing ${pages.length} PDF${pages.length === 1 ? '' : 's'} with headless Chromium`);
    const pdfs = await renderReportPdfs(pages, options.chromiumPath ?? CHROMIUM_PATH);
    pdfs.forEach((pdf, i) => planned.push({ path: written[i].pdf!, contents: pdf, mode: SHARED_MODE }));
  }
  await writeFilesAtomically(planned);
  const keep = new Set(planned.map((f) => f.path));
  for (const scope of scopes) {
    const names = await readdir(scope.dir).catch(() => [] as string[]);
    for (const name of names) if (OWNED(name) && !keep.has(join(scope.dir, name))) await rm(join(scope.dir, name), { force: true });
  }
  return written;
}
