/**
 * Tokens per bucket stacked by class (input, output, cache read, cache write), with the prompt
 * cache hit rate as a line on a second axis: the rate is what sticky routing protects, and a drop
 * in it next to a rise in cache writes shows prefixes being rebuilt.
 */
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { TokenRow } from '../../lib/chart-rows.js';
import { bucketLabel, bucketTick, tokenSummary } from '../../lib/chart-text.js';
import { formatPercent, formatTokens } from '../../lib/format.js';
import type { Granularity } from '../../lib/time-range.js';
import { ChartFrame } from './ChartFrame.js';
import { ChartTooltip } from './ChartTooltip.js';
import { axisProps, CHART_MARGIN, COLOURS, cursorProps, gridProps, legendProps } from './theme.js';

const CLASSES = [
  { key: 'input', name: 'Input', colour: COLOURS.input },
  { key: 'output', name: 'Output', colour: COLOURS.output },
  { key: 'cache_read', name: 'Cache read', colour: COLOURS.cacheRead },
  { key: 'cache_write', name: 'Cache write', colour: COLOURS.cacheWrite },
] as const;

const HIT_RATE = 'Cache hit rate';

export function TokensChart({ rows, granularity, pending, error }: { rows: readonly TokenRow[]; granularity: Granularity; pending?: boolean; error?: unknown }) {
  const empty = rows.every((row) => row.input + row.output + row.cache_read + row.cache_write === 0);
  return (
    <ChartFrame label={`Tokens by class per ${granularity}, with the prompt cache hit rate`} summary={tokenSummary(rows)} empty={empty} pending={pending} error={error}>
      {(a11y) => (
        <ComposedChart data={[...rows]} margin={CHART_MARGIN} {...a11y}>
          <CartesianGrid {...gridProps} />
          <XAxis dataKey="t" {...axisProps} tickFormatter={(t: number) => bucketTick(t, granularity)} minTickGap={28} />
          <YAxis yAxisId="tokens" {...axisProps} tickFormatter={(value: number) => formatTokens(value)} width={56} />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 1]} {...axisProps} tickFormatter={(value: number) => formatPercent(value, { digits: 0 })} width={44} />
          <Tooltip
            cursor={cursorProps}
            content={(props) => (
              <ChartTooltip {...props} formatLabel={(t) => bucketLabel(Number(t), granularity)} formatValue={(value, name) => (name === HIT_RATE ? formatPercent(value) : `${formatTokens(value)} tokens`)} />
            )}
          />
          <Legend {...legendProps} />
          {CLASSES.map((entry) => (
            <Bar key={entry.key} yAxisId="tokens" dataKey={entry.key} name={entry.name} stackId="tokens" fill={entry.colour} isAnimationActive={false} />
          ))}
          <Line yAxisId="rate" type="monotone" dataKey="hit_rate" name={HIT_RATE} stroke={COLOURS.hitRate} strokeWidth={2} dot={{ r: 2, strokeWidth: 0, fill: COLOURS.hitRate }} connectNulls={false} isAnimationActive={false} />
        </ComposedChart>
      )}
    </ChartFrame>
  );
}
