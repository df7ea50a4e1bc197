/**
 * Teams (spec §10: Team | Members | Keys | Team Budget | Resets | Spend | Usage): groups of
 * members whose spend adds up to a team budget, each with a per-member default budget.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, listFetcher } from '../../api/client.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SpendMeter } from '../../components/SpendMeter.js';
import { formatDate, formatDateTime, formatInteger, formatRelative, formatUsd } from '../../lib/format.js';
import { formatBudget, meterStatus } from '../../lib/budgets.js';
import { TeamBudgetDialog, type TeamBudgetKind } from './TeamBudgetDialog.js';
import { TeamNameDialog } from './TeamNameDialog.js';
import { teamDeletion } from './team-logic.js';
import type { TeamRow } from './types.js';

const TEAMS_QUERY = ['admin', 'teams', 'table'] as const;

const none = <span className="muted">—</span>;

export default function TeamsPage() {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<TeamRow>();
  const [budgetOf, setBudgetOf] = useState<{ team: TeamRow; kind: TeamBudgetKind }>();

  const remove = async (team: TeamRow) => {
    await api.delete(`/admin/teams/${encodeURIComponent(team.id)}`);
    await queryClient.invalidateQueries({ queryKey: ['admin', 'teams'] });
  };

  const columns: Column<TeamRow>[] = [
    { header: 'Team', sort: 'name', render: (team) => team.name, csv: (team) => team.name },
    {
      header: 'Members',
      sort: 'member_count',
      align: 'right',
      render: (team) => (
        <Link to={`/users?team_id=${encodeURIComponent(team.id)}`} aria-label={`${team.member_count} members of ${team.name}`}>
          {formatInteger(team.member_count)}
        </Link>
      ),
      csv: (team) => team.member_count,
    },
    { header: 'Keys', sort: 'key_count', align: 'right', render: (team) => formatInteger(team.key_count), csv: (team) => team.key_count },
    {
      header: 'Team Budget',
      render: (team) => (team.budget ? <span className="nowrap">{formatBudget(team.budget.amount_usd, team.budget.period)}</span> : <span className="muted">No budget</span>),
      csv: (team) => (team.budget ? formatBudget(team.budget.amount_usd, team.budget.period) : ''),
    },
    {
      header: 'Resets',
      render: (team) =>
        team.budget ? (
          <time className="nowrap" dateTime={team.budget.resets_at} title={formatDateTime(team.budget.resets_at)}>
            {formatRelative(team.budget.resets_at)}
          </time>
        ) : (
          none
        ),
      csv: (team) => team.budget?.resets_at,
    },
    {
      header: 'Spend',
      sort: 'spent_usd',
      align: 'right',
      render: (team) => (
        <span className="cell-stack" title={`Since ${formatDateTime(team.spend.since)}`}>
          <span>{formatUsd(team.spend.usd)}</span>
          <span className="muted cell-note">since {formatDate(team.spend.since)}</span>
        </span>
      ),
      csv: (team) => team.spend.usd,
    },
    {
      header: 'Usage',
      render: (team) => (team.budget ? <SpendMeter percent={team.budget.percent} status={meterStatus(team.budget.percent)} label={`Spend of the budget of ${team.name}`} /> : none),
      csv: (team) => team.budget?.percent,
    },
    {
      header: 'Actions',
      align: 'right',
      render: (team) => {
        const deletion = teamDeletion(team);
        return (
          <div className="row-actions">
            <button type="button" className="button button-small" aria-label={`Rename ${team.name}`} onClick={() => setRenaming(team)}>
              Rename
            </button>
            <button type="button" className="button button-small" aria-label={`Budget of ${team.name}`} onClick={() => setBudgetOf({ team, kind: 'team' })}>
              Budget
            </button>
            <button type="button" className="button button-small" aria-label={`Per-member default budget of ${team.name}`} onClick={() => setBudgetOf({ team, kind: 'team_default' })}>
              Member default
            </button>
            <ConfirmButton label="Delete" title={deletion.possible ? `Delete ${team.name}?` : `${team.name} is not empty`} confirmLabel="Delete team" onConfirm={() => remove(team)}>
              <p>{deletion.text}</p>
            </ConfirmButton>
          </div>
        );
      },
    },
  ];

  const createButton = (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      Create team
    </button>
  );

  return (
    <>
      <PageHeader
        title="Teams"
        description="Teams group members. A team budget caps what the whole team spends together; its per-member default gives each member without their own budget a limit of that size."
        actions={createButton}
      />
      <TeamNameDialog open={creating} onClose={() => setCreating(false)} />
      <TeamNameDialog open={renaming !== undefined} team={renaming} onClose={() => setRenaming(undefined)} />
      <TeamBudgetDialog team={budgetOf?.team} kind={budgetOf?.kind ?? 'team'} onClose={() => setBudgetOf(undefined)} />
      <DataTable<TeamRow>
        label="Teams"
        queryKey={TEAMS_QUERY}
        fetchPage={listFetcher<TeamRow>('/admin/teams')}
        columns={columns}
        rowKey={(team) => team.id}
        defaultSort={{ sort: 'name', order: 'asc' }}
        searchLabel="Search team name"
        empty={
          <EmptyState title="No teams yet." action={createButton}>
            Create teams to organize members and control spend budgets.
          </EmptyState>
        }
      />
    </>
  );
}
