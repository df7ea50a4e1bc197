/**
 * The month's spend as a running total: what has been spent (solid), what the forecast expects
 * (dashed) and its low–high range (shaded), day by day to the month's end.
 */
import { Area, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import { bucketLabel } from '../../lib/chart-text.js';
import { formatUsd } from '../../lib/format.js';
import type { CumulativeDay } from '../../lib/forecast.js';
import { ChartFrame } from './ChartFrame.js';
import { ChartTooltip } from './ChartTooltip.js';
import { axisProps, CHART_MARGIN, COLOURS, cursorProps, gridProps, legendProps } from './theme.js';

const RANGE = 'Range';
const dayLabel = (date: string | number) => bucketLabel(Date.parse(`${date}T00:00:00Z`), 'day');

export function ForecastChart({ days, summary, formatAxis }: { days: readonly CumulativeDay[]; summary: string; formatAxis: (value: number) => string }) {
  const empty = days.every((day) => !day.actual && !day.expected);
  return (
    <ChartFrame label="Spend this month so far and expected, as a running total" summary={summary} empty={empty}>
      {(a11y) => (
        <ComposedChart data={[...days]} margin={CHART_MARGIN} {...a11y}>
          <CartesianGrid {...gridProps} />
          <XAxis dataKey="date" {...axisProps} tickFormatter={dayLabel} minTickGap={28} />
          <YAxis {...axisProps} tickFormatter={formatAxis} width={64} />
          <Tooltip
            cursor={cursorProps}
            content={({ active, payload, label }) => (
              <ChartTooltip
                active={active}
                label={label}
                // The range's value is a [low, high] pair: its ends read better in the footer.
                payload={payload?.filter((entry) => entry.name !== RANGE)}
                formatLabel={dayLabel}
                formatValue={(value) => formatUsd(value)}
                footer={() => {
                  const range = (payload?.[0]?.payload as CumulativeDay | undefined)?.range;
                  return range && range[0] !== range[1] ? `Range ${formatUsd(range[0])} – ${formatUsd(range[1])}` : undefined;
                }}
              />
            )}
          />
          <Legend {...legendProps} />
          <Area dataKey="range" name={RANGE} stroke="none" fill={COLOURS.band} fillOpacity={0.18} isAnimationActive={false} legendType="square" />
          <Line dataKey="actual" name="Spent" stroke={COLOURS.actual} strokeWidth={2.5} dot={false} isAnimationActive={false} />
          <Line dataKey="expected" name="Expected" stroke={COLOURS.expected} strokeWidth={2} strokeDasharray="6 4" dot={false} isAnimationActive={false} />
        </ComposedChart>
      )}
    </ChartFrame>
  );
}
