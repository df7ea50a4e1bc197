/**
 * The charts' shared look: series colours from CSS variables (defined light and dark in app.css,
 * so a chart follows the colour scheme without re-rendering), axes, grid and legend text in the
 * page's own colours. Colours go by position, largest series first, so the top model keeps the
 * first colour from chart to chart; "Other" is always grey.
 */
import { OTHER_KEY } from '../../lib/chart-rows.js';

const PALETTE_SIZE = 8;

export function seriesColour(index: number, key?: string): string {
  return key === OTHER_KEY ? 'var(--chart-other)' : `var(--chart-${(index % PALETTE_SIZE) + 1})`;
}

/** Fixed colours for the series every chart of a kind has (token classes, percentiles). */
export const COLOURS = {
  input: 'var(--chart-1)',
  output: 'var(--chart-2)',
  cacheRead: 'var(--chart-3)',
  cacheWrite: 'var(--chart-7)',
  hitRate: 'var(--chart-5)',
  p50: 'var(--chart-3)',
  p95: 'var(--chart-7)',
  p99: 'var(--chart-5)',
  actual: 'var(--chart-1)',
  expected: 'var(--chart-2)',
  band: 'var(--chart-2)',
} as const;

export const CHART_MARGIN = { top: 8, right: 8, bottom: 0, left: 0 };

export const axisProps = {
  tick: { fill: 'var(--muted)', fontSize: 12 },
  stroke: 'var(--border)',
  tickLine: false,
} as const;

export const gridProps = { stroke: 'var(--border)', strokeDasharray: '3 3', vertical: false } as const;

/**
 * Legend entries in the text colour (a series colour may be too faint to read as text), in the
 * series' own order (largest first) rather than alphabetical.
 */
export const legendProps = {
  formatter: (value: string) => <span className="chart-legend-text">{value}</span>,
  iconSize: 10,
  itemSorter: null,
} as const;

/** The hover band or line behind the active bucket. */
export const cursorProps = { fill: 'var(--surface-2)', stroke: 'var(--border)' } as const;
