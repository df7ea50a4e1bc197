/**
 * Latency percentiles (p50, p95, p99) per bucket, as lines. A bucket without requests has no
 * latency: the lines break there rather than dropping to zero, and dots keep a lone bucket visible.
 */
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { LatencyRow } from '../../lib/chart-rows.js';
import { bucketLabel, bucketTick, latencySummary } from '../../lib/chart-text.js';
import { formatDuration } from '../../lib/format.js';
import type { Granularity } from '../../lib/time-range.js';
import { ChartFrame } from './ChartFrame.js';
import { ChartTooltip } from './ChartTooltip.js';
import { axisProps, CHART_MARGIN, COLOURS, cursorProps, gridProps, legendProps } from './theme.js';

const LINES = [
  { key: 'p50', name: 'p50', colour: COLOURS.p50 },
  { key: 'p95', name: 'p95', colour: COLOURS.p95 },
  { key: 'p99', name: 'p99', colour: COLOURS.p99 },
] as const;

export function LatencyChart({ rows, granularity, label, pending, error }: { rows: readonly LatencyRow[]; granularity: Granularity; label: string; pending?: boolean; error?: unknown }) {
  return (
    <ChartFrame label={label} summary={latencySummary(rows, granularity)} empty={rows.every((row) => row.p50 === null)} pending={pending} error={error}>
      {(a11y) => (
        <LineChart data={[...rows]} margin={CHART_MARGIN} {...a11y}>
          <CartesianGrid {...gridProps} />
          <XAxis dataKey="t" {...axisProps} tickFormatter={(t: number) => bucketTick(t, granularity)} minTickGap={28} />
          <YAxis {...axisProps} tickFormatter={(value: number) => formatDuration(value)} width={64} />
          <Tooltip cursor={cursorProps} content={(props) => <ChartTooltip {...props} formatLabel={(t) => bucketLabel(Number(t), granularity)} formatValue={(value) => formatDuration(value)} />} />
          <Legend {...legendProps} />
          {LINES.map((line) => (
            <Line key={line.key} type="monotone" dataKey={line.key} name={line.name} stroke={line.colour} strokeWidth={2} dot={{ r: 2, strokeWidth: 0, fill: line.colour }} connectNulls={false} isAnimationActive={false} />
          ))}
        </LineChart>
      )}
    </ChartFrame>
  );
}
