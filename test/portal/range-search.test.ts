import { describe, expect, it } from 'vitest';
import { granularitiesFor, rangeDates, readRangeChoice, resolveRange, writeRangeChoice } from '../../portal/src/lib/range-search.js';

const NOW = Date.parse('2026-03-18T10:15:30Z');
const params = (text: string) => new URLSearchParams(text);

describe('readRangeChoice', () => {
  it('defaults to the last 7 days', () => {
    expect(readRangeChoice(params(''))).toEqual({ kind: '7d' });
    expect(readRangeChoice(params('range=forever'))).toEqual({ kind: '7d' });
  });

  it('reads a preset and a granularity', () => {
    expect(readRangeChoice(params('range=30d&granularity=hour'))).toEqual({ kind: '30d', granularity: 'hour' });
    expect(readRangeChoice(params('range=mtd&granularity=week'))).toEqual({ kind: 'mtd' });
  });

  it('reads a custom range only with two dates', () => {
    expect(readRangeChoice(params('range=custom&from=2026-03-01&to=2026-03-10'))).toEqual({ kind: 'custom', fromDate: '2026-03-01', toDate: '2026-03-10' });
    expect(readRangeChoice(params('range=custom&from=2026-03-01'))).toEqual({ kind: '7d' });
  });
});

describe('resolveRange', () => {
  it('resolves a preset at now, hourly up to two days and daily beyond', () => {
    expect(resolveRange({ kind: '24h' }, NOW)).toEqual({ from: '2026-03-17T10:16:00.000Z', to: '2026-03-18T10:16:00.000Z', granularity: 'hour' });
    expect(resolveRange({ kind: '7d' }, NOW).granularity).toBe('day');
  });

  it('honours a chosen granularity where it fits, and keeps ranges over a month daily', () => {
    expect(resolveRange({ kind: '7d', granularity: 'hour' }, NOW).granularity).toBe('hour');
    expect(resolveRange({ kind: '24h', granularity: 'day' }, NOW).granularity).toBe('day');
    expect(resolveRange({ kind: '90d', granularity: 'hour' }, NOW).granularity).toBe('day');
  });

  it('resolves a custom range to whole UTC days, the end day included, and falls back when it is backwards', () => {
    expect(resolveRange({ kind: 'custom', fromDate: '2026-03-01', toDate: '2026-03-10' }, NOW)).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z', granularity: 'day' });
    expect(resolveRange({ kind: 'custom', fromDate: '2026-03-10', toDate: '2026-03-01' }, NOW)).toEqual(resolveRange({ kind: '7d' }, NOW));
  });
});

describe('granularitiesFor and rangeDates', () => {
  it('allows hourly buckets up to 31 days', () => {
    expect(granularitiesFor({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' })).toEqual(['hour', 'day']);
    expect(granularitiesFor({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:01Z' })).toEqual(['day']);
  });

  it('gives the first and last day a range covers', () => {
    expect(rangeDates({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z' })).toEqual({ fromDate: '2026-03-01', toDate: '2026-03-10' });
    expect(rangeDates({ from: '2026-03-11T10:16:00.000Z', to: '2026-03-18T10:16:00.000Z' })).toEqual({ fromDate: '2026-03-11', toDate: '2026-03-18' });
  });
});

describe('writeRangeChoice', () => {
  it('writes only what differs from the default and keeps the other parameters', () => {
    expect(writeRangeChoice(params('range=30d&q=alice&sort=cost_usd'), { kind: '7d' }).toString()).toBe('q=alice&sort=cost_usd');
    expect(writeRangeChoice(params(''), { kind: 'custom', fromDate: '2026-03-01', toDate: '2026-03-10', granularity: 'day' }).toString()).toBe('range=custom&from=2026-03-01&to=2026-03-10&granularity=day');
  });

  it('sends every table back to its first page', () => {
    expect(writeRangeChoice(params('page=3&models.page=2&tools.sort=calls&pages=1'), { kind: '24h' }).toString()).toBe('tools.sort=calls&pages=1&range=24h');
  });

  it('round-trips through readRangeChoice', () => {
    const choice = { kind: 'custom', fromDate: '2026-02-01', toDate: '2026-02-28', granularity: 'hour' } as const;
    expect(readRangeChoice(writeRangeChoice(params(''), choice))).toEqual(choice);
  });
});
