import { describe, expect, it } from 'vitest';
import { buildReportData } from '../../src/report/build-report-data.js';
import { formatCertainty } from '../../src/report/format-figures.js';
import { renderReportHtml } from '../../src/report/render-report-html.js';
import { makeAnalysis } from './make-analysis.js';

describe('certainties with their Monte Carlo error', () => {
  it('formatCertainty writes the margin in points: one decimal below 1, whole points above', () => {
    expect(formatCertainty(0.834)).toBe('83%');
    expect(formatCertainty(0.834, 0.0062)).toBe('83% ± 0.6%');
    expect(formatCertainty(0.834, 0.013)).toBe('83% ± 1%');
    expect(formatCertainty(0.72, 0.049)).toBe('72% ± 5%');
    // No margin on the bounded forms, nor when there is none to give.
    expect(formatCertainty(0.995, 0.002)).toBe('over 99%');
    expect(formatCertainty(0.004, 0.002)).toBe('under 1%');
    expect(formatCertainty(0.5, 0)).toBe('50%');
    expect(formatCertainty(0.5, Number.NaN)).toBe('50%');
  });

  it('the headline, the decision and the effect table show the margin an analysis records', () => {
    const base = makeAnalysis({ certainty: { '0': 0.83, '0.05': 0.21 } });
    const analysis = {
      ...base,
      certainty_mc_error: { '0': 0.0061, '0.05': 0.0124 },
      decision: {
        ...base.decision,
        applied: { ...base.decision.applied, certainty_mc_error: 0.0061 },
        rules: { ...base.decision.rules, low: { ...base.decision.rules.low, certainty_mc_error: 0.0061 } },
      },
    };
    const data = buildReportData({ analysis });
    expect(data.headline).toContain('we are 83% ± 0.6% certain absences went down');
    expect(data.decision.summary).toContain('we are 83% ± 0.6% certain');
    expect(data.effect.certainty_mc_error).toEqual({ '0': 0.0061, '0.05': 0.0124 });
    const html = renderReportHtml(data, {});
    expect(html).toContain('<td class="num">83% ± 0.6%</td>');
    expect(html).toContain('<td class="num">21% ± 1%</td>');
    expect(html).toContain('carries its Monte Carlo error');
  });

  it('an analysis without recorded errors reads as before', () => {
    const data = buildReportData({ analysis: makeAnalysis() });
    expect(data.headline).toContain('we are 83% certain absences went down');
    expect(renderReportHtml(data, {})).not.toContain('±');
  });
});
