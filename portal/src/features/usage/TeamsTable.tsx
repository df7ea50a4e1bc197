/** Usage totals per team (admins): Team | Users | Requests | Tokens | Spend. */
import { Link } from 'react-router';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatInteger, formatTokens, formatUsd } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { analyticsTable } from '../../lib/use-analytics.js';
import type { TeamUsageRow } from './types.js';

const COLUMNS: Column<TeamUsageRow>[] = [
  { header: 'Team', sort: 'team_name', render: (row) => row.team_name ?? <span className="muted">No team</span>, csv: (row) => row.team_name ?? '' },
  { header: 'Users', sort: 'users', align: 'right', render: (row) => formatInteger(row.users), csv: (row) => row.users },
  { header: 'Requests', sort: 'requests', align: 'right', render: (row) => formatInteger(row.requests), csv: (row) => row.requests },
  { header: 'Tokens', sort: 'tokens', align: 'right', render: (row) => formatTokens(row.tokens), csv: (row) => row.tokens },
  { header: 'Spend', sort: 'cost_usd', align: 'right', render: (row) => formatUsd(row.cost_usd), csv: (row) => row.cost_usd },
];

export function TeamsTable({ range }: { range: TimeRange }) {
  return (
    <DataTable<TeamUsageRow>
      label="Usage by team"
      {...analyticsTable<TeamUsageRow>('/admin/analytics/teams', range)}
      columns={COLUMNS}
      rowKey={(row) => row.team_id ?? ''}
      defaultSort={{ sort: 'cost_usd', order: 'desc' }}
      searchLabel="Search teams"
      stateKey="teams"
      exportCsv
      empty={
        <EmptyState title="No usage in this range.">
          Team totals appear once members send requests. Create teams and add members on the <Link to="/teams">Teams</Link> page.
        </EmptyState>
      }
    />
  );
}
