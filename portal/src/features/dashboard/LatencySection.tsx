/** Latency percentiles over time, for the whole request or to its first token. */
import { useMemo } from 'react';
import { Section } from '../../components/Section.js';
import { LatencyChart } from '../../components/charts/LatencyChart.js';
import { Segmented } from '../../components/charts/Segmented.js';
import { latencyRows } from '../../lib/chart-rows.js';
import { bucketStarts, type TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import { useSearchOption } from '../../lib/use-search-option.js';
import type { LatencyMetric, LatencySeries } from './types.js';

const METRICS = [
  { value: 'duration', label: 'Whole request' },
  { value: 'ttft', label: 'First token' },
] as const satisfies readonly { value: LatencyMetric; label: string }[];

export function LatencySection({ range }: { range: TimeRange }) {
  const [metric, setMetric] = useSearchOption<LatencyMetric>('latency', ['duration', 'ttft'], 'duration');
  const series = useAnalytics<LatencySeries>('/admin/analytics/latency', range, { metric });
  const rows = useMemo(() => latencyRows(series.data?.points ?? [], bucketStarts(range)), [series.data, range]);
  return (
    <Section
      id="latency"
      title="Latency"
      description={metric === 'duration' ? 'Time from request to the last byte, p50 / p95 / p99.' : 'Time to the first streamed token, p50 / p95 / p99: what a developer waits before Claude Code starts answering.'}
      actions={<Segmented label="Latency measure" options={METRICS} value={metric} onChange={setMetric} />}
    >
      <LatencyChart rows={rows} granularity={range.granularity} label={`${metric === 'duration' ? 'Request duration' : 'Time to first token'} percentiles per ${range.granularity}`} pending={series.isPending} error={series.error} />
    </Section>
  );
}
