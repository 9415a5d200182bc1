import type { AnalysisResult } from '../analysis/analysis-result.js';
import type { ReportStudy } from './report-study.js';

/**
 * Why a report's inputs do not belong together, as sentences (empty when they do): the
 * study's files must be the ones analyzed (same SHA-256 where the analysis recorded a
 * hash for the same role), over the same outcome window; the draws must be the
 * analysis's (one per chain and draw, every district's).
 */
export function checkReportInputs(
  analysis: AnalysisResult,
  study?: ReportStudy,
  draws?: Readonly<Record<string, readonly number[]>>,
): string[] {
  const problems: string[] = [];
  if (study) {
    for (const [role, hash] of Object.entries(study.inputs)) {
      const analyzed = analysis.inputs?.[role];
      if (analyzed !== undefined && analyzed !== hash)
        problems.push(
          `the ${role} file is not the one analyzed (SHA-256 ${hash.slice(0, 12)}…, the analysis used ${analyzed.slice(0, 12)}…)`,
        );
    }
    const w = analysis.window;
    if (w && (w.from !== study.window.from || w.to !== study.window.to))
      problems.push(`the outcome window ${study.window.from} to ${study.window.to} is not the analysis's (${w.from} to ${w.to})`);
    const studyDistricts = new Set(study.students.map((s) => s.district));
    const missing = analysis.districts.map((d) => d.district).filter((d) => !studyDistricts.has(d));
    if (missing.length > 0) problems.push(`the analysis has districts the study's files do not (${missing.join(', ')})`);
  }
  if (draws) {
    const expected = analysis.model.chains * analysis.model.draws;
    for (const [name, values] of Object.entries(draws)) {
      if (values.length !== expected)
        problems.push(
          `draws.csv has ${values.length} draws of ${name}, but the analysis had ${analysis.model.chains} chains of ${analysis.model.draws} draws`,
        );
    }
    if (analysis.model.network) {
      const absent = analysis.districts.filter((d) => !draws[`effect[${d.district}]`]).map((d) => d.district);
      if (absent.length > 0)
        problems.push(`draws.csv has no effect draws for district${absent.length === 1 ? '' : 's'} ${absent.join(', ')} of the analysis`);
    }
  }
  return problems;
}
