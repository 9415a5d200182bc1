import type { ModelTableRow } from '../data/model-table.js';
import type { PlanDesign } from './plan-design.js';
import type { PlannedStudy } from './simulate-planned-study.js';

/**
 * A simulated study as the model table `pilot analyze` fits: made-up student ids, blocks
 * named by their number (`B0001`) so blocks of different districts never merge.
 */
export function plannedStudyTable(design: PlanDesign, study: PlannedStudy): ModelTableRow[] {
  const width = String(design.students).length;
  const blockWidth = String(design.blocks.length).length;
  return Array.from({ length: design.students }, (_, i) => {
    const k = design.studentBlock[i];
    const known = !Number.isNaN(design.baselineAbsences[i]);
    return {
      student_id: `S${String(i + 1).padStart(width, '0')}`,
      y: study.absences[i],
      e: design.windowDays,
      treat: study.treat[i] as 0 | 1,
      block: `B${String(k + 1).padStart(blockWidth, '0')}`,
      district: design.districts[design.blockDistrict[k]],
      ...(known ? { baseline_absences: design.baselineAbsences[i], baseline_days: design.baselineDays[i] } : {}),
    };
  });
}
