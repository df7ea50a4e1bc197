/** Tokens by class over time with the prompt cache hit rate (what sticky routing protects). */
import { useMemo } from 'react';
import { Section } from '../../components/Section.js';
import { TokensChart } from '../../components/charts/TokensChart.js';
import { tokenRows } from '../../lib/chart-rows.js';
import { bucketStarts, type TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import type { Timeseries } from './types.js';

export function TokensSection({ range }: { range: TimeRange }) {
  const series = useAnalytics<Timeseries>('/admin/analytics/timeseries', range, { group_by: 'none' });
  const rows = useMemo(() => tokenRows(series.data?.points ?? [], bucketStarts(range)), [series.data, range]);
  return (
    <Section
      id="tokens"
      title="Tokens and prompt caching"
      description="Hit rate = cache reads ÷ (input + cache reads + cache writes). A cache read costs a tenth of an input token, so a high rate is money saved."
    >
      <TokensChart rows={rows} granularity={range.granularity} pending={series.isPending} error={series.error} />
    </Section>
  );
}
