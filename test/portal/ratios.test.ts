import { describe, expect, it } from 'vitest';
import { errorShare, sharePercent } from '../../portal/src/lib/ratios.js';

describe('errorShare', () => {
  it('is errors over the total, bounded to 0–1', () => {
    expect(errorShare(1, 8)).toBe(0.125);
    expect(errorShare(0, 5)).toBe(0);
    expect(errorShare(9, 5)).toBe(1);
  });
  it('is null with nothing counted', () => {
    expect(errorShare(0, 0)).toBeNull();
  });
});

describe('sharePercent', () => {
  it('turns a share into a percentage with two decimals, for CSV', () => {
    expect(sharePercent(0.0123456)).toBe(1.23);
    expect(sharePercent(1)).toBe(100);
    expect(sharePercent(null)).toBeNull();
  });
});
