/** A member's own spend over the chosen range, one bar per bucket. */
import { useMemo } from 'react';
import { Section } from '../../components/Section.js';
import { StackedTimeChart } from '../../components/charts/StackedTimeChart.js';
import { pivotByGroup } from '../../lib/chart-rows.js';
import { axisUsd, costSummary } from '../../lib/chart-text.js';
import { formatUsd } from '../../lib/format.js';
import { bucketStarts, type TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import type { Timeseries } from '../dashboard/types.js';

export function MySpendSection({ range }: { range: TimeRange }) {
  const series = useAnalytics<Timeseries>('/admin/analytics/timeseries', range, { group_by: 'none' });
  const pivot = useMemo(() => {
    const groups = (series.data?.groups ?? []).map((group) => ({ ...group, label: 'Spend' }));
    return pivotByGroup(series.data?.points ?? [], groups, bucketStarts(range), (point) => point.cost_usd);
  }, [series.data, range]);
  return (
    <Section id="my-spend" title="Your spend" description={`What your requests cost per ${range.granularity}.`}>
      <StackedTimeChart
        label={`Your spend per ${range.granularity}`}
        summary={costSummary(pivot.rows, pivot.series, range.granularity)}
        rows={pivot.rows}
        series={pivot.series}
        granularity={range.granularity}
        kind="bar"
        formatValue={formatUsd}
        formatAxis={axisUsd}
        pending={series.isPending}
        error={series.error}
      />
    </Section>
  );
}
