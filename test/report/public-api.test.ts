import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { readReportStudy } from '../../src/report/read-report-study.js';
import { writeReport } from '../../src/report/write-report.js';
import { readStudyData } from '../../src/study/read-study-data.js';

describe('the public API exposes the report next to the data layer', () => {
  it("readStudyData is the data layer's and readReportStudy the report's: neither shadows the other", () => {
    expect(api.readStudyData).toBe(readStudyData);
    expect(api.readReportStudy).toBe(readReportStudy);
    expect(api.writeReport).toBe(writeReport);
  });

  it('exports every report capability by name', () => {
    const names = [
      'buildReportData',
      'writeHeadline',
      'suppressSmallCells',
      'buildReportCharts',
      'renderChartSvg',
      'renderReportHtml',
      'renderReportFiles',
      'readAnalysisResult',
      'readEffectDraws',
      'effectDrawsFrom',
      'checkReportInputs',
      'writeReportPdf',
      'renderReportPdfs',
      'reportPeriods',
    ];
    for (const name of names) expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
  });
});
