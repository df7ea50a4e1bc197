/**
 * The endpoint pool as this replica sees it now: each endpoint's state (healthy, cooling until a
 * time, probing, unhealthy, disabled), requests in flight, and how much of its upstream rate
 * limits it uses (the 5-hour and 7-day subscription windows where the upstream reports them).
 * Refreshes every 10 seconds while the page is open.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type ListEnvelope } from '../../api/client.js';
import type { EndpointHealthRecord } from '../../api/types.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import { SpendMeter } from '../../components/SpendMeter.js';
import { formatInteger, formatRelative } from '../../lib/format.js';
import { HEALTH_REFRESH_MS, stateBadge, stateText, utilizationBars } from './pool-health.js';

export const ENDPOINT_HEALTH_QUERY = ['admin', 'endpoint-health'] as const;

function Utilization({ endpoint }: { endpoint: EndpointHealthRecord }) {
  const bars = utilizationBars(endpoint.utilization);
  if (bars.length === 0) return <span className="muted">not reported</span>;
  return (
    <ul className="utilization-list">
      {bars.map((bar) => (
        <li key={bar.window}>
          <span className="utilization-label">{bar.label}</span>
          <SpendMeter percent={bar.percent} status={bar.status} label={`${endpoint.name}: ${bar.label} used`} />
        </li>
      ))}
    </ul>
  );
}

const COLUMNS: SimpleColumn<EndpointHealthRecord>[] = [
  { header: 'Endpoint', rowHeader: true, render: (endpoint) => endpoint.name },
  { header: 'State', render: (endpoint) => <span className={`badge ${stateBadge(endpoint.state)}`}>{stateText(endpoint)}</span> },
  { header: 'In flight', align: 'right', render: (endpoint) => formatInteger(endpoint.in_flight) },
  { header: 'Utilization', render: (endpoint) => <Utilization endpoint={endpoint} /> },
  {
    header: 'Last check',
    render: (endpoint) => (
      <>
        {formatRelative(endpoint.last_check_at)}
        {endpoint.last_error ? <div className="cell-note">{endpoint.last_error}</div> : null}
      </>
    ),
  },
];

export function PoolHealth() {
  const health = useQuery({
    queryKey: ENDPOINT_HEALTH_QUERY,
    queryFn: () => api.get<ListEnvelope<EndpointHealthRecord>>('/admin/endpoints/health'),
    refetchInterval: HEALTH_REFRESH_MS,
  });
  if (health.isPending) return <Loading label="Loading pool health" />;
  if (health.isError) return <ErrorMessage error={health.error} title="Could not load the pool health" />;
  if (health.data.data.length === 0) return <EmptyState title="No endpoints yet.">Add a Bedrock endpoint to start routing requests.</EmptyState>;
  return <SimpleTable label="Pool health" columns={COLUMNS} rows={health.data.data} rowKey={(endpoint) => endpoint.id} />;
}
