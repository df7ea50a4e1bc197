/** Usage by user (spec §10: User | Team | Requests | Tokens | Spend | Avg $/req); a member's answer is their own row. */
import { Link } from 'react-router';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatInteger, formatTokens, formatUsd } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { analyticsTable } from '../../lib/use-analytics.js';
import type { UserUsageRow } from './types.js';

const tokenBreakdown = (row: UserUsageRow) =>
  `${formatTokens(row.input_tokens)} input, ${formatTokens(row.output_tokens)} output, ${formatTokens(row.cache_read_tokens)} cache read, ${formatTokens(row.cache_write_tokens)} cache write`;

const COLUMNS: Column<UserUsageRow>[] = [
  { header: 'User', sort: 'user_email', render: (row) => row.user_email, csv: (row) => row.user_email },
  { header: 'Team', sort: 'team_name', render: (row) => row.team_name ?? <span className="muted">No team</span>, csv: (row) => row.team_name },
  { header: 'Requests', sort: 'requests', align: 'right', render: (row) => formatInteger(row.requests), csv: (row) => row.requests },
  { header: 'Tokens', sort: 'tokens', align: 'right', render: (row) => <span title={tokenBreakdown(row)}>{formatTokens(row.tokens)}</span>, csv: (row) => row.tokens },
  { header: 'Spend', sort: 'cost_usd', align: 'right', render: (row) => formatUsd(row.cost_usd), csv: (row) => row.cost_usd },
  { header: 'Avg $/req', sort: 'avg_cost_usd', align: 'right', render: (row) => formatUsd(row.avg_cost_usd), csv: (row) => row.avg_cost_usd },
];

export function UsersTable({ range, isAdmin }: { range: TimeRange; isAdmin: boolean }) {
  return (
    <DataTable<UserUsageRow>
      label="Usage by user"
      {...analyticsTable<UserUsageRow>('/admin/analytics/users', range)}
      columns={COLUMNS}
      rowKey={(row) => row.user_id ?? ''}
      defaultSort={{ sort: 'cost_usd', order: 'desc' }}
      searchLabel={isAdmin ? 'Search user or team' : undefined}
      exportCsv
      empty={
        <EmptyState title="No usage in this range.">
          Usage appears once requests go through the gateway: create a key on the <Link to="/keys">Keys</Link> page and set Claude Code up on{' '}
          <Link to="/connect">Connect</Link>.
        </EmptyState>
      }
    />
  );
}
