/** Cost by Model (spec §10: Model | Requests | Cost | Avg Latency), sorted and paged by the server. */
import { Link } from 'react-router';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Section } from '../../components/Section.js';
import { formatDuration, formatInteger, formatUsd } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { analyticsTable } from '../../lib/use-analytics.js';
import type { ModelRow } from './types.js';

const COLUMNS: Column<ModelRow>[] = [
  { header: 'Model', sort: 'model', render: (row) => <span className="mono">{row.model}</span>, csv: (row) => row.model },
  { header: 'Requests', sort: 'requests', align: 'right', render: (row) => formatInteger(row.requests), csv: (row) => row.requests },
  { header: 'Cost', sort: 'cost_usd', align: 'right', render: (row) => formatUsd(row.cost_usd), csv: (row) => row.cost_usd },
  { header: 'Avg Latency', sort: 'avg_latency_ms', align: 'right', render: (row) => formatDuration(row.avg_latency_ms), csv: (row) => row.avg_latency_ms },
];

export function ModelsTable({ range }: { range: TimeRange }) {
  const table = analyticsTable<ModelRow>('/admin/analytics/models', range);
  return (
    <Section id="models" title="Cost by model">
      <DataTable<ModelRow>
        label="Cost by model"
        {...table}
        columns={COLUMNS}
        rowKey={(row) => row.model}
        defaultSort={{ sort: 'cost_usd', order: 'desc' }}
        searchLabel="Search models"
        stateKey="models"
        exportCsv
        pageSize={25}
        empty={
          <EmptyState title="No requests in this range.">
            Spend by model appears once Claude Code sends requests through the gateway. Set Claude Code up on the <Link to="/connect">Connect</Link> page.
          </EmptyState>
        }
      />
    </Section>
  );
}
