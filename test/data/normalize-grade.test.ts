import { describe, expect, it } from 'vitest';
import { gradeIndex, normalizeGrade } from '../../src/data/normalize-grade.js';

describe('normalizeGrade', () => {
  it('normalizes the codes data-formats.md lists', () => {
    expect(['PK', 'pk', 'KG', 'K', 'k', '0', '1', '01', '09', '12', ' 3 '].map(normalizeGrade)).toEqual([
      'PK',
      'PK',
      'KG',
      'KG',
      'KG',
      'KG',
      '1',
      '1',
      '9',
      '12',
      '3',
    ]);
  });
  it('rejects anything else', () => {
    expect(['13', '-1', 'first', '', '1.5', 'G3'].map(normalizeGrade)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
  it('orders grades PK < KG < 1 < ... < 12', () => {
    expect(gradeIndex('PK')).toBe(0);
    expect(gradeIndex('KG')).toBe(1);
    expect(gradeIndex('12')).toBe(13);
  });
});
