import { describe, expect, it } from 'vitest';
import { isTimeZone, periodWindow } from '../../src/limits/budget-period.js';

const iso = (window: { start: number; end: number }) => [new Date(window.start).toISOString(), new Date(window.end).toISOString()];
const at = (text: string) => Date.parse(text);

describe('budget periods', () => {
  it('are UTC days, Monday weeks and calendar months', () => {
    expect(iso(periodWindow('daily', 'UTC', at('2026-03-19T14:30:00Z')))).toEqual(['2026-03-19T00:00:00.000Z', '2026-03-20T00:00:00.000Z']);
    // 2026-03-19 is a Thursday; the week started on Monday the 16th.
    expect(iso(periodWindow('weekly', 'UTC', at('2026-03-19T14:30:00Z')))).toEqual(['2026-03-16T00:00:00.000Z', '2026-03-23T00:00:00.000Z']);
    // A Sunday still belongs to the week that started the Monday before.
    expect(iso(periodWindow('weekly', 'UTC', at('2026-03-22T23:59:59Z')))).toEqual(['2026-03-16T00:00:00.000Z', '2026-03-23T00:00:00.000Z']);
    expect(iso(periodWindow('monthly', 'UTC', at('2026-02-28T23:59:59.999Z')))).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z']);
    expect(iso(periodWindow('monthly', 'UTC', at('2026-12-31T12:00:00Z')))).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('roll over at the boundary: the last millisecond and the first belong to different periods', () => {
    const before = periodWindow('daily', 'UTC', at('2026-03-19T23:59:59.999Z'));
    const after = periodWindow('daily', 'UTC', at('2026-03-20T00:00:00.000Z'));
    expect(before.end).toBe(after.start);
    expect(after.start).toBe(at('2026-03-20T00:00:00Z'));
  });

  it('follow a configured time zone, including daylight-saving changes', () => {
    // 01:30 UTC on the 20th is still the 19th in New York (UTC-4 in March after the change).
    expect(iso(periodWindow('daily', 'America/New_York', at('2026-03-20T01:30:00Z')))).toEqual(['2026-03-19T04:00:00.000Z', '2026-03-20T04:00:00.000Z']);
    // US clocks go forward on 2026-03-08: that day is 23 hours long.
    const springForward = periodWindow('daily', 'America/New_York', at('2026-03-08T12:00:00Z'));
    expect(iso(springForward)).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(springForward.end - springForward.start).toBe(23 * 3_600_000);
    // Tokyo has no DST; its month starts at 15:00 UTC the day before.
    expect(iso(periodWindow('monthly', 'Asia/Tokyo', at('2026-04-30T16:00:00Z')))).toEqual(['2026-04-30T15:00:00.000Z', '2026-05-31T15:00:00.000Z']);
    // The week of a zone east of UTC starts on its Monday, which is Sunday in UTC.
    expect(iso(periodWindow('weekly', 'Asia/Tokyo', at('2026-03-15T16:00:00Z')))).toEqual(['2026-03-15T15:00:00.000Z', '2026-03-22T15:00:00.000Z']);
  });

  it('answer any instant correctly, also after a later period was asked for (the window is cached per period)', () => {
    const later = periodWindow('daily', 'Europe/Berlin', at('2026-06-02T12:00:00Z'));
    const earlier = periodWindow('daily', 'Europe/Berlin', at('2026-06-01T12:00:00Z'));
    expect(iso(earlier)).toEqual(['2026-05-31T22:00:00.000Z', '2026-06-01T22:00:00.000Z']);
    expect(periodWindow('daily', 'Europe/Berlin', at('2026-06-02T21:59:59.999Z'))).toEqual(later);
  });

  it('regression: a day whose midnight a daylight-saving change skips ends at the next midnight, not an hour into the next day', () => {
    // Havana springs forward at 00:00 on 2025-03-09, so that day starts at 01:00 (05:00 UTC). Its
    // end was 01:00 the next day, an hour into 2025-03-10, which then belonged to two periods.
    const skipped = periodWindow('daily', 'America/Havana', at('2025-03-09T12:00:00Z'));
    expect(iso(skipped)).toEqual(['2025-03-09T05:00:00.000Z', '2025-03-10T04:00:00.000Z']);
    expect(periodWindow('daily', 'America/Havana', skipped.end).start).toBe(skipped.end);
    // Tehran did the same on 2021-03-22 (before it abolished daylight saving).
    expect(iso(periodWindow('daily', 'Asia/Tehran', at('2021-03-22T12:00:00Z')))).toEqual(['2021-03-21T20:30:00.000Z', '2021-03-22T19:30:00.000Z']);
  });

  it('know real zones from typos', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Berlinn')).toBe(false);
  });
});
