import { describe, expect, it } from 'vitest';
import type { BalanceRow } from '../../src/assignment/balance.js';
import { formatBalanceSummary } from '../../src/assignment/format-balance-summary.js';

const row = (variable: string, level: string, smd: number): BalanceRow => ({
  variable,
  level,
  n: { control: 10, treatment: 10 },
  mean: { control: 0.5, treatment: 0.5 },
  smd: { treatment: smd },
  flagged: Math.abs(smd) > 0.1,
});

describe('formatBalanceSummary', () => {
  it('says no variable is flagged when none has |SMD| > 0.1', () => {
    const text = formatBalanceSummary([row('household_size', '', 0.02), row('grade', '3', 0.05)], ['control', 'treatment'], 'control');
    expect(text.split('\n').at(-1)).toBe('No variable has |SMD| > 0.1.');
  });

  it('counts the flagged rows and shows the grade level with the largest |SMD|', () => {
    const rows = [row('household_size', '', 0.02), row('grade', '3', 0.05), row('grade', '4', -0.2), row('school', 'S1', 0.15)];
    const text = formatBalanceSummary(rows, ['control', 'treatment'], 'control');
    expect(text).toContain('grade 4 (largest)');
    expect(text).toContain('|SMD| > 0.1');
    expect(text.split('\n').at(-1)).toBe('2 of 4 balance rows have |SMD| > 0.1 (see balance.csv).');
  });
});
