/**
 * Cost over time, stacked by model, team or user (admins choose; a member's spend is their own,
 * so by model). The API ranks groups by cost and merges those past the top eight into "Other".
 */
import { useMemo } from 'react';
import { Section } from '../../components/Section.js';
import { Segmented } from '../../components/charts/Segmented.js';
import { StackedTimeChart } from '../../components/charts/StackedTimeChart.js';
import { pivotByGroup } from '../../lib/chart-rows.js';
import { axisUsd, costSummary } from '../../lib/chart-text.js';
import { formatUsd } from '../../lib/format.js';
import { bucketStarts, type TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import { useSearchOption } from '../../lib/use-search-option.js';
import type { GroupBy, Timeseries } from './types.js';

const GROUPS = [
  { value: 'model', label: 'Model' },
  { value: 'team', label: 'Team' },
  { value: 'user', label: 'User' },
] as const satisfies readonly { value: GroupBy; label: string }[];

type CostGroup = (typeof GROUPS)[number]['value'];

export function CostTrendSection({ range, isAdmin }: { range: TimeRange; isAdmin: boolean }) {
  const [chosen, setGroup] = useSearchOption<CostGroup>('group', ['model', 'team', 'user'], 'model');
  const group: CostGroup = isAdmin ? chosen : 'model';
  const series = useAnalytics<Timeseries>('/admin/analytics/timeseries', range, { group_by: group, top: 8 });
  const pivot = useMemo(() => pivotByGroup(series.data?.points ?? [], series.data?.groups ?? [], bucketStarts(range), (point) => point.cost_usd), [series.data, range]);
  const label = `Cost by ${group} per ${range.granularity}`;
  return (
    <Section
      id="cost-trend"
      title="Cost trend"
      description={isAdmin ? 'Spend over time, stacked by the largest eight groups; the rest are “Other”.' : 'Your spend over time by model.'}
      actions={isAdmin ? <Segmented label="Group cost by" options={GROUPS} value={group} onChange={setGroup} /> : undefined}
    >
      <StackedTimeChart
        label={label}
        summary={costSummary(pivot.rows, pivot.series, range.granularity)}
        rows={pivot.rows}
        series={pivot.series}
        granularity={range.granularity}
        kind="area"
        formatValue={formatUsd}
        formatAxis={axisUsd}
        pending={series.isPending}
        error={series.error}
      />
    </Section>
  );
}
