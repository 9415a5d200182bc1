import { describe, expect, it } from 'vitest';
import type { SubgroupsResult } from '../../src/analysis/analysis-result.js';
import { buildReportData } from '../../src/report/build-report-data.js';
import { renderReportHtml } from '../../src/report/render-report-html.js';
import { buildSubgroupSection, renderSubgroupSection } from '../../src/report/subgroup-section.js';
import { makeAnalysis, summary } from './make-analysis.js';

function subgroups(options: { flagged?: boolean; confirmatory?: boolean } = {}): SubgroupsResult {
  return {
    model: 'subgroup-absence-model',
    pooling: 'additive',
    priors: { theta: 'normal(0, 0.5)', subgroup_tau: 'half-normal(0, 0.1)', subgroup_z: 'normal(0, 1)' },
    small_cell_threshold: 10,
    factors: [
      {
        factor: 'grade_band',
        status: options.confirmatory ? 'confirmatory' : 'exploratory',
        tau: summary(0.04, 0.02),
        levels: [
          {
            level: '6-8',
            suppressed: false,
            n_treatment: 120,
            n_control: 118,
            effect: summary(0.031),
            certainty: { '0': 0.84, '0.05': 0.27 },
          },
          {
            level: 'PK-5',
            suppressed: false,
            n_treatment: 180,
            n_control: 182,
            effect: summary(0.012),
            certainty: { '0': 0.66, '0.05': 0.11 },
          },
        ],
      },
      {
        factor: 'language',
        status: 'exploratory',
        tau: summary(0.05, 0.03),
        levels: [
          {
            level: 'en',
            suppressed: false,
            n_treatment: 292,
            n_control: 294,
            effect: summary(0.022),
            certainty: { '0': 0.77, '0.05': 0.16 },
          },
          { level: 'vi', suppressed: true },
        ],
      },
    ],
    diagnostics: {
      rhat_max: 1.003,
      ess_bulk_min: 900,
      divergences: 0,
      adapt_delta: 0.8,
      refits: [],
      flagged: options.flagged ?? false,
      warnings: [],
    },
    chains: 4,
    warmup: 1000,
    draws: 1000,
  };
}

describe("the report's subgroup section", () => {
  it('shows each group with its estimate, range and certainty, tags exploratory factors, and suppresses small groups', () => {
    const section = buildSubgroupSection({ ...makeAnalysis(), subgroups: subgroups() })!;
    expect(section.scope).toBe('study');
    expect(section.factors.map((f) => [f.label, f.status])).toEqual([
      ['Grade band', 'exploratory'],
      ["Caregivers' language", 'exploratory'],
    ]);
    // A factor with a suppressed group shows no counts at all: the hidden one cannot be subtracted from the total.
    expect(section.factors[1].rows.map((r) => [r.level, r.n_treatment, r.estimate === null])).toEqual([
      ['en', null, false],
      ['vi', null, true],
    ]);
    expect(section.factors[0].rows.map((r) => r.n_treatment)).toEqual([120, 180]);
    const html = renderSubgroupSection(section, 1);
    expect(html).toContain('<h2>Did it work better for some students?</h2>');
    expect(html).toContain('Exploratory: these groups were not named in an analysis plan locked before the outcome window');
    expect(html).toContain('<td>6-8</td><td class="num">3.1%</td><td class="num">-1.8% to 8.0%</td><td class="num">84%</td>');
    expect(html).toContain('<td>vi</td><td class="num">suppressed</td>');
    expect(html).toContain('<span class="tag">exploratory</span>');
  });

  it('says planned for factors a locked plan named, and names the network in a district report', () => {
    const analysis = makeAnalysis({
      districts: [
        { id: 'D01', treatment: 200, control: 200, median: 0.03, certainty: 0.9 },
        { id: 'D02', treatment: 150, control: 150, median: 0.01, certainty: 0.6 },
      ],
    });
    const data = buildReportData({ analysis: { ...analysis, subgroups: subgroups({ confirmatory: true }) } }, { district: 'D01' });
    const html = renderReportHtml(data, {});
    expect(html).toContain('Grade band <span class="tag">planned</span>');
    expect(html).toContain('The estimates are across the network (all 2 districts).');
    // The researchers' details: counts by arm, the 95% range and the factor's spread.
    expect(html).toContain('<h3>Subgroup model</h3>');
    expect(html).toContain('<td>6-8</td><td class="num">120</td><td class="num">118</td>');
    expect(html).toContain('tau = 0.040 (90% 0.007 to 0.073)');
  });

  it('withholds a flagged subgroup fit from the plain section, and a report without subgroups has none', () => {
    const flagged = buildSubgroupSection({ ...makeAnalysis(), subgroups: subgroups({ flagged: true }) })!;
    const html = renderSubgroupSection(flagged, 1);
    expect(html).toContain('are not shown: the statistical checks on their fit did not pass');
    expect(html).not.toContain('3.1%');
    expect(buildSubgroupSection(makeAnalysis())).toBeNull();
    expect(renderReportHtml(buildReportData({ analysis: makeAnalysis() }), {})).not.toContain('Did it work better for some students?');
  });
});
