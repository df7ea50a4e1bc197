/** The week-of-hours heatmap in a time zone (pure), across a DST change. */
import { describe, expect, test } from 'vitest';
import { heatmapCells, isTimeZone } from '../../../src/spend/analytics/heatmap.js';

const H = 3_600_000;
const cell = (cells: ReturnType<typeof heatmapCells>, day: number, hour: number) => cells.find((c) => c.day === day && c.hour === hour)!;

describe('heatmapCells', () => {
  test('168 cells, Monday 00:00 first', () => {
    const cells = heatmapCells([], 'UTC');
    expect(cells).toHaveLength(168);
    expect(cells[0]).toEqual({ day: 0, hour: 0, requests: 0, costMicros: 0 });
    expect(cells[167]).toMatchObject({ day: 6, hour: 23 });
  });

  test('UTC hours land in the zone’s local hour, on both sides of the spring DST change', () => {
    // Europe/Berlin moved from UTC+1 to UTC+2 at 01:00 UTC on Sunday 29 March 2026.
    const before = Date.UTC(2026, 2, 29, 0); // 01:00 CET, Sunday
    const after = Date.UTC(2026, 2, 29, 1); // 03:00 CEST, Sunday
    const monday = Date.UTC(2026, 2, 29, 22); // 00:00 CEST, Monday
    const cells = heatmapCells(
      [
        { bucketStart: before, requests: 2, costMicros: 10 },
        { bucketStart: after, requests: 3, costMicros: 20 },
        { bucketStart: monday, requests: 5, costMicros: 30 },
        { bucketStart: monday + 7 * 24 * H, requests: 1, costMicros: 1 },
      ],
      'Europe/Berlin',
    );
    expect(cell(cells, 6, 1)).toMatchObject({ requests: 2, costMicros: 10 });
    expect(cell(cells, 6, 2)).toMatchObject({ requests: 0 });
    expect(cell(cells, 6, 3)).toMatchObject({ requests: 3, costMicros: 20 });
    // The same local hour a week later adds into the same cell.
    expect(cell(cells, 0, 0)).toMatchObject({ requests: 6, costMicros: 31 });
    expect(cells.reduce((sum, c) => sum + c.requests, 0)).toBe(11);
  });

  test('a zone west of UTC moves the hour to the previous day', () => {
    const cells = heatmapCells([{ bucketStart: Date.UTC(2026, 0, 5, 3), requests: 1, costMicros: 0 }], 'America/New_York');
    // Monday 03:00 UTC is Sunday 22:00 in New York (EST, UTC-5).
    expect(cell(cells, 6, 22).requests).toBe(1);
  });

  test('time zone names are checked', () => {
    expect(isTimeZone('Asia/Kolkata')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
