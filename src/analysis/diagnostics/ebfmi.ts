/**
 * Energy Bayesian fraction of missing information of one chain (Betancourt 2016;
 * Stan's `check_energy`): `sum (E_n - E_{n-1})^2 / sum (E_n - mean E)^2`. Values below
 * 0.3 say the momentum resampling explores the energy distribution poorly.
 */
export function computeEbfmi(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += energy[i];
  mean /= n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) num += (energy[i] - energy[i - 1]) ** 2;
    den += (energy[i] - mean) ** 2;
  }
  return num / den;
}
