import { cellHouseholdTerms } from './model/household-effect.js';
import { parameterLayout } from './model/parameter-layout.js';
import type { AbsenceModel } from './model/prepare-absence-model.js';
import type { ChainOutput } from './sampler/sample-chain.js';

/** Days avoided per treated student, one array of draws per chain. */
export interface DaysAvoidedDraws {
  /** Over every treated student in the fit (the network's, or a one-district study's). */
  readonly overall: Float64Array[];
  /**
   * Over each district's own treated students in the fit, in the model's district order,
   * each from that district's partially pooled `theta[d]`: a district report's own figure.
   * A district with no treated student in the fit has all zeros.
   */
  readonly byDistrict: Float64Array[][];
}

/**
 * Days avoided per treated student, one value per draw and chain (docs/model.md, "What
 * is reported"): the mean over treated students in the fit of
 * `e_i exp(alpha[k] + gamma z_i + delta m_i [+ sigma_household z_household[h]]) (1 - exp(theta[d]))` — the absences a treated
 * student would have had as a control, less those expected under treatment — over all
 * treated students and over each district's.
 */
export function computeDaysAvoided(model: AbsenceModel, outputs: readonly ChainOutput[]): DaysAvoidedDraws {
  const { data, info } = model;
  const layout = parameterLayout(data);
  const dim = layout.dimension;
  const treatedGroups: number[] = [];
  for (let g = 0; g < data.groupCell.length; g++) if (data.cellTreat[data.groupCell[g]] === 1) treatedGroups.push(g);
  const nTreated = info.nTreatment;
  const nDistricts = info.districts.length;
  const nCells = data.cellBlock.length;
  const nZ = data.zValues.length;
  // Per draw, exp(alpha[k] + delta m) (1 - exp(theta[d])) once per cell and exp(gamma z) once
  // per distinct z, so each treated group costs two multiplications.
  const cellFactor = new Float64Array(nCells);
  const householdTerm = new Float64Array(nCells);
  const zRate = new Float64Array(nZ);
  const districtTotal = new Float64Array(nDistricts);
  const overall: Float64Array[] = [];
  const byDistrict: Float64Array[][] = Array.from({ length: nDistricts }, () => []);
  for (const output of outputs) {
    const draws = output.draws.length / dim;
    const out = new Float64Array(draws);
    const outByDistrict = Array.from({ length: nDistricts }, () => new Float64Array(draws));
    overall.push(out);
    outByDistrict.forEach((values, d) => byDistrict[d].push(values));
    if (nTreated === 0) continue;
    for (let i = 0; i < draws; i++) {
      const at = i * dim;
      const gamma = layout.gamma >= 0 ? output.draws[at + layout.gamma] : 0;
      const delta = layout.delta >= 0 ? output.draws[at + layout.delta] : 0;
      const tau = data.network ? Math.exp(output.draws[at + layout.logTau]) : 0;
      cellHouseholdTerms(data, layout, output.draws, at, householdTerm);
      for (let c = 0; c < nCells; c++) {
        if (data.cellTreat[c] !== 1) continue;
        const d = data.cellDistrict[c];
        const theta = data.network
          ? output.draws[at + layout.effect] + tau * output.draws[at + layout.eta + d]
          : output.draws[at + layout.effect];
        cellFactor[c] =
          Math.exp(output.draws[at + layout.alpha + data.cellBlock[c]] + (data.cellMissing[c] === 1 ? delta : 0) + householdTerm[c]) *
          (1 - Math.exp(theta));
      }
      for (let j = 0; j < nZ; j++) zRate[j] = Math.exp(gamma * data.zValues[j]);
      districtTotal.fill(0);
      for (const g of treatedGroups) {
        const c = data.groupCell[g];
        districtTotal[data.cellDistrict[c]] += data.groupWeight[g] * data.groupE[g] * cellFactor[c] * zRate[data.groupZ[g]];
      }
      let total = 0;
      for (let d = 0; d < nDistricts; d++) {
        total += districtTotal[d];
        const treatedHere = info.districtCounts[d].treatment;
        outByDistrict[d][i] = treatedHere > 0 ? districtTotal[d] / treatedHere : 0;
      }
      out[i] = total / nTreated;
    }
  }
  return { overall, byDistrict };
}
