import type { ParameterLayout } from './parameter-layout.js';

/**
 * Where a search for the standard model's mode starts: every block's rate near the typical
 * 5% of days (`alpha = -3`, the prior's mean), the spreads small (`tau` 0.05,
 * `sigma_household` 0.1), everything else 0.
 */
export function modeStart(layout: ParameterLayout, nBlocks: number): Float64Array {
  const start = new Float64Array(layout.dimension);
  for (let k = 0; k < nBlocks; k++) start[layout.alpha + k] = -3;
  if (layout.logTau >= 0) start[layout.logTau] = Math.log(0.05);
  if (layout.logSigmaHousehold >= 0) start[layout.logSigmaHousehold] = Math.log(0.1);
  return start;
}
