import type { PosteriorSummary } from '../analysis/analysis-result.js';
import { renderAnalysisPlanSection } from './analysis-plan-section.js';
import type { ReportChartName } from './build-report-charts.js';
import { LEANING_WORDS } from './build-report-data.js';
import { renderChronicAbsenceSection } from './chronic-absence-section.js';
import { renderDeliveredAndCosts } from './delivered-effect-section.js';
import { formatCertainty, formatCount, formatNumber, formatPercent } from './format-figures.js';
import type { ReportData, ReportEffect } from './report-data.js';
import { pageFooterStyle, REPORT_STYLE } from './report-style.js';
import { renderSubgroupDetails, renderSubgroupSection } from './subgroup-section.js';
import type { CategoryByArm } from './summarize-study.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;

function interval(s: PosteriorSummary, level: 90 | 95): string {
  return level === 90 ? `${formatPercent(s.q05)} to ${formatPercent(s.q95)}` : `${formatPercent(s.q025)} to ${formatPercent(s.q975)}`;
}

/** Cells that read as numbers are right-aligned; text stays left. */
const NUMERIC = /^(?:[-+]?[\d.,]+%?(?: to [-+]?[\d.,]+%?)?(?: ± [\d.]+%)?|—|suppressed|over 99%|under 1%)$/;

