import { describe, expect, it } from 'vitest';
import { dayOfStackPosition, HEAT_LEVELS, heatCellLabel, heatLegend, heatLevel, heatmapGrid, heatmapSummary, WEEKDAYS } from '../../portal/src/lib/heatmap.js';

describe('heatmapGrid', () => {
  it('has all 168 cells, Monday 00:00 first, hour by hour, idle where the API gave nothing', () => {
    const grid = heatmapGrid([{ day: 2, hour: 14, requests: 5, cost_usd: 1.25 }]);
    expect(grid).toHaveLength(168);
    expect(grid[0]).toEqual({ day: 0, hour: 0, requests: 0, cost_usd: 0 });
    expect(grid[23]).toMatchObject({ day: 0, hour: 23 });
    expect(grid[24]).toMatchObject({ day: 1, hour: 0 });
    expect(grid[167]).toMatchObject({ day: 6, hour: 23 });
    expect(grid[2 * 24 + 14]).toEqual({ day: 2, hour: 14, requests: 5, cost_usd: 1.25 });
  });

  it('does not depend on the order of the cells, adds repeated ones and drops impossible ones', () => {
    const cells = [
      { day: 6, hour: 23, requests: 1, cost_usd: 0.5 },
      { day: 0, hour: 0, requests: 2, cost_usd: 1 },
      { day: 6, hour: 23, requests: 3, cost_usd: 0.25 },
      { day: 7, hour: 0, requests: 9, cost_usd: 9 },
      { day: 0, hour: 24, requests: 9, cost_usd: 9 },
      { day: -1, hour: 3, requests: 9, cost_usd: 9 },
    ];
    const grid = heatmapGrid(cells);
    expect(grid).toEqual(heatmapGrid([...cells].reverse()));
    expect(grid[0]?.requests).toBe(2);
    expect(grid[167]).toEqual({ day: 6, hour: 23, requests: 4, cost_usd: 0.75 });
    expect(grid.reduce((sum, cell) => sum + cell.requests, 0)).toBe(6);
  });
});

describe('heatLevel', () => {
  it('is 0 for no requests and 1…5 in equal steps of the busiest cell, the busiest at the top', () => {
    expect(heatLevel(0, 100)).toBe(0);
    expect(heatLevel(1, 100)).toBe(1);
    expect(heatLevel(20, 100)).toBe(1);
    expect(heatLevel(21, 100)).toBe(2);
    expect(heatLevel(60, 100)).toBe(3);
    expect(heatLevel(99, 100)).toBe(5);
    expect(heatLevel(100, 100)).toBe(HEAT_LEVELS);
  });

  it('keeps the quietest active hour visible next to a very busy one', () => {
    expect(heatLevel(1, 100_000)).toBe(1);
  });

  it('is 0 everywhere when nothing happened', () => {
    expect(heatLevel(0, 0)).toBe(0);
  });
});

describe('heatLegend', () => {
  it('names the whole counts each level covers, agreeing with heatLevel', () => {
    expect(heatLegend(100).map((step) => step.label)).toEqual(['0', '1–20', '21–40', '41–60', '61–80', '81–100']);
    for (const max of [1, 2, 3, 7, 100, 1234]) {
      for (const step of heatLegend(max).slice(1)) {
        const [from, to = from] = step.label.split('–').map(Number) as [number, number?];
        expect(heatLevel(from, max)).toBe(step.level);
        expect(heatLevel(to, max)).toBe(step.level);
      }
    }
  });

  it('leaves out levels no whole count reaches', () => {
    expect(heatLegend(2)).toEqual([
      { level: 0, label: '0' },
      { level: 3, label: '1' },
      { level: 5, label: '2' },
    ]);
    expect(heatLegend(0)).toEqual([{ level: 0, label: '0' }]);
  });
});

describe('layout and words', () => {
  it('puts Monday at the top of the stacked rows and Sunday at the bottom', () => {
    expect(WEEKDAYS[dayOfStackPosition(6)]).toBe('Monday');
    expect(WEEKDAYS[dayOfStackPosition(0)]).toBe('Sunday');
  });

  it('labels a cell with its weekday and hour, midnight wrapping', () => {
    expect(heatCellLabel({ day: 1, hour: 14 })).toBe('Tuesday 14:00–15:00');
    expect(heatCellLabel({ day: 6, hour: 23 })).toBe('Sunday 23:00–00:00');
  });

  it('summarises the busiest hour and day and the working-hours share', () => {
    const grid = heatmapGrid([
      { day: 1, hour: 10, requests: 60, cost_usd: 3 },
      { day: 1, hour: 11, requests: 15, cost_usd: 1 },
      { day: 5, hour: 22, requests: 25, cost_usd: 1 },
    ]);
    expect(heatmapSummary(grid, 'Europe/Paris')).toBe(
      '100 requests by hour of the week in Europe/Paris. Busiest hour: Tuesday 10:00–11:00 (60). Busiest day: Tuesday. 75% fell on weekdays between 09:00 and 18:00.',
    );
    expect(heatmapSummary(heatmapGrid([]), 'UTC')).toBe('No requests in this range (UTC).');
  });
});
