/** Team names from memory: a team not seen yet costs one early read, and such reads are spaced (injected clock). */
import { describe, expect, test } from 'vitest';
import { TeamNames } from '../../../src/telemetry/relay/team-names.js';

function teamNamesUnderTest(tables: Array<Map<string, string> | Error>) {
  let now = 1_000_000;
  let loads = 0;
  const errors: unknown[] = [];
  const names = new TeamNames(
    async () => {
      const table = tables[Math.min(loads++, tables.length - 1)]!;
      if (table instanceof Error) throw table;
      return table;
    },
    (error) => errors.push(error),
    () => now,
  );
  return { names, loads: () => loads, errors, advance: (ms: number) => (now += ms) };
}

describe('team names for the relay', () => {
  test('a known team is answered from memory; no team, no name', async () => {
    const { names, loads } = teamNamesUnderTest([new Map([['t-1', 'frontend']])]);
    await names.refresh();
    expect(await names.nameOf('t-1')).toBe('frontend');
    expect(await names.nameOf(null)).toBeUndefined();
    expect(loads()).toBe(1);
  });

  test('a team created just after the last read is read at once; an unknown team id re-reads at most every 5 seconds', async () => {
    const { names, loads, advance } = teamNamesUnderTest([new Map(), new Map([['t-new', 'platform']]), new Map([['t-new', 'platform']])]);
    await names.refresh();
    advance(1);
    expect(await names.nameOf('t-new')).toBe('platform');
    expect(loads()).toBe(2);
    expect(await names.nameOf('t-gone')).toBeUndefined();
    expect(loads()).toBe(3);
    advance(4_999);
    expect(await names.nameOf('t-gone')).toBeUndefined();
    expect(loads()).toBe(3);
    advance(1);
    await names.nameOf('t-gone');
    expect(loads()).toBe(4);
  });

  test('misses of one team arriving together share one read', async () => {
    const { names, loads } = teamNamesUnderTest([new Map(), new Map([['t-1', 'frontend']])]);
    await names.refresh();
    expect(await Promise.all([names.nameOf('t-1'), names.nameOf('t-1')])).toEqual(['frontend', 'frontend']);
    expect(loads()).toBe(2);
  });

  test('a failed read leaves the batch unlabelled and is reported once', async () => {
    const { names, errors } = teamNamesUnderTest([new Map(), new Error('database down')]);
    await names.refresh();
    expect(await Promise.all([names.nameOf('t-1'), names.nameOf('t-1')])).toEqual([undefined, undefined]);
    expect(errors).toEqual([new Error('database down')]);
  });
});