function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: { totalLast?: boolean; rowClass?: (i: number) => string } = {},
): string {
  const body = rows
    .map((row, i) => {
      const cls = options.rowClass?.(i) ?? (options.totalLast && i === rows.length - 1 ? 'total' : '');
      return `<tr${cls ? ` class="${cls}"` : ''}>${row.map((cell, c) => `<td${c > 0 && NUMERIC.test(cell) ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`;
    })
    .join('\n');
  // A wide table scrolls inside its own box on a phone instead of widening the page.
  return `<div class="table-scroll">\n<table>\n<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</div>`;
}

function figure(svgs: Partial<Record<ReportChartName, string>>, name: ReportChartName, caption: string, missing: string): string {
  const svg = svgs[name];
  if (!svg) return `<p class="note">${e(missing)}</p>`;
  return `<figure class="chart" data-chart="${name}">\n${svg}\n<figcaption>${caption}</figcaption>\n</figure>`;
}

function effectRows(effects: readonly { label: string; effect: ReportEffect }[], intervals: readonly string[]): string {
  return table(
    [
      '',
      'Best estimate (fewer absences)',
      `Likely range (${intervals[0]})`,
      `Wider range (${intervals[1]})`,
      'Certainty absences went down',
      'Certainty they went down 5% or more',
    ],
    effects.map(({ label, effect }) => [
      e(label),
      formatPercent(effect.estimate.median),
      interval(effect.estimate, 90),
      interval(effect.estimate, 95),
      formatCertainty(effect.certainty['0'] ?? NaN, effect.certainty_mc_error?.['0']),
      effect.certainty['0.05'] === undefined ? '—' : formatCertainty(effect.certainty['0.05'], effect.certainty_mc_error?.['0.05']),
    ]),
  );
}

/** Days not missed in words: 0.19 -> "0.19 fewer", -18 -> "18 more" (a negative figure means more days missed). */
function daysInWords(value: number, digits: number): string {
  const text = formatNumber(Math.abs(value), digits);
  if (Number(text) === 0) return formatNumber(0, digits);
  return `${text} ${value > 0 ? 'fewer' : 'more'}`;
}

function daysRange(s: PosteriorSummary, digits: number): string {
  return `from ${daysInWords(s.q05, digits)} to ${daysInWords(s.q95, digits)}`;
}

/** Whose days-avoided figure a row shows, for its label. */
function whoseDays(days: ReportData['days_avoided'], data: ReportData): string {
  if (days.scope === 'district') return `in ${data.scope.name}`;
  if (days.scope === 'network') return `across the network (all ${data.scope.districts} districts)`;
  return `in ${data.scope.name}`;
}

function categoryTable(t: CategoryByArm, firstHeader: string): string {
  const arms = t.arm_totals.map((a) => a.arm);
  const rows = t.categories.map((c) => [e(c.label), ...c.counts.flatMap((n) => [formatCount(n.students), formatPercent(n.share)])]);
  rows.push(['All students in the window', ...t.arm_totals.flatMap((n) => [formatCount(n.students), n.students === null ? '—' : '100%'])]);
  return table([e(firstHeader), ...arms.flatMap((a) => [`${e(a)}: students`, `${e(a)}: share`])], rows, { totalLast: true });
}

function suppressedNote(n: number): string {
  return n > 0
    ? '<p class="note">"suppressed": the cell describes fewer than 10 students, or would let one that does be worked out from the totals.</p>'
    : '';
}

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts, no
 * script, no external resource, laid out for screen and print. Pure.
 */
export function renderReportHtml(data: ReportData, svgs: Partial<Record<ReportChartName, string>>): string {
  const m = data.methods;
  const d = data.decision;
  const isDistrict = data.scope.kind === 'district';
  const networkLabel = `Network (all ${data.scope.districts} districts)`;
  const intervals = m.intervals.map((level) => formatPercent(level, 0));
  const windowText = m.window ? `${m.window.from} to ${m.window.to}` : 'not recorded';
  const parts: string[] = [];
  parts.push(`<h1>${e(data.title)}</h1>`);
  parts.push(
    `<p class="meta">Outcome window ${e(windowText)} · ${data.scope.districts} district${data.scope.districts === 1 ? '' : 's'} in the study</p>`,
  );
  for (const caution of data.cautions) parts.push(`<div class="caution" role="alert">${e(caution)}</div>`);
  parts.push(`<p class="headline">${e(data.headline)}</p>`);
  if (isDistrict && data.network_effect && data.effect.partially_pooled) {
    parts.push(
      `<p>Across the whole network (all ${data.scope.districts} districts), the estimate is ${formatPercent(data.network_effect.estimate.median)} fewer absences, and we are ${formatCertainty(data.network_effect.certainty['0'] ?? NaN, data.network_effect.certainty_mc_error?.['0'])} certain absences went down. This district's estimate also draws on the other districts' results, which keeps a single district's figure from swinging on chance.</p>`,
    );
  }
  parts.push(
    '<p class="note">Every figure is the effect of <em>sending</em> the messages: students are counted in the group they were placed in by lot, whether or not a message reached their caregivers.</p>',
  );

  parts.push('<h2>Did the messages work?</h2>');
  const decidedOn =
    d.basis === 'network'
      ? ` This is the study's decision, made across the network of ${data.scope.districts} districts as the study was designed.`
      : '';
  const rule = d.summary.replace(/^[^:]*: /, '');
  parts.push(
    `<p><span class="verdict ${d.working ? 'yes' : 'no'}">${d.working ? 'Working' : 'Not shown to work'}</span> ${e(`${rule.charAt(0).toUpperCase()}${rule.slice(1)}`)}${decidedOn}</p>`,
  );
  // Said beside the verdict too: whether the rule was fixed in advance is part of the decision.
  if (m.analysis_plan) parts.push(`<p class="note">${e(m.analysis_plan.statement)}</p>`);
  const ruleRow = (level: 'low' | 'high') => {
    const r = d.rules[level];
    const needs =
      r.threshold === 0
        ? `at least ${formatPercent(r.min_certainty, 0)} certain absences went down`
        : `at least ${formatPercent(r.min_certainty, 0)} certain absences went down by ${formatPercent(r.threshold, 0)} or more`;
    // In a district report the certainty is the network's, and its row says so.
    const certainty = `${formatCertainty(r.certainty, r.certainty_mc_error)}${isDistrict ? ' (network)' : ''}`;
    return [
      level === 'low' ? 'Low effort (e.g. automated messages)' : 'High effort (a demanding intervention)',
      needs,
      certainty,
      r.met ? 'Yes' : 'No',
      d.effort === level ? '<strong>Applied</strong>' : 'Shown for comparison',
    ];
  };
  parts.push(
    table(
      ['Rule', 'Counts as working when we are', d.basis === 'network' ? 'We are (network)' : 'We are', 'Met?', ''],
      [ruleRow('low'), ruleRow('high')],
      { rowClass: (i) => ((i === 0 ? 'low' : 'high') === d.effort ? 'applied' : '') },
    ),
  );
  if (data.district_evidence) {
    parts.push(`<h3>What the evidence says in ${e(data.scope.name)}</h3>`);
    parts.push(`<p>${e(data.district_evidence.statement)}</p>`);
    if (data.chance) parts.push(`<p class="note">${e(data.chance.statement)}</p>`);
  }
  parts.push('<h3>What it means for next year</h3>');
  parts.push(`<p class="next-year">${e(d.next_year)}</p>`);

  parts.push('<h2>How big was the effect?</h2>');
  const curveWhose =
    isDistrict && data.effect.partially_pooled
      ? ` in ${e(data.scope.name)}`
      : data.scope.kind === 'network' || isDistrict
        ? ' across the network'
        : '';
  parts.push(
    figure(
      svgs,
      'posterior',
      `How likely each size of effect is${curveWhose}, given the data: the taller the curve, the more likely. The effect is the percent reduction in days absent for students whose caregivers were sent the messages, compared with students in the same schools and grades whose caregivers were not; the shaded part is the chance that absences went down.`,
      'The chart of the effect could not be drawn.',
    ),
  );
  const ownLabel =
    isDistrict && data.effect.partially_pooled
      ? `${data.scope.name} (this district)`
      : data.scope.kind === 'study'
        ? data.scope.name
        : networkLabel;
  const effects: { label: string; effect: ReportEffect }[] = [{ label: ownLabel, effect: data.effect }];
  if (isDistrict && data.network_effect && data.effect.partially_pooled) effects.push({ label: networkLabel, effect: data.network_effect });
  parts.push(effectRows(effects, intervals));
  parts.push('<h3>Days of school not missed</h3>');
  const dayRows = (days: ReportData['days_avoided']) => {
    const whose = whoseDays(days, data);
    return [
      [
        e(`Per student whose caregivers were sent the messages, ${whose}`),
        daysInWords(days.per_treated_student.mean, 2),
        daysRange(days.per_treated_student, 2),
      ],
      [e(`Per 100 such students, ${whose}`), daysInWords(days.per_100_treated.mean, 0), daysRange(days.per_100_treated, 0)],
    ];
  };
  const daysShown = [...dayRows(data.days_avoided), ...(data.network_days_avoided ? dayRows(data.network_days_avoided) : [])];
  parts.push(table(['', 'Days not missed (best estimate)', `Likely range (${intervals[0]})`], daysShown));
  parts.push(
    '<p class="note">Over the outcome window: the days these students would have missed without the messages, less those expected with them. "More" means more days missed than without the messages.</p>',
  );
  if (data.chronic_absence) parts.push(renderChronicAbsenceSection(data.chronic_absence, table, e));
  parts.push(renderDeliveredAndCosts(data.delivered_effect ?? null, data.costs ?? null, table, e));

  if (data.district_effects) {
    parts.push('<h2>Effect by district</h2>');
    parts.push(
      figure(
        svgs,
        'district_forest',
        "Each district's estimate is pulled toward the network's, the more so the fewer students the district has; the dashed lines mark no change and 5% fewer absences.",
        'No district is large enough to show on its own.',
      ),
    );
    const rows = data.district_effects.rows.map((r) => [
      e(r.name) + (r.district === data.district_effects!.highlight ? ' <strong>(this district)</strong>' : ''),
      r.estimate ? formatPercent(r.estimate.median) : 'suppressed',
      r.estimate ? interval(r.estimate, 90) : '—',
      r.certainty ? formatCertainty(r.certainty['0'] ?? NaN, r.certainty_mc_error?.['0']) : '—',
      r.leaning ? LEANING_WORDS[r.leaning] : '—',
    ]);
    if (data.district_effects.pooled) {
      const p = data.district_effects.pooled;
      rows.push([
        e(networkLabel),
        formatPercent(p.estimate.median),
        interval(p.estimate, 90),
        formatCertainty(p.certainty['0'] ?? NaN, p.certainty_mc_error?.['0']),
        `the study's decision: ${d.working ? 'working' : 'not shown to work'}`,
      ]);
    }
    parts.push(
      table(
        ['District', 'Best estimate (fewer absences)', `Likely range (${intervals[0]})`, 'Certainty absences went down', 'The evidence'],
        rows,
        { totalLast: Boolean(data.district_effects.pooled) },
      ),
    );
    if (data.chance && !isDistrict) parts.push(`<p class="note">${e(data.chance.statement)}</p>`);
  }

  if (data.subgroups) parts.push(renderSubgroupSection(data.subgroups, data.scope.districts));

  parts.push(`<h2>Absences in the study${isDistrict ? ` (${e(data.scope.name)})` : ''}</h2>`);
  if (data.raw_vs_estimate)
    parts.push(`<p class="${data.raw_vs_estimate.agree ? 'note' : 'note raw-differs'}">${e(data.raw_vs_estimate.explanation)}</p>`);
  const noData = "Not shown: the study's attendance data were not given, or every cell would describe fewer than 10 students.";
  parts.push(
    figure(
      svgs,
      'absence_distribution',
      'How many days students missed in the outcome window. Bars with fewer than 10 students are left out.',
      noData,
    ),
  );
  parts.push(
    figure(
      svgs,
      'absence_rate_over_time',
      "Days missed as a share of days enrolled, over each group's students enrolled that month. Months with fewer than 10 students in a group are left out.",
      noData,
    ),
  );
  parts.push(figure(svgs, 'attendance_tiers', 'Chronic absence is missing 10% or more of enrolled days.', noData));
  if (data.charts.attendance_tiers) {
    parts.push('<h3>Students by attendance tier</h3>');
    parts.push(categoryTable(data.charts.attendance_tiers, 'Tier (share of days missed)'));
    parts.push(suppressedNote(data.charts.attendance_tiers.suppressed));
  }

  parts.push('<h2>Who was in the study</h2>');
  const sd = data.tables.students_by_arm_and_district;
  if (sd) {
    parts.push('<h3>Students analyzed, by district and group</h3>');
    parts.push('<p class="note">Students placed in a group by lot who were enrolled at least one day in the outcome window.</p>');
    const rows = sd.rows.map((r) => [
      e(data.district_effects?.rows.find((x) => x.district === r.district)?.name ?? r.district),
      ...r.counts.map((n) => formatCount(n)),
      formatCount(r.total),
    ]);
    rows.push([isDistrict ? 'All (this district)' : 'All districts', ...sd.totals.map((n) => formatCount(n)), formatCount(sd.total)]);
    parts.push(table(['District', ...sd.arms.map(e), 'All'], rows, { totalLast: true }));
    parts.push(suppressedNote(sd.suppressed));
  }
  const at = data.tables.attrition;
  if (at) {
    parts.push('<h3>Students who left</h3>');
    parts.push(
      `<p class="note">Students placed in a group but enrolled no days in the outcome window (they moved away or left school) cannot be counted${isDistrict ? ' (this district)' : ''}. Many leaving one group only would be a warning sign.</p>`,
    );
    parts.push(
      table(['Group', 'Students left out'], [...at.rows.map((r) => [e(r.arm), formatCount(r.left_out)]), ['All', formatCount(at.total)]], {
        totalLast: true,
      }),
    );
    parts.push(suppressedNote(at.suppressed));
  }
  if (data.tables.balance) {
    const shown = data.tables.balance.filter((b) => b.flagged !== null);
    const differ = shown.filter((b) => b.flagged).length;
    parts.push('<h3>Were the groups alike before the messages?</h3>');
    parts.push(
      `<p>Placing students by lot should make the groups alike before the messages began. ${differ === 0 ? `They were: none of the ${shown.length} measures compared (earlier absences, grade, school, household size) differs by more than the usual mark.` : `${differ} of the ${shown.length} measures compared (earlier absences, grade, school, household size) differ${differ === 1 ? 's' : ''} by more than the usual mark; the estimate allows for earlier absences, school and grade.`} The full table is under "For researchers".</p>`,
    );
  }
  parts.push('<h3>Privacy</h3>');
  parts.push(
    `<p>${e(data.privacy.statement)} ${data.privacy.suppressed_cells > 0 ? `${data.privacy.suppressed_cells} figures were suppressed in this report.` : 'No figure needed suppressing.'}</p>`,
  );

  parts.push('<section class="methods" id="for-researchers" aria-label="For researchers">');
  parts.push('<h2>For researchers</h2>');
  parts.push(
    '<p class="note">The statistical details behind the figures above: the model, the checks on the fit, and what is needed to reproduce it.</p>',
  );
  parts.push('<h3>Methods</h3>');
  parts.push(`<p>${e(m.model.in_words)}</p>`);
  parts.push(`<p>${e(m.arms_in_effect_statement)}</p>`);
  parts.push(renderAnalysisPlanSection(m.analysis_plan, table, e));
  parts.push(`<pre>${e(m.model.formulas.join('\n'))}</pre>`);
  parts.push(
    `<p class="note">z_i is the standardized log prior absence rate, log((b_i + 0.5) / (eb_i + 1)); m_i marks a student with no prior record; k[i] is the randomization block and d[i] the district; T_i is 1 for students randomized to the messages. The effect prior is a user option; the one used is listed above. The chart of the effect is the posterior density, ${data.charts.posterior.source === 'draws' ? 'from the posterior draws' : 'from the posterior summary (a normal approximation on the log scale)'}; ranges are equal-tailed credible intervals.${isDistrict && data.effect.partially_pooled ? " A district's estimate is partially pooled toward the network's." : ''}${data.effect.certainty_mc_error ? ' A certainty shown as "83% ± 1%" carries its Monte Carlo error: sqrt(p(1 - p) / ESS), with ESS the effective sample size of the draws above the threshold, how far the figure could move were the analysis rerun with another seed.' : ''}</p>`,
  );
  parts.push(
    table(
      ['Setting', 'Value'],
      [
        ['Outcome window', e(windowText)],
        [
          'Arms in effect from',
          m.arms_in_effect
            ? `${e(m.arms_in_effect.date)} (${{ assignment: "the assignment's date", simulation: "the simulation's first day", stated: 'stated with --assignment-date' }[m.arms_in_effect.source]})`
            : 'not checked',
        ],
        ['Students in the fit', formatCount(m.model.n)],
        ['Randomization blocks', String(m.model.n_blocks)],
        ['Districts', String(m.model.n_districts)],
        [
          'Baseline terms',
          m.model.baseline === 'all'
            ? 'prior absence rate (every student has one)'
            : m.model.baseline === 'partial'
              ? 'prior absence rate and a missing-baseline indicator'
              : 'none (no prior records)',
        ],
        ['Half days rounded to whole days (students)', formatCount(m.model.rounded_half_days)],
        ['Method', m.method === 'nuts' ? 'No-U-Turn Sampler (NUTS), as in Stan' : 'Laplace approximation (preview only)'],
        ['Chains × (warmup + draws)', `${m.model.chains} × (${m.model.warmup} + ${m.model.draws})`],
      ].map(([a, b]) => [a, b]),
    ),
  );
  const g = m.diagnostics;
  parts.push('<h3>Diagnostics</h3>');
  parts.push(
    table(
      ['Check', 'Value', 'Threshold'],
      [
        ['Largest R-hat (rank-normalized, split)', formatNumber(g.rhat_max, 3), `≤ ${g.checks.rhat_max}`],
        ['Bulk ESS of the effect', formatNumber(g.ess_bulk_effect, 0), `≥ ${g.checks.ess_bulk_effect_min}`],
        ['Smallest bulk ESS', formatNumber(g.ess_bulk_min, 0), ''],
        ['Smallest tail ESS', formatNumber(g.ess_tail_min, 0), ''],
        ['Divergent transitions', String(g.divergences), String(g.checks.divergences_max)],
        ['Iterations at the maximum tree depth', String(g.treedepth_saturated), ''],
        ['Smallest E-BFMI', formatNumber(g.ebfmi_min, 2), `≥ ${g.checks.ebfmi_min}`],
        ['Target acceptance (adapt_delta) of the reported fit', formatNumber(g.adapt_delta, 2), ''],
        ['Passed every check', g.flagged ? '<strong>No: provisional</strong>' : 'Yes', ''],
      ],
    ),
  );
  if (g.refits.length > 0) {
    parts.push(
      `<p>The sampler was refit at a higher target acceptance before these figures were reported: ${g.refits.map((r) => `at adapt_delta ${r.adapt_delta}, ${e(r.reason)}`).join('; ')}. The reported fit used adapt_delta ${g.adapt_delta}.</p>`,
    );
  } else parts.push('<p>No refit was needed.</p>');
  if (g.warnings.length > 0) parts.push(`<p class="note">Notes from the fit: ${g.warnings.map(e).join('; ')}.</p>`);
  if (data.tables.balance) {
    const arms = data.arms;
    const treated = Object.keys(data.tables.balance[0]?.smd ?? {});
    parts.push(`<h3>Baseline balance${isDistrict ? ` (${e(data.scope.name)})` : ''}</h3>`);
    parts.push(
      `<p class="note">Means by arm of the analyzed students and standardized mean differences (SMD); an |SMD| beyond ${data.methods.diagnostics.checks.smd_imbalance} is the conventional mark of imbalance.</p>`,
    );
    const label = (v: string, level: string) =>
      (
        ({
          baseline_absence_rate: 'Prior absence rate',
          has_baseline: 'Has a prior-year record',
          household_size: 'Students in the household',
          grade: `Grade ${level}`,
          school: `School ${level}`,
        }) as Record<string, string>
      )[v] ?? `${v} ${level}`;
    const value = (v: string, x: number | null) =>
      x === null ? 'suppressed' : v === 'household_size' ? formatNumber(x, 2) : formatPercent(x, 1);
    parts.push(
      table(
        ['Variable', ...arms.map((a) => `${e(a)}`), ...treated.map((a) => `SMD (${e(a)})`), 'Imbalanced?'],
        data.tables.balance.map((b) => [
          e(label(b.variable, b.level)),
          ...arms.map((a) => value(b.variable, b.mean[a])),
          ...treated.map((a) => formatNumber(b.smd[a], 3)),
          b.flagged === null ? '—' : b.flagged ? 'Yes' : 'No',
        ]),
      ),
    );
  }
  if (data.subgroups) parts.push(renderSubgroupDetails(data.subgroups));
  parts.push('<h3>Reproducibility</h3>');
  const inputs = Object.entries(m.inputs).map(([role, hash]) => [e(role), `<span class="hash">${e(hash)}</span>`]);
  parts.push(
    table(
      ['Item', 'Value'],
      [
        ['Seed', String(m.seed)],
        ['Analysis by attendance-pilot', e(m.version)],
        ['Report by attendance-pilot', e(m.report_version)],
        ...inputs.map(([r, h]) => [`${m.hash} of ${r}`, h]),
      ],
    ),
  );
  parts.push('</section>');
  parts.push(
    `<footer>Made with attendance-pilot ${e(m.report_version)}. Every figure here is in report.json beside this file; the charts' Vega-Lite specifications are the .vl.json files.</footer>`,
  );

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(data.title)}</title>
<style>${REPORT_STYLE}${pageFooterStyle(data.title)}</style>
</head>
<body>
<main>
${parts.join('\n')}
</main>
</body>
</html>
`;
}
