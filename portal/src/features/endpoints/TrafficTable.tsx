/**
 * Traffic per endpoint (spec §10: Endpoint | Requests | Errors | Err % | Avg Lat | p99 Lat) over
 * the chosen range. Err % is shown as errors ÷ requests from the row's own counts, so it reads
 * the same whatever scale the API's `error_rate` uses; sorting still goes by `error_rate`.
 */
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { errorShare, sharePercent } from '../../lib/ratios.js';
import { formatDuration, formatInteger, formatPercent } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { analyticsTable } from '../../lib/use-analytics.js';
import type { EndpointTrafficRow } from './types.js';

const COLUMNS: Column<EndpointTrafficRow>[] = [
  { header: 'Endpoint', sort: 'endpoint_name', render: (row) => row.endpoint_name, csv: (row) => row.endpoint_name },
  { header: 'Requests', sort: 'requests', align: 'right', render: (row) => formatInteger(row.requests), csv: (row) => row.requests },
  { header: 'Errors', sort: 'errors', align: 'right', render: (row) => formatInteger(row.errors), csv: (row) => row.errors },
  { header: 'Err %', sort: 'error_rate', align: 'right', render: (row) => formatPercent(errorShare(row.errors, row.requests)), csv: (row) => sharePercent(errorShare(row.errors, row.requests)) },
  { header: 'Avg Lat', sort: 'avg_latency_ms', align: 'right', render: (row) => formatDuration(row.avg_latency_ms), csv: (row) => row.avg_latency_ms },
  { header: 'p99 Lat', sort: 'p99_latency_ms', align: 'right', render: (row) => formatDuration(row.p99_latency_ms), csv: (row) => row.p99_latency_ms },
];

export function TrafficTable({ range }: { range: TimeRange }) {
  return (
    <DataTable<EndpointTrafficRow>
      label="Traffic by endpoint"
      {...analyticsTable<EndpointTrafficRow>('/admin/analytics/endpoints', range)}
      columns={COLUMNS}
      rowKey={(row) => row.endpoint_id ?? ''}
      defaultSort={{ sort: 'requests', order: 'desc' }}
      searchLabel="Search endpoints"
      stateKey="traffic"
      exportCsv
      empty={<EmptyState title="No traffic in this range.">Requests appear here per endpoint once Claude Code sends them through the gateway.</EmptyState>}
    />
  );
}
