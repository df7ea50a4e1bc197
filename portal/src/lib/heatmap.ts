/**
 * The activity heatmap's grid and colour scale: the API's hour-of-week cells (day 0 = Monday, in
 * the viewer's time zone) as a full 7 × 24 grid, each cell given one of a few colour levels, and a
 * summary in words for people who cannot see the colours. Pure: test/portal/heatmap.test.ts.
 */

export interface HeatCell {
  /** 0 = Monday … 6 = Sunday. */
  readonly day: number;
  /** 0–23. */
  readonly hour: number;
  readonly requests: number;
  readonly cost_usd: number;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** Colour levels above zero; level 0 is "no requests". */
export const HEAT_LEVELS = 5;

/** All 168 cells, Monday 00:00 first, hour by hour: missing cells are idle, repeated ones add up, out-of-range ones are dropped. */
export function heatmapGrid(cells: readonly HeatCell[]): HeatCell[] {
  const grid: HeatCell[] = [];
  for (let day = 0; day < 7; day++) {
    for (let hour = 0; hour < 24; hour++) grid.push({ day, hour, requests: 0, cost_usd: 0 });
  }
  for (const cell of cells) {
    if (!Number.isInteger(cell.day) || !Number.isInteger(cell.hour) || cell.day < 0 || cell.day > 6 || cell.hour < 0 || cell.hour > 23) continue;
    const index = cell.day * 24 + cell.hour;
    const current = grid[index]!;
    grid[index] = { day: cell.day, hour: cell.hour, requests: current.requests + cell.requests, cost_usd: current.cost_usd + cell.cost_usd };
  }
  return grid;
}

/**
 * The colour level of a value: 0 for none, else 1…HEAT_LEVELS in equal steps of the busiest
 * cell, rounding up so the quietest hour with any request is still visible.
 */
export function heatLevel(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.min(HEAT_LEVELS, Math.max(1, Math.ceil((value / max) * HEAT_LEVELS)));
}

export interface HeatLegendStep {
  readonly level: number;
  /** "0", "1–20", "21–40", …: the whole request counts each level covers. */
  readonly label: string;
}

/** The legend for whole counts up to `max`; levels no count can reach (max below the number of levels) are left out. */
export function heatLegend(max: number): HeatLegendStep[] {
  const steps: HeatLegendStep[] = [{ level: 0, label: '0' }];
  let from = 1;
  for (let level = 1; level <= HEAT_LEVELS && max > 0; level++) {
    const to = Math.floor((max * level) / HEAT_LEVELS);
    if (to < from) continue;
    steps.push({ level, label: from === to ? String(from) : `${from}–${to}` });
    from = to + 1;
  }
  return steps;
}

/** Which weekday a heatmap row shows: the chart stacks from the bottom, and Monday belongs on top. */
export function dayOfStackPosition(position: number): number {
  return 6 - position;
}

const hourRange = (hour: number) => `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`;

/** "14:00–15:00" on `Tuesday`. */
export function heatCellLabel(cell: Pick<HeatCell, 'day' | 'hour'>): string {
  return `${WEEKDAYS[cell.day]} ${hourRange(cell.hour)}`;
}

/** The heatmap in words: total, busiest hour, busiest day, and the share on weekdays during working hours. */
export function heatmapSummary(grid: readonly HeatCell[], timeZone: string): string {
  const total = grid.reduce((sum, cell) => sum + cell.requests, 0);
  if (total === 0) return `No requests in this range (${timeZone}).`;
  const busiest = grid.reduce((best, cell) => (cell.requests > best.requests ? cell : best));
  const byDay = WEEKDAYS.map((_, day) => grid.filter((cell) => cell.day === day).reduce((sum, cell) => sum + cell.requests, 0));
  const busiestDay = byDay.indexOf(Math.max(...byDay));
  const working = grid.filter((cell) => cell.day < 5 && cell.hour >= 9 && cell.hour < 18).reduce((sum, cell) => sum + cell.requests, 0);
  const share = Math.round((working / total) * 100);
  return (
    `${total.toLocaleString('en-US')} requests by hour of the week in ${timeZone}. ` +
    `Busiest hour: ${heatCellLabel(busiest)} (${busiest.requests.toLocaleString('en-US')}). ` +
    `Busiest day: ${WEEKDAYS[busiestDay]}. ${share}% fell on weekdays between 09:00 and 18:00.`
  );
}
