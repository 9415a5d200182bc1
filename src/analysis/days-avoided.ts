import type { AbsenceModel } from './model/prepare-absence-model.js';
import { parameterLayout } from './model/parameter-layout.js';
import type { ChainOutput } from './sampler/sample-chain.js';

/**
 * Days avoided per treated student, one value per draw and chain (docs/model.md, "What
 * is reported"): the mean over treated students in the fit of
 * `e_i exp(alpha[k] + gamma z_i + delta m_i) (1 - exp(theta[d]))` — the absences a treated
 * student would have had as a control, less those expected under treatment.
 */
export function computeDaysAvoided(model: AbsenceModel, outputs: readonly ChainOutput[]): Float64Array[] {
  const { data, info } = model;
  const layout = parameterLayout(data);
  const dim = layout.dimension;
  const treatedGroups: number[] = [];
  for (let g = 0; g < data.groupCell.length; g++) if (data.cellTreat[data.groupCell[g]] === 1) treatedGroups.push(g);
  const nTreated = info.nTreatment;
  const nCells = data.cellBlock.length;
  const nZ = data.zValues.length;
  // Per draw, exp(alpha[k] + delta m) (1 - exp(theta[d])) once per cell and exp(gamma z) once
  // per distinct z, so each treated group costs two multiplications.
  const cellFactor = new Float64Array(nCells);
  const zRate = new Float64Array(nZ);
  return outputs.map((output) => {
    const draws = output.draws.length / dim;
    const out = new Float64Array(draws);
    if (nTreated === 0) return out;
    for (let i = 0; i < draws; i++) {
      const at = i * dim;
      const gamma = layout.gamma >= 0 ? output.draws[at + layout.gamma] : 0;
      const delta = layout.delta >= 0 ? output.draws[at + layout.delta] : 0;
      const tau = data.network ? Math.exp(output.draws[at + layout.logTau]) : 0;
      for (let c = 0; c < nCells; c++) {
        if (data.cellTreat[c] !== 1) continue;
        const d = data.cellDistrict[c];
        const theta = data.network ? output.draws[at + layout.effect] + tau * output.draws[at + layout.eta + d] : output.draws[at + layout.effect];
        cellFactor[c] = Math.exp(output.draws[at + layout.alpha + data.cellBlock[c]] + (data.cellMissing[c] === 1 ? delta : 0)) * (1 - Math.exp(theta));
      }
      for (let j = 0; j < nZ; j++) zRate[j] = Math.exp(gamma * data.zValues[j]);
      let total = 0;
      for (const g of treatedGroups) total += data.groupWeight[g] * data.groupE[g] * cellFactor[data.groupCell[g]] * zRate[data.groupZ[g]];
      out[i] = total / nTreated;
    }
    return out;
  });
}
