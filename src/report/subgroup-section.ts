import type { AnalysisResult, Certainty, PosteriorSummary } from '../analysis/analysis-result.js';
import { formatCertainty, formatCount, formatNumber, formatPercent } from './format-figures.js';

/** One level of a subgroup factor as a report shows it; `estimate` is null when the level is suppressed. */
export interface SubgroupRow {
  readonly level: string;
  readonly estimate: PosteriorSummary | null;
  readonly certainty: Certainty | null;
  readonly certainty_mc_error?: Certainty | null;
  /** Students in the level by arm; null when suppressed (or when another level of the factor is). */
  readonly n_treatment: number | null;
  readonly n_control: number | null;
}

/** The report's subgroup section (`report.json` `subgroups`): effects by subgroup, with their standing. */
export interface SubgroupSection {
  /** The effects are the network's (every district's students) or the one-district study's. */
  readonly scope: 'network' | 'study';
  /** The subgroup fit failed its checks: its figures are withheld from the plain section. */
  readonly flagged: boolean;
  readonly factors: readonly {
    readonly factor: string;
    readonly label: string;
    readonly status: 'confirmatory' | 'exploratory';
    /** Spread of the factor's levels' log rate ratios (`tau_g`). */
    readonly spread: PosteriorSummary;
    readonly rows: readonly SubgroupRow[];
  }[];
  /** One plain sentence on what the section can and cannot show. */
  readonly statement: string;
}

const FACTOR_LABELS: Readonly<Record<string, string>> = {
  prior_tier: "Last year's absence (share of days missed)",
  grade_band: 'Grade band',
  language: "Caregivers' language",
  mode: 'How messages were sent',
};

/**
 * The report's subgroup section from `analysis.subgroups`, or null when the analysis has
 * none. Levels the analysis suppressed (fewer than 10 students in an arm) stay suppressed;
 * counts are shown only for a factor none of whose levels is suppressed, so a hidden
 * level's count cannot be worked out from the others and the total.
 */
export function buildSubgroupSection(analysis: AnalysisResult): SubgroupSection | null {
  const subgroups = analysis.subgroups;
  if (!subgroups) return null;
  const factors = subgroups.factors.map((f) => {
    const anySuppressed = f.levels.some((l) => l.suppressed);
    return {
      factor: f.factor,
      label: FACTOR_LABELS[f.factor] ?? f.factor,
      status: f.status,
      spread: f.tau,
      rows: f.levels.map((l) => ({
        level: l.level,
        estimate: l.suppressed ? null : (l.effect ?? null),
        certainty: l.suppressed ? null : (l.certainty ?? null),
        certainty_mc_error: l.suppressed ? null : (l.certainty_mc_error ?? null),
        n_treatment: anySuppressed ? null : (l.n_treatment ?? null),
        n_control: anySuppressed ? null : (l.n_control ?? null),
      })),
    };
  });
  const exploratory = factors.some((f) => f.status === 'exploratory');
  const statement = exploratory
    ? 'Exploratory: these groups were not named in an analysis plan locked before the outcome window, so a difference between them is a question for the next study, not a finding. Each group’s estimate is drawn toward the overall effect, more so for small groups.'
    : 'These groups were named in the analysis plan locked before the outcome window. Each group’s estimate is drawn toward the overall effect, more so for small groups.';
  return { scope: analysis.model.network ? 'network' : 'study', flagged: subgroups.diagnostics.flagged, factors, statement };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows.map((row) => `<tr>${row.map((cell, c) => `<td${c > 0 ? ' class="num"' : ''}>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-scroll">\n<table>\n<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</div>`;
}

const range = (s: PosteriorSummary, level: 90 | 95) =>
  level === 90 ? `${formatPercent(s.q05)} to ${formatPercent(s.q95)}` : `${formatPercent(s.q025)} to ${formatPercent(s.q975)}`;

/**
 * The plain section for every reader: each factor's groups with the best estimate, the
 * likely range and the certainty, each factor marked exploratory or planned.
 */
export function renderSubgroupSection(section: SubgroupSection, districts: number): string {
  const e = escapeHtml;
  const parts = ['<section class="subgroups" aria-label="Effects by group">', '<h2>Did it work better for some students?</h2>'];
  const where = section.scope === 'network' ? ` across the network (all ${districts} districts)` : '';
  if (section.flagged) {
    parts.push(
      `<p class="note">The estimates by group${where} are not shown: the statistical checks on their fit did not pass (details under "For researchers").</p>`,
      '</section>',
    );
    return parts.join('\n');
  }
  parts.push(`<p class="note">${e(section.statement)}${where ? ` The estimates are${e(where)}.` : ''}</p>`);
  for (const f of section.factors) {
    parts.push(
      `<h3>${e(f.label)}${f.status === 'exploratory' ? ' <span class="tag">exploratory</span>' : ' <span class="tag">planned</span>'}</h3>`,
    );
    parts.push(
      table(
        ['Group', 'Best estimate (fewer absences)', 'Likely range (90%)', 'Certainty absences went down'],
        f.rows.map((r) =>
          r.estimate === null
            ? [e(r.level), 'suppressed', '—', '—']
            : [
                e(r.level),
                formatPercent(r.estimate.median),
                range(r.estimate, 90),
                formatCertainty(r.certainty?.['0'] ?? NaN, r.certainty_mc_error?.['0']),
              ],
        ),
      ),
    );
  }
  if (section.factors.some((f) => f.rows.some((r) => r.estimate === null)))
    parts.push('<p class="note">"suppressed": fewer than 10 students of a group were in the messaged or the comparison group.</p>');
  parts.push('</section>');
  return parts.join('\n');
}

/** The researchers' details: counts by arm, 95% ranges, the second certainty and each factor's spread. */
export function renderSubgroupDetails(section: SubgroupSection): string {
  const e = escapeHtml;
  const parts = [
    '<h3>Subgroup model</h3>',
    `<p class="note">Effects by group come from a second fit beside the main one: the same model with, for a treated student, sum_g tau_g z[g, l] added to the effect (factors additive, levels partially pooled within each factor; tau_g ~ half-normal(0, 0.1), z ~ normal(0, 1)). A group's effect is 1 - exp(theta + tau_g z[g, l]), with the other factors at their average.${section.flagged ? ' <strong>This fit failed its checks: its figures are provisional.</strong>' : ''}</p>`,
  ];
  for (const f of section.factors) {
    parts.push(
      `<p><strong>${e(f.label)}</strong> (${f.status}): spread of the groups' log rate ratios tau = ${formatNumber(f.spread.median, 3)} (90% ${formatNumber(f.spread.q05, 3)} to ${formatNumber(f.spread.q95, 3)}).</p>`,
    );
    parts.push(
      table(
        ['Group', 'Messaged', 'Comparison', 'Mean', '95% range', 'P(effect > 0)', 'P(effect > 5%)'],
        f.rows.map((r) => [
          e(r.level),
          formatCount(r.n_treatment),
          formatCount(r.n_control),
          r.estimate ? formatPercent(r.estimate.mean) : 'suppressed',
          r.estimate ? range(r.estimate, 95) : '—',
          r.certainty ? formatCertainty(r.certainty['0'] ?? NaN, r.certainty_mc_error?.['0']) : '—',
          r.certainty?.['0.05'] !== undefined ? formatCertainty(r.certainty['0.05'], r.certainty_mc_error?.['0.05']) : '—',
        ]),
      ),
    );
  }
  return parts.join('\n');
}
