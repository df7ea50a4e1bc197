/** Spend per Claude Code session, with the subagents' share; a row's button opens its agent breakdown. */
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatDateTime, formatInteger, formatTokens, formatUsd } from '../../lib/format.js';
import type { TimeRange } from '../../lib/time-range.js';
import { analyticsTable } from '../../lib/use-analytics.js';
import type { SessionSpendView } from './types.js';

function columns(isAdmin: boolean, onOpen: (sessionId: string) => void): Column<SessionSpendView>[] {
  return [
    { header: 'Session', sort: 'session_id', render: (row) => <span className="mono">{row.session_id}</span>, csv: (row) => row.session_id },
    ...(isAdmin ? [{ header: 'User', render: (row: SessionSpendView) => row.user_email ?? row.user_id ?? '—', csv: (row: SessionSpendView) => row.user_email ?? row.user_id }] : []),
    { header: 'Agents', sort: 'agents', align: 'right', render: (row) => formatInteger(row.agents), csv: (row) => row.agents },
    { header: 'Requests', sort: 'requests', align: 'right', render: (row) => formatInteger(row.requests), csv: (row) => row.requests },
    { header: 'Tokens', sort: 'tokens', align: 'right', render: (row) => formatTokens(row.tokens), csv: (row) => row.tokens },
    { header: 'Spend', sort: 'cost_usd', align: 'right', render: (row) => formatUsd(row.cost_usd), csv: (row) => row.cost_usd },
    { header: 'Subagents', align: 'right', render: (row) => formatUsd(row.subagent_cost_usd), csv: (row) => row.subagent_cost_usd },
    { header: 'Last request', sort: 'last_at', render: (row) => formatDateTime(row.last_at), csv: (row) => row.last_at },
    {
      header: 'Agents detail',
      render: (row) => (
        <button type="button" className="button button-small" aria-label={`Show the agents of session ${row.session_id}`} onClick={() => onOpen(row.session_id)}>
          Agents
        </button>
      ),
    },
  ];
}

export function SessionsTable({ range, isAdmin, onOpen }: { range: TimeRange; isAdmin: boolean; onOpen: (sessionId: string) => void }) {
  return (
    <DataTable<SessionSpendView>
      label="Spend by session"
      stateKey="sessions"
      {...analyticsTable<SessionSpendView>('/admin/analytics/sessions', range)}
      columns={columns(isAdmin, onOpen)}
      rowKey={(row) => row.session_id}
      defaultSort={{ sort: 'last_at', order: 'desc' }}
      searchLabel="Search session id"
      exportCsv
      empty={
        <EmptyState title="No Claude Code sessions in this range.">
          Claude Code names its session on every request (<code>x-claude-code-session-id</code>); other clients&apos; requests are counted by billing group only.
        </EmptyState>
      }
    />
  );
}
