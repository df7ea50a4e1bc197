/**
 * Cost per bucket from the analytics timeseries, stacked by the groups asked for and told in
 * dollars. The Dashboard's cost trend and a member's own spend on Usage draw it the same way.
 */
import { useMemo } from 'react';
import { StackedTimeChart } from '../../components/charts/StackedTimeChart.js';
import { pivotByGroup } from '../../lib/chart-rows.js';
import { axisUsd, costSummary } from '../../lib/chart-text.js';
import { formatUsd } from '../../lib/format.js';
import { bucketStarts, type TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import type { GroupBy, Timeseries } from './types.js';

export function CostChart({
  range,
  query,
  label,
  kind,
  seriesName,
}: {
  range: TimeRange;
  query: { group_by: GroupBy; top?: number };
  label: string;
  kind: 'area' | 'bar';
  /** The name of a chart's one total ("Spend"), in place of the API's name for the ungrouped series. */
  seriesName?: string;
}) {
  const series = useAnalytics<Timeseries>('/admin/analytics/timeseries', range, query);
  const pivot = useMemo(() => {
    const groups = series.data?.groups ?? [];
    const named = seriesName ? groups.map((group) => ({ ...group, label: seriesName })) : groups;
    return pivotByGroup(series.data?.points ?? [], named, bucketStarts(range), (point) => point.cost_usd);
  }, [series.data, range, seriesName]);
  return (
    <StackedTimeChart
      label={label}
      summary={costSummary(pivot.rows, pivot.series, range.granularity)}
      rows={pivot.rows}
      series={pivot.series}
      granularity={range.granularity}
      kind={kind}
      formatValue={formatUsd}
      formatAxis={axisUsd}
      pending={series.isPending}
      error={series.error}
    />
  );
}
