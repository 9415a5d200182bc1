import type { PlanResult } from './plan-study.js';

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

const percent = (value: number, digits = 0) => `${(100 * value).toFixed(digits)}%`;

/** The smallest effect in words: a percentage, or that none of the simulated effects reached it. */
function smallest(value: number | null, plan: PlanResult): string {
  const largest = plan.rows.at(-1)!.effect;
  return value === null ? `not reached up to ${percent(largest, 1)}` : percent(value, 1);
}

/**
 * `plan.html`: one self-contained page (no script, no network) with the plan's figures,
 * its curve as inline SVG (`chartSvg`, rendered by the caller) and the table.
 */
export function renderPlanHtml(plan: PlanResult, chartSvg: string): string {
  const d = plan.design;
  const a = plan.assumptions;
  const rows = plan.rows
    .map(
      (r) =>
        `<tr><td>${percent(r.effect, 1)}</td><td>${percent(r.p_working_low, 1)} ± ${percent(r.mc_se_low, 1)}</td><td>${percent(r.p_working_high, 1)} ± ${percent(r.mc_se_high, 1)}</td></tr>`,
    )
    .join('\n');
  const assurance = plan.assurance
    ? `<li>Assurance, averaged over a true effect of ${percent(plan.assurance.prior.mean, 1)} ± ${percent(plan.assurance.prior.sd, 1)} (normal): <strong>${percent(plan.assurance.p_working_low)}</strong> (low effort), <strong>${percent(plan.assurance.p_working_high)}</strong> (demanding), over ${plan.assurance.studies} simulated studies.</li>`
    : '';
  const check = plan.check
    ? `<p>Checked against the full NUTS fit on ${plan.check.studies} of the simulated studies: the certainty P(effect &gt; 0) differed by ${plan.check.mean_difference_low.toFixed(3)} on average (largest ${plan.check.max_difference_low.toFixed(3)}), P(effect &gt; 0.05) by ${plan.check.mean_difference_high.toFixed(3)} (largest ${plan.check.max_difference_high.toFixed(3)}); the decisions agreed in ${plan.check.decisions_agree_low} and ${plan.check.decisions_agree_high} of ${plan.check.studies}.</p>`
    : '';
  const warnings = plan.warnings.map((w) => `<p class="warning">${escapeHtml(w)}</p>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Study plan: chance of a "working" result</title>
<style>
body { font-family: 'DejaVu Sans', system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #222; }
table { border-collapse: collapse; } th, td { padding: 0.25rem 0.75rem; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.chart svg { max-width: 100%; height: auto; }
.warning { color: #8a1c1c; }
.note { color: #555; font-size: 0.9rem; }
</style>
</head>
<body>
<h1>Study plan: chance of a "working" result</h1>
<p>${d.students.toLocaleString('en-US')} students in ${d.districts} district${d.districts === 1 ? '' : 's'} (${d.blocks} blocks, ${d.households.toLocaleString('en-US')} households randomized), an outcome window of ${d.window_days} school days, an expected absence rate of ${percent(d.absence_rate, 1)}.</p>
<ul>
<li>If the messages do nothing, the study would still say "working" in <strong>${percent(plan.false_working.low, 1)}</strong> of studies under the low-effort rule and <strong>${percent(plan.false_working.high, 1)}</strong> under the demanding rule.</li>
<li>The smallest true effect with a ${percent(plan.target_probability)} chance of "working": <strong>${smallest(plan.smallest_effect.low, plan)}</strong> (low effort), <strong>${smallest(plan.smallest_effect.high, plan)}</strong> (demanding).</li>
${assurance}
</ul>
${warnings}
<div class="chart">${chartSvg}</div>
<table>
<thead><tr><th>True effect</th><th>Low effort: P(effect &gt; ${plan.rules.low.threshold}) &ge; ${plan.rules.low.min_certainty}</th><th>Demanding: P(effect &gt; ${plan.rules.high.threshold}) &ge; ${plan.rules.high.min_certainty}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
<h2>How this was computed</h2>
<p>For each true effect, ${plan.simulations} studies were simulated from the standard absence model on this design: households randomized within their blocks, and each student's absences negative binomial around their block's rate, shifted by last year's absences. Each study's certainty comes from a fast approximation of the analysis' fit (each district's effect estimated with its uncertainty, then pooled across districts exactly as the model pools them).</p>
${check}
<p class="note">Assumed: dispersion phi ${a.phi}, baseline slope ${a.baseline_slope}, shift for a missing baseline ${a.missing_shift}, spread of the effect between districts tau ${a.tau} (log scale). Analysis prior on the effect parameter: Normal(${plan.analysis_prior.mean}, ${plan.analysis_prior.sd}). Seed ${escapeHtml(String(plan.seed))}.</p>
</body>
</html>
`;
}
