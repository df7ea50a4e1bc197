/**
 * The range at a glance: spend, requests, tokens, prompt cache hit rate, error rate and, for
 * admins, active users. The hit rate is computed from the token totals the same way as the
 * tokens chart's line, so the two always agree.
 */
import { cacheHitRate } from '../../lib/chart-rows.js';
import { formatDuration, formatInteger, formatPercent, formatTokens, formatUsd } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { useAnalytics } from '../../lib/use-analytics.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import type { AnalyticsSummary } from './types.js';

interface Stat {
  label: string;
  value: string;
  note?: string;
}

function statsOf(summary: AnalyticsSummary | undefined, isAdmin: boolean): Stat[] {
  const s = summary;
  const tokens = s ? s.input_tokens + s.output_tokens + s.cache_read_tokens + s.cache_write_tokens : undefined;
  const stats: Stat[] = [
    { label: 'Spend', value: formatUsd(s?.cost_usd) },
    { label: 'Requests', value: formatInteger(s?.requests), note: s?.avg_latency_ms != null ? `${formatDuration(s.avg_latency_ms)} on average` : undefined },
    { label: 'Tokens', value: formatTokens(tokens), note: s ? `${formatTokens(s.input_tokens)} in · ${formatTokens(s.output_tokens)} out` : undefined },
    { label: 'Cache hit rate', value: formatPercent(s ? cacheHitRate(s) : undefined), note: 'of prompt tokens read from cache' },
    { label: 'Error rate', value: formatPercent(s && s.requests > 0 ? s.errors / s.requests : undefined), note: s ? `${formatInteger(s.errors)} failed requests` : undefined },
  ];
  if (isAdmin) stats.push({ label: 'Active users', value: formatInteger(s?.active_users), note: 'with at least one request' });
  return stats;
}

export function SummaryStats({ range, isAdmin }: { range: TimeRange; isAdmin: boolean }) {
  const summary = useAnalytics<AnalyticsSummary>('/admin/analytics/summary', range);
  if (summary.isError) return <ErrorMessage error={summary.error} title="Could not load the summary" />;
  return (
    <dl className="stats" aria-busy={summary.isPending}>
      {statsOf(summary.data, isAdmin).map((stat) => (
        <div className="stat" key={stat.label}>
          <dt className="stat-label">{stat.label}</dt>
          <dd className="stat-value">{summary.isPending ? '…' : stat.value}</dd>
          {stat.note && !summary.isPending ? <dd className="stat-note">{stat.note}</dd> : null}
        </div>
      ))}
    </dl>
  );
}
