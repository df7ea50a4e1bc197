import { describe, expect, it } from 'vitest';
import { dialectName, endpointsText, formatUptime, latencyText, ledgerText } from '../../portal/src/features/system/system-text.js';

describe('formatUptime', () => {
  it('shows the two largest units', () => {
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(12 * 60 + 5)).toBe('12 min');
    expect(formatUptime(5 * 3600 + 12 * 60)).toBe('5 h 12 min');
    expect(formatUptime(2 * 3600)).toBe('2 h');
    expect(formatUptime(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatUptime(86_400)).toBe('1 d');
  });

  it('says nothing for a value that is not a duration', () => {
    expect(formatUptime(-1)).toBe('—');
    expect(formatUptime(Number.NaN)).toBe('—');
  });
});

describe('latencyText', () => {
  it('rounds to whole milliseconds, with a floor', () => {
    expect(latencyText(2.4)).toBe('2 ms');
    expect(latencyText(0.3)).toBe('< 1 ms');
    expect(latencyText(null)).toBeUndefined();
  });
});

describe('dialectName', () => {
  it('names the databases', () => {
    expect(dialectName('sqlite')).toBe('SQLite');
    expect(dialectName('postgres')).toBe('PostgreSQL');
  });
});

describe('endpointsText', () => {
  it('counts enabled endpoints and names the default', () => {
    expect(endpointsText({ total: 3, enabled: 2, default: 'bedrock-us' })).toBe('2 of 3 enabled; default: bedrock-us');
    expect(endpointsText({ total: 2, enabled: 2, default: null })).toBe('2 of 2 enabled; no default endpoint');
    expect(endpointsText({ total: 2, enabled: 0, default: null })).toBe('0 of 2 enabled');
  });

  it('says what to do without one', () => {
    expect(endpointsText({ total: 0, enabled: 0, default: null })).toMatch(/add one/);
  });
});

describe('ledgerText', () => {
  it('says whether rows are waiting', () => {
    expect(ledgerText(0)).toBe('Up to date');
    expect(ledgerText(1)).toBe('1 row waiting to be written');
    expect(ledgerText(12_345)).toBe('12,345 rows waiting to be written');
  });
});
