import type { LogDensity } from '../sampler/log-density.js';
import { createAbsenceLogDensity } from './absence-log-density.js';
import type { AbsenceModelData } from './absence-model-data.js';
import { createSubgroupLogDensity } from './subgroup-log-density.js';
import { isSubgroupModelData } from './subgroup-model-data.js';

/**
 * The log density of whichever model `data` was prepared for: the subgroup model's
 * (prepareSubgroupModel) or the standard absence model's. Worker threads receive plain
 * data (structured clone), so the model is told by its fields.
 */
export function createModelLogDensity(data: AbsenceModelData): LogDensity {
  return isSubgroupModelData(data) ? createSubgroupLogDensity(data) : createAbsenceLogDensity(data);
}
