/**
 * Budget periods over arbitrary fixed instants (2020–2035) in zones with every kind of
 * daylight-saving change: one hour at 02:00 (New York, London), at midnight (Santiago, Havana,
 * Beirut), half an hour (Lord Howe), 45-minute offsets (Chatham), suspended for Ramadan
 * (Casablanca), abolished (Tehran, São Paulo), none (Kolkata). Each instant is in exactly one
 * period, and the periods of a zone tile time without gaps or overlaps.
 */
import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodWindow, type BudgetPeriod } from '../../src/limits/budget-period.js';
import { runs } from '../support/property.js';

const ZONES = [
  'UTC', 'America/New_York', 'Europe/London', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe',
  'Pacific/Chatham', 'Africa/Casablanca', 'Asia/Tehran', 'America/Sao_Paulo', 'Asia/Kolkata', 'Europe/Berlin', 'Australia/Sydney',
];
const PERIODS: BudgetPeriod[] = ['daily', 'weekly', 'monthly'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2035, 11, 31);

const instant = fc.integer({ min: FROM, max: TO });
const zone = fc.constantFrom(...ZONES);
const period = fc.constantFrom(...PERIODS);

/** The range a period's length may take across any daylight-saving change (at most ±1 hour here). */
const LENGTH: Record<BudgetPeriod, [number, number]> = {
  daily: [DAY - HOUR, DAY + HOUR],
  weekly: [7 * DAY - HOUR, 7 * DAY + HOUR],
  monthly: [28 * DAY - HOUR, 31 * DAY + HOUR],
};

/** Instants within a few hours of a zone's offset changes: where the arithmetic can go wrong. */
function offsetChanges(timeZone: string): number[] {
  const changes: number[] = [];
  const offsetAt = (t: number) => new TZDate(t, timeZone).getTimezoneOffset();
  // Weekly steps: no zone here changes its offset twice within a week.
  for (let t = FROM; t < TO; t += 7 * DAY) {
    if (offsetAt(t) === offsetAt(t + 7 * DAY)) continue;
    let low = t;
    let high = t + 7 * DAY;
    while (high - low > 60_000) {
      const middle = Math.floor((low + high) / 2);
      if (offsetAt(middle) === offsetAt(t)) low = middle;
      else high = middle;
    }
    changes.push(high);
  }
  return changes;
}

/** Every offset change of the zones in the range, found once: a few hundred (zone, instant) pairs. */
const CHANGES = ZONES.flatMap((timeZone) => offsetChanges(timeZone).map((change) => ({ timeZone, change })));

const nearChange = fc
  .tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -2 * DAY, max: 2 * DAY }))
  .map(([{ timeZone, change }, delta]) => ({ timeZone, at: change + delta }));

function checkTiling(kind: BudgetPeriod, timeZone: string, at: number): void {
  const window = periodWindow(kind, timeZone, at);
  expect(window.start).toBeLessThanOrEqual(at);
  expect(at).toBeLessThan(window.end);
  // Both ends belong where they should: the start to this period, the end to the next.
  expect(periodWindow(kind, timeZone, window.start)).toEqual(window);
  expect(periodWindow(kind, timeZone, window.end - 1)).toEqual(window);
  expect(periodWindow(kind, timeZone, window.start - 1).end).toBe(window.start);
  expect(periodWindow(kind, timeZone, window.end).start).toBe(window.end);
  const [shortest, longest] = LENGTH[kind];
  expect(window.end - window.start).toBeGreaterThanOrEqual(shortest);
  expect(window.end - window.start).toBeLessThanOrEqual(longest);
}

/** The local calendar fields of the start: the first day of the day, week or month. */
function checkLocalStart(kind: BudgetPeriod, timeZone: string, at: number): void {
  const { start } = periodWindow(kind, timeZone, at);
  const local = new TZDate(start, timeZone);
  const previousDay = new TZDate(start - 1, timeZone);
  // Midnight, or the first instant of the day where a change skips midnight (Santiago, Havana).
  expect(previousDay.getDate()).not.toBe(local.getDate());
  if (kind === 'weekly') expect(local.getDay()).toBe(1);
  if (kind === 'monthly') expect(local.getDate()).toBe(1);
}

describe('budget periods, property-based', () => {
  it('every instant lies in exactly one period, and neighbouring periods meet end to start', () => {
    fc.assert(fc.property(period, zone, instant, (kind, timeZone, at) => checkTiling(kind, timeZone, at)), runs(250));
  });

  it('periods tile time across daylight-saving changes, within an hour of their nominal length', () => {
    fc.assert(fc.property(period, nearChange, (kind, { timeZone, at }) => checkTiling(kind, timeZone, at)), runs(250));
  });

  it('a period starts on the first instant of its local day, Monday or first of the month', () => {
    fc.assert(fc.property(period, fc.oneof(fc.tuple(zone, instant).map(([timeZone, at]) => ({ timeZone, at })), nearChange), (kind, { timeZone, at }) => checkLocalStart(kind, timeZone, at)), runs(250));
  });

  it('asking in any order gives the same windows as asking in time order (the per-zone cache cannot leak)', () => {
    fc.assert(
      fc.property(period, zone, fc.array(instant, { minLength: 2, maxLength: 20 }), (kind, timeZone, instants) => {
        const shuffledAnswers = instants.map((at) => periodWindow(kind, timeZone, at));
        const sorted = [...instants].sort((a, b) => a - b);
        const inOrder = new Map(sorted.map((at) => [at, periodWindow(kind, timeZone, at)]));
        instants.forEach((at, i) => expect(shuffledAnswers[i]).toEqual(inOrder.get(at)));
      }),
      runs(100),
    );
  });
});
