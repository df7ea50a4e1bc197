import { describe, expect, it } from 'vitest';
import { hoursText, sourceText, ttlProblem } from '../../portal/src/features/settings/settings-text.js';

describe('ttlProblem', () => {
  it('accepts whole hours from 1 to 8760', () => {
    expect(ttlProblem('1')).toBeUndefined();
    expect(ttlProblem(' 24 ')).toBeUndefined();
    expect(ttlProblem('8760')).toBeUndefined();
  });

  it('refuses anything else', () => {
    for (const text of ['', '0', '8761', '1.5', '-3', 'abc']) expect(ttlProblem(text)).toMatch(/1 to 8,760/);
  });
});

describe('hoursText', () => {
  it('adds days for whole days', () => {
    expect(hoursText(1)).toBe('1 hour');
    expect(hoursText(12)).toBe('12 hours');
    expect(hoursText(24)).toBe('24 hours (1 day)');
    expect(hoursText(36)).toBe('36 hours');
    expect(hoursText(8760)).toBe('8,760 hours (365 days)');
  });
});

describe('sourceText', () => {
  it('says who set the value and when', () => {
    expect(sourceText({ source: 'database', updated_at: '2026-01-31T18:04:05.123Z' }, 'UTC')).toBe('Set by an admin, 2026-01-31 18:04');
    expect(sourceText({ source: 'environment', updated_at: null })).toBe('The default applies');
  });
});
