/** Spend per billing group (the request's `tags.billing_group`); untagged requests are one row, so the rows add up to all spend. */
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatDateTime, formatInteger, formatTokens, formatUsd } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { analyticsTable } from '../../lib/use-analytics.js';
import type { BillingGroupSpendView } from './types.js';

const COLUMNS: Column<BillingGroupSpendView>[] = [
  {
    header: 'Billing group',
    sort: 'billing_group',
    render: (row) => (row.billing_group === null ? <span className="muted">Untagged</span> : <span className="mono">{row.billing_group}</span>),
    csv: (row) => row.billing_group,
  },
  { header: 'Requests', sort: 'requests', align: 'right', render: (row) => formatInteger(row.requests), csv: (row) => row.requests },
  { header: 'Tokens', sort: 'tokens', align: 'right', render: (row) => formatTokens(row.tokens), csv: (row) => row.tokens },
  { header: 'Spend', sort: 'cost_usd', align: 'right', render: (row) => formatUsd(row.cost_usd), csv: (row) => row.cost_usd },
  { header: 'Users', sort: 'users', align: 'right', render: (row) => formatInteger(row.users), csv: (row) => row.users },
  { header: 'Sessions', sort: 'sessions', align: 'right', render: (row) => formatInteger(row.sessions), csv: (row) => row.sessions },
  { header: 'Last request', sort: 'last_at', render: (row) => formatDateTime(row.last_at), csv: (row) => row.last_at },
];

export function BillingGroupsTable({ range }: { range: TimeRange }) {
  return (
    <DataTable<BillingGroupSpendView>
      label="Spend by billing group"
      stateKey="groups"
      {...analyticsTable<BillingGroupSpendView>('/admin/analytics/billing-groups', range)}
      columns={COLUMNS}
      rowKey={(row) => row.billing_group ?? ''}
      defaultSort={{ sort: 'cost_usd', order: 'desc' }}
      searchLabel="Search billing group"
      exportCsv
      empty={<EmptyState title="No requests in this range.">Spend shows here, by billing group, once requests go through the gateway.</EmptyState>}
    />
  );
}
