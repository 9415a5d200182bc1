import { computeBalance } from '../assignment/balance.js';
import { buildModelTable } from '../data/build-model-table.js';
import type { ModelTableRow } from '../data/model-table.js';
import type { Issue } from '../errors.js';
import { PilotError } from '../errors.js';
import type { StudyFiles } from '../study/read-study-data.js';
import { readStudyData } from '../study/read-study-data.js';
import type { DateWindow } from '../types.js';
import { reportPeriods } from './report-periods.js';
import type { ReportStudy } from './report-study.js';

/** The study's files and windows a report reads. */
export interface ReportStudyFiles extends StudyFiles {
  /** The outcome window. */
  readonly window: DateWindow;
  /** A baseline window of the attendance data; without it, the roster's baseline columns. */
  readonly baseline?: DateWindow;
}

export interface ReportStudyRead {
  /** Aggregable per-student totals without ids, for the report. */
  readonly study: ReportStudy;
  /** The model table `pilot analyze` would fit (it has ids: keep it in memory, never in a report). */
  readonly table: ModelTableRow[];
  readonly warnings: readonly Issue[];
}

/**
 * Reads what a report needs from the study's files through the data layer's
 * `readStudyData`, in one streaming pass over the attendance: the outcome window, the
 * baseline window when given, and each month (or week) of the outcome window as extra
 * windows. Returns per-student totals stripped of ids and names, the baseline balance of
 * the analyzed students, district names and input hashes, and the same model table as
 * `readModelTableFromStudy`, so a report's own fit matches `pilot analyze`'s.
 */
export async function readReportStudy(files: ReportStudyFiles): Promise<ReportStudyRead> {
  const periods = reportPeriods(files.window);
  const windows = [files.window, ...(files.baseline ? [files.baseline] : []), ...periods];
  const data = await readStudyData(files, windows);
  const [outcome] = data.windows;
  const baseline = files.baseline ? data.windows[1] : undefined;
  const byPeriod = data.windows.slice(files.baseline ? 2 : 1);
  const controlArm = data.controlArm;
  const arms = [controlArm, ...[...new Set(data.assignments.map((a) => a.arm))].filter((arm) => arm !== controlArm).sort()];
  if (arms.length < 2)
    throw new PilotError(`${files.assignments}: every student is in the control arm "${controlArm}", so there is nothing to compare`);
  const none = { days_enrolled: 0, days_absent: 0 };
  const table = buildModelTable({ assignments: data.assignments, outcome, baseline, roster: data.roster, controlArm });
  // Each student's baseline as the model table has it (the roster's columns or the baseline window).
  const baselineOf = new Map(
    table
      .filter((r) => r.baseline_days !== undefined && r.baseline_absences !== undefined)
      .map((r) => [r.student_id, { days_enrolled: r.baseline_days!, days_absent: r.baseline_absences! }]),
  );
  const students = data.assignments.map((a) => {
    const before = baselineOf.get(a.student_id);
    return {
      district: a.district_id,
      arm: a.arm,
      outcome: outcome.get(a.student_id) ?? none,
      periods: byPeriod.map((totals) => totals.get(a.student_id)),
      ...(before ? { baseline: before } : {}),
    };
  });
  // Balance over the analyzed students (enrolled at least a day in the window): every
  // count a report prints is of them, so no two tables differ by the students left out.
  const analyzed = data.assignments.filter((a) => (outcome.get(a.student_id)?.days_enrolled ?? 0) > 0);
  const districts = [...new Set(data.assignments.map((a) => a.district_id))].sort();
  const rosterOf = (district: string) => data.roster.filter((s) => s.district_id === district);
  const byDistrict = Object.fromEntries(
    districts.map((d) => [
      d,
      computeBalance(
        rosterOf(d),
        analyzed.filter((a) => a.district_id === d),
        arms,
        controlArm,
      ),
    ]),
  );
  const districtNames: Record<string, string> = {};
  for (const s of data.roster) if (s.district_name && !(s.district_id in districtNames)) districtNames[s.district_id] = s.district_name;
  const study: ReportStudy = {
    window: files.window,
    periods,
    arms,
    controlArm,
    students,
    balance: { all: computeBalance(data.roster, analyzed, arms, controlArm), byDistrict },
    districtNames,
    inputs: data.inputs,
  };
  return { study, table, warnings: data.warnings };
}
