import type { ArmsInEffect } from '../analysis/analysis-result.js';
import type { AssignmentManifest } from '../assignment/manifest.js';

/**
 * The day an assignment's arms took effect, by precedence: the day the user states
 * (`--assignment-date`, for a study assigned elsewhere or re-created); else, when the
 * attendance file is outcomes `pilot simulate attendance` made over this assignment (one
 * of `attendanceSha256` matches a record in the manifest), the first day that simulation
 * applied the arms; else the day of the manifest's initial run (UTC), since no arm can
 * have applied before it existed. Pure: the caller hashes the files.
 *
 * @example
 * armsEffectiveDate(manifest, ['9f2c…'])             // { date: '2026-11-23', source: 'assignment' }
 * armsEffectiveDate(manifest, ['9f2c…'], '2025-08-18') // { date: '2025-08-18', source: 'stated' }
 */
export function armsEffectiveDate(manifest: AssignmentManifest, attendanceSha256: readonly string[], stated?: string): ArmsInEffect {
  // A randomization made elsewhere travels with the date, so the report's methods can say so.
  const i = manifest.imported;
  const imported = i ? { imported: { file: i.file, sha256: i.sha256, source: i.source, probabilities: i.probabilities.given } } : {};
  return { ...effectiveDate(manifest, attendanceSha256, stated), ...imported };
}

function effectiveDate(manifest: AssignmentManifest, attendanceSha256: readonly string[], stated?: string): ArmsInEffect {
  if (stated !== undefined) return { date: stated, source: 'stated' };
  const simulated = [...(manifest.simulated_outcomes ?? [])].reverse().find((s) => attendanceSha256.includes(s.attendance_sha256));
  if (simulated)
    return {
      date: simulated.arms_took_effect,
      source: 'simulation',
      simulation: { true_effect: simulated.true_effect, seed: simulated.seed },
    };
  const initial = manifest.runs.find((run) => run.assigned_at === 'initial') ?? manifest.runs[0];
  return { date: initial.created.slice(0, 10), source: 'assignment' };
}
