import { describe, expect, it } from 'vitest';
import { parseExpiry, parseInstant } from '../../src/cli/expiry.js';

const now = new Date('2026-01-15T12:00:00.000Z');

describe('parseExpiry', () => {
  it.each([
    ['90m', '2026-01-15T13:30:00.000Z'],
    ['12h', '2026-01-16T00:00:00.000Z'],
    ['30d', '2026-02-14T12:00:00.000Z'],
    ['2w', '2026-01-29T12:00:00.000Z'],
    [' 1d ', '2026-01-16T12:00:00.000Z'],
  ])('reads the duration %s from now', (input, expected) => {
    expect(parseExpiry(input, now).toISOString()).toBe(expected);
  });

  it.each([
    ['2026-03-01', '2026-03-01T00:00:00.000Z'],
    ['2026-03-01T18:30:00Z', '2026-03-01T18:30:00.000Z'],
    ['2026-03-01T18:30:00.250+02:00', '2026-03-01T16:30:00.250Z'],
    ['2026-03-01 18:30Z', '2026-03-01T18:30:00.000Z'],
  ])('reads the ISO date %s', (input, expected) => {
    expect(parseExpiry(input, now).toISOString()).toBe(expected);
  });

  it('refuses calendar days that do not exist instead of rolling them over', () => {
    expect(() => parseExpiry('2026-02-30', now)).toThrow(/not a valid date/);
    expect(() => parseExpiry('2026-02-30T10:00:00Z', now)).toThrow(/not a valid date/);
    expect(() => parseExpiry('2026-13-01', now)).toThrow(/not a valid date/);
  });

  it('refuses the past and zero durations', () => {
    expect(() => parseExpiry('2026-01-15', now)).toThrow(/in the past/);
    expect(() => parseExpiry('2025-12-31T23:59:59Z', now)).toThrow(/in the past/);
    expect(() => parseExpiry('0d', now)).toThrow(/not in the future/);
  });

  it.each(['tomorrow', 'Jan 5 2027', '30', '30 days', '30D', '30M', '1y', '', '-5d'])('refuses %j with a message listing what works', (input) => {
    expect(() => parseExpiry(input, now)).toThrow(/duration from now such as 90m, 12h, 30d or 2w/);
  });

  it('refuses absurd durations that would overflow Date', () => {
    expect(() => parseExpiry('99999999999d', now)).toThrow(/100 years/);
  });
});

describe('parseInstant', () => {
  it.each([
    ['7d', '2026-01-08T12:00:00.000Z'],
    ['90m', '2026-01-15T10:30:00.000Z'],
    ['0h', '2026-01-15T12:00:00.000Z'],
    ['2025-12-01', '2025-12-01T00:00:00.000Z'],
    ['2027-01-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
  ])('reads %s (a duration counts back from now; dates may be past or future)', (input, expected) => {
    expect(parseInstant(input, now).toISOString()).toBe(expected);
  });

  it('refuses what is neither, and days that do not exist', () => {
    expect(() => parseInstant('last week', now)).toThrow(/is not a date or duration; use an ISO date .* or a duration back from now/);
    expect(() => parseInstant('2026-02-30', now)).toThrow(/not a valid date/);
  });
});
