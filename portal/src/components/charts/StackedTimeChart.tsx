/**
 * Values over time stacked by series (cost by model, team or user; one series for a single
 * total): areas for a trend, bars for day-by-day amounts. Rows come zero-filled from
 * lib/chart-rows.ts, so idle buckets show as zero.
 */
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartRow, ChartSeries } from '../../lib/chart-rows.js';
import { bucketLabel, bucketTick } from '../../lib/chart-text.js';
import type { Granularity } from '../../lib/time-range.js';
import { ChartFrame } from './ChartFrame.js';
import { ChartTooltip } from './ChartTooltip.js';
import { axisProps, CHART_MARGIN, cursorProps, gridProps, legendProps, seriesColour } from './theme.js';

export interface StackedTimeChartProps {
  readonly label: string;
  readonly summary: string;
  readonly rows: readonly ChartRow[];
  readonly series: readonly ChartSeries[];
  readonly granularity: Granularity;
  readonly kind: 'area' | 'bar';
  readonly formatValue: (value: number) => string;
  readonly formatAxis: (value: number) => string;
  readonly pending?: boolean;
  readonly error?: unknown;
}

export function StackedTimeChart({ label, summary, rows, series, granularity, kind, formatValue, formatAxis, pending, error }: StackedTimeChartProps) {
  const empty = series.length === 0 || rows.every((row) => series.every((entry) => !row[entry.id]));
  const showLegend = series.length > 1;
  const tooltip = (
    <Tooltip
      cursor={cursorProps}
      content={(props) => (
        <ChartTooltip
          {...props}
          formatLabel={(t) => bucketLabel(Number(t), granularity)}
          formatValue={(value) => formatValue(value)}
          footer={(entries) => (entries.length > 1 ? `Total ${formatValue(entries.reduce((sum, entry) => sum + entry.value, 0))}` : undefined)}
        />
      )}
    />
  );
  const axes = (
    <>
      <CartesianGrid {...gridProps} />
      <XAxis dataKey="t" {...axisProps} tickFormatter={(t: number) => bucketTick(t, granularity)} minTickGap={28} />
      <YAxis {...axisProps} tickFormatter={formatAxis} width={64} />
      {tooltip}
      {showLegend ? <Legend {...legendProps} /> : null}
    </>
  );
  return (
    <ChartFrame label={label} summary={summary} empty={empty} pending={pending} error={error}>
      {(a11y) =>
        kind === 'area' ? (
          <AreaChart data={[...rows]} margin={CHART_MARGIN} {...a11y}>
            {axes}
            {series.map((entry, index) => (
              <Area key={entry.id} type="monotone" dataKey={entry.id} name={entry.label} stackId="total" stroke={seriesColour(index, entry.key)} fill={seriesColour(index, entry.key)} fillOpacity={0.55} isAnimationActive={false} />
            ))}
          </AreaChart>
        ) : (
          <BarChart data={[...rows]} margin={CHART_MARGIN} {...a11y}>
            {axes}
            {series.map((entry, index) => (
              <Bar key={entry.id} dataKey={entry.id} name={entry.label} stackId="total" fill={seriesColour(index, entry.key)} isAnimationActive={false} />
            ))}
          </BarChart>
        )
      }
    </ChartFrame>
  );
}
