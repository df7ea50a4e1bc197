import { describe, expect, it } from 'vitest';
import { budgetLevel, budgetLevelText, meterPercent } from '../../portal/src/lib/budget-standing.js';

describe('budgetLevel', () => {
  it('follows the status the member route gives', () => {
    expect(budgetLevel(95, 'ok')).toBe('ok');
    expect(budgetLevel(50, 'warning')).toBe('warning');
    expect(budgetLevel(90, 'shaped')).toBe('warning');
    expect(budgetLevel(100, 'blocked')).toBe('blocked');
  });

  it('without a status, warns from 80% and marks 100% and over', () => {
    expect(budgetLevel(79.9)).toBe('ok');
    expect(budgetLevel(80)).toBe('warning');
    expect(budgetLevel(100)).toBe('blocked');
    expect(budgetLevel(250)).toBe('blocked');
    expect(budgetLevel(null)).toBe('ok');
    expect(budgetLevelText('blocked')).toBe('at or over the limit');
  });
});

describe('meterPercent', () => {
  it('fills the bar, never past it', () => {
    expect(meterPercent(42.5)).toBe(42.5);
    expect(meterPercent(180)).toBe(100);
    expect(meterPercent(-3)).toBe(0);
    expect(meterPercent(null)).toBe(0);
  });
});
