/**
 * Statistics per endpoint over the chosen range (spec §10: Endpoint | Requests | Errors | Err % |
 * Avg Lat | p99 Lat, then the pool's throttles, cooldowns and failovers and the prompt-cache hit
 * rate that sticky routing protects). Every configured endpoint has a row, idle ones with zeros.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { EndpointStats, EndpointStatsRecord } from '../../api/types.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import { formatDuration, formatInteger, formatPercent } from '../../lib/format.js';
import { errorShare } from '../../lib/ratios.js';
import type { TimeRange } from '../../lib/time-range.js';
import { statsRowName } from './endpoint-stats.js';

export const ENDPOINT_STATS_QUERY = ['admin', 'endpoint-stats'] as const;

const COLUMNS: SimpleColumn<EndpointStatsRecord>[] = [
  { header: 'Endpoint', rowHeader: true, render: (row) => (row.name === null ? <span className="muted">{statsRowName(row)}</span> : row.name) },
  { header: 'Requests', align: 'right', render: (row) => formatInteger(row.requests) },
  { header: 'Errors', align: 'right', render: (row) => formatInteger(row.errors) },
  { header: 'Err %', align: 'right', render: (row) => formatPercent(errorShare(row.errors, row.requests)) },
  { header: 'Avg Lat', align: 'right', render: (row) => formatDuration(row.avg_latency_ms) },
  { header: 'p99 Lat', align: 'right', render: (row) => formatDuration(row.p99_latency_ms) },
  { header: 'Throttles', align: 'right', render: (row) => formatInteger(row.throttles) },
  { header: 'Cooldowns', align: 'right', render: (row) => formatInteger(row.cooldowns) },
  { header: 'Failovers', align: 'right', render: (row) => formatInteger(row.failovers) },
  { header: 'Cache hit', align: 'right', render: (row) => formatPercent(row.cache_hit_rate) },
];

export function StatsTable({ range }: { range: TimeRange }) {
  const stats = useQuery({
    queryKey: [...ENDPOINT_STATS_QUERY, range.from, range.to],
    queryFn: () => api.get<EndpointStats>('/admin/endpoints/stats', { from: range.from, to: range.to }),
  });
  if (stats.isPending) return <Loading label="Loading endpoint statistics" />;
  if (stats.isError) return <ErrorMessage error={stats.error} title="Could not load the endpoint statistics" />;
  if (stats.data.data.length === 0) return <EmptyState title="No endpoints yet.">Add a Bedrock endpoint to start routing requests.</EmptyState>;
  return <SimpleTable label="Endpoint statistics" columns={COLUMNS} rows={stats.data.data} rowKey={(row) => row.endpoint_id} />;
}
