/**
 * Users (spec §10: User | Status | Team | Budget | Role | Created): who may use the gateway, the
 * budget that limits each of them and where it comes from, and the actions on an account.
 */
import { useState } from 'react';
import { listFetcher } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FilterSelect, useUrlFilters } from '../../components/FilterSelect.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SpendMeter } from '../../components/SpendMeter.js';
import { useTeams } from '../../components/TeamSelect.js';
import { formatDate, formatDateTime, formatPercent } from '../../lib/format.js';
import { BUDGET_SOURCE_LABEL, formatBudget, meterStatus } from '../../lib/budgets.js';
import { USERS_QUERY } from './queries.js';
import type { UserBudget, UserRow } from './types.js';
import { UserActions, type Notice } from './UserActions.js';
import { UserDialog } from './UserDialog.js';

const FILTERS = ['status', 'role', 'team_id'] as const;
const STATUS_OPTIONS = [
  { value: 'active', label: 'Active' },
  { value: 'deactivated', label: 'Deactivated' },
];
const ROLE_OPTIONS = [
  { value: 'admin', label: 'Admin' },
  { value: 'member', label: 'Member' },
];

function BudgetCell({ user, budget }: { user: UserRow; budget: UserBudget | null }) {
  if (!budget) return <span className="muted">No budget</span>;
  return (
    <span className="cell-stack" title={`Resets ${formatDateTime(budget.resets_at)}`}>
      <span>
        {formatBudget(budget.amount_usd, budget.period)} <span className="muted cell-note">{BUDGET_SOURCE_LABEL[budget.source]}</span>
      </span>
      <SpendMeter percent={budget.percent} status={meterStatus(budget.percent)} label={`Spend of the budget of ${user.email}`} />
    </span>
  );
}

const budgetCsv = (budget: UserBudget | null) =>
  budget ? `${formatBudget(budget.amount_usd, budget.period)} (${BUDGET_SOURCE_LABEL[budget.source]}), ${formatPercent(budget.percent, { fromPercent: true })} spent` : '';

export default function UsersPage() {
  const { session } = useSession();
  const teams = useTeams();
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserRow>();
  const [notice, setNotice] = useState<Notice>();
  const filtered = FILTERS.some((name) => filters[name] !== '');

  const columns: Column<UserRow>[] = [
    {
      header: 'User',
      sort: 'email',
      render: (user) => (
        <span className="cell-stack">
          <span>
            {user.email}
            {user.id === session.user.id ? <span className="muted"> (you)</span> : null}
          </span>
          {user.display_name ? <span className="muted cell-note">{user.display_name}</span> : null}
        </span>
      ),
      csv: (user) => user.email,
    },
    { header: 'Status', sort: 'status', render: (user) => <span className={`badge badge-${user.status}`}>{user.status}</span>, csv: (user) => user.status },
    { header: 'Team', sort: 'team_name', render: (user) => user.team_name ?? <span className="muted">—</span>, csv: (user) => user.team_name },
    { header: 'Budget', render: (user) => <BudgetCell user={user} budget={user.budget} />, csv: (user) => budgetCsv(user.budget) },
    { header: 'Role', sort: 'role', render: (user) => <span className={`badge badge-${user.role}`}>{user.role}</span>, csv: (user) => user.role },
    { header: 'Created', sort: 'created_at', render: (user) => formatDate(user.created_at), csv: (user) => user.created_at },
    { header: 'Actions', align: 'right', render: (user) => <UserActions user={user} onEdit={() => setEditing(user)} onNotice={setNotice} /> },
  ];

  const addButton = (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      Add user
    </button>
  );

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who may use the gateway. A user's budget is their own, else their team's per-member default, else the global default. Deactivating someone stops their keys and sessions at once."
        actions={addButton}
      />
      <UserDialog open={creating} onClose={() => setCreating(false)} />
      <UserDialog open={editing !== undefined} user={editing} onClose={() => setEditing(undefined)} />
      {notice ? (
        <div className={`notice notice-${notice.kind} notice-dismissable`} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <span>{notice.text}</span>
          <button type="button" className="button button-quiet button-small" onClick={() => setNotice(undefined)}>
            Dismiss
          </button>
        </div>
      ) : null}
      <DataTable<UserRow>
        label="Users"
        queryKey={[...USERS_QUERY, filters]}
        fetchPage={listFetcher<UserRow>('/admin/users', filters)}
        columns={columns}
        rowKey={(user) => user.id}
        defaultSort={{ sort: 'email', order: 'asc' }}
        searchLabel="Search email or name"
        toolbar={
          <>
            <FilterSelect label="Status" allLabel="Any status" options={STATUS_OPTIONS} value={filters.status} onChange={(status) => setFilters({ status })} />
            <FilterSelect label="Role" allLabel="Any role" options={ROLE_OPTIONS} value={filters.role} onChange={(role) => setFilters({ role })} />
            <FilterSelect
              label="Team"
              allLabel="Any team"
              options={(teams.data?.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={filters.team_id}
              onChange={(team_id) => setFilters({ team_id })}
            />
          </>
        }
        empty={
          filtered ? (
            <EmptyState title="No users match these filters.">
              <button type="button" className="button button-small" onClick={() => setFilters({ status: '', role: '', team_id: '' })}>
                Clear filters
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No users yet." action={addButton}>
              Add members to manage who can access the gateway.
            </EmptyState>
          )
        }
      />
    </>
  );
}
