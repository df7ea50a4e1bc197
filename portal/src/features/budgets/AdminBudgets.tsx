/**
 * Every budget (spec §10: User | Budget | Spend | Requests): whose it is, its amount, period and
 * policy, what its subject spent and asked this period. Set, change and remove budgets here.
 */
import { useState } from 'react';
import { listFetcher } from '../../api/client.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FilterSelect, useUrlFilters } from '../../components/FilterSelect.js';
import { PageHeader } from '../../components/PageHeader.js';
import { SpendMeter } from '../../components/SpendMeter.js';
import { formatInteger, formatUsd } from '../../lib/format.js';
import { BudgetDialog } from './BudgetDialog.js';
import { budgetStatus, describeRules, formatBudget, subjectLabel, SUBJECT_TYPE_LABEL, SUBJECT_TYPES } from '../../lib/budgets.js';
import { BUDGETS_QUERY } from './queries.js';
import { RemoveBudgetButton } from './RemoveBudgetButton.js';
import type { BudgetRow } from './types.js';

const FILTERS = ['subject_type'] as const;
const TYPE_OPTIONS = SUBJECT_TYPES.map((type) => ({ value: type, label: SUBJECT_TYPE_LABEL[type] }));

const isDefault = (row: BudgetRow) => row.subject_type === 'team_default' || row.subject_type === 'global_default';
const subjectText = (row: BudgetRow) => (row.subject_type === 'team' || row.subject_type === 'key' ? `${subjectLabel(row.subject_name)} (${SUBJECT_TYPE_LABEL[row.subject_type].toLowerCase()})` : subjectLabel(row.subject_name));
// Strict budgets say so: their requests are refused earlier, when a worst case no longer fits.
const policyText = (row: BudgetRow) => `${row.policy} policy${row.strict ? ', strict' : ''}, ${row.time_zone}`;

export function AdminBudgets() {
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<BudgetRow>();

  const columns: Column<BudgetRow>[] = [
    {
      header: 'User',
      sort: 'subject_name',
      render: (row) => (
        <span className="cell-stack">
          <span>{row.subject_type === 'key' && row.subject_name !== null ? <span className="mono">{row.subject_name}…</span> : subjectLabel(row.subject_name)}</span>
          {row.subject_type === 'team' || row.subject_type === 'key' ? <span className="badge">{SUBJECT_TYPE_LABEL[row.subject_type]}</span> : null}
        </span>
      ),
      csv: subjectText,
    },
    {
      header: 'Budget',
      sort: 'amount_usd',
      render: (row) => (
        <span className="cell-stack" title={describeRules(row.rules)}>
          <span className="nowrap">{formatBudget(row.amount_usd, row.period)}</span>
          <span className="muted cell-note">{policyText(row)}</span>
        </span>
      ),
      csv: (row) => `${formatBudget(row.amount_usd, row.period)}, ${policyText(row)}`,
    },
    {
      header: 'Spend',
      sort: 'spent_usd',
      render: (row) =>
        row.spent_usd === null || row.percent === null ? (
          <span className="muted cell-note">{isDefault(row) ? 'Counted per member' : '—'}</span>
        ) : (
          <span className="cell-stack">
            <span>{formatUsd(row.spent_usd)}</span>
            <SpendMeter percent={row.percent} status={budgetStatus(row.rules, row.percent)} label={`Spend of the budget of ${subjectLabel(row.subject_name)}`} />
          </span>
        ),
      csv: (row) => row.spent_usd,
    },
    { header: 'Requests', sort: 'requests', align: 'right', render: (row) => formatInteger(row.requests), csv: (row) => row.requests },
    {
      header: 'Actions',
      align: 'right',
      render: (row) => (
        <div className="row-actions">
          <button type="button" className="button button-small" onClick={() => setEditing(row)}>
            Edit
          </button>
          <RemoveBudgetButton budget={row} subjectName={subjectLabel(row.subject_name)} />
        </div>
      ),
    },
  ];

  const setButton = (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      Set a budget
    </button>
  );

  return (
    <>
      <PageHeader
        title="Budgets"
        description="Budgets cap what a user, a team or a key may spend in US dollars per day, week or month. A user's limit is their own budget, else their team's per-member default, else the global default; team and key budgets apply on top."
        actions={setButton}
      />
      <BudgetDialog open={creating} title="Set a budget" onClose={() => setCreating(false)} />
      <BudgetDialog open={editing !== undefined} title={`Budget of ${editing ? subjectLabel(editing.subject_name) : ''}`} budget={editing} onClose={() => setEditing(undefined)} />
      <DataTable<BudgetRow>
        label="Budgets"
        queryKey={[...BUDGETS_QUERY, filters]}
        fetchPage={listFetcher<BudgetRow>('/admin/budgets', filters)}
        columns={columns}
        rowKey={(row) => row.id}
        defaultSort={{ sort: 'subject_name', order: 'asc' }}
        searchLabel="Search user, team or key"
        toolbar={<FilterSelect label="Type" allLabel="All types" options={TYPE_OPTIONS} value={filters.subject_type} onChange={(subject_type) => setFilters({ subject_type })} />}
        empty={
          filters.subject_type ? (
            <EmptyState title="No budgets of this type.">
              <button type="button" className="button button-small" onClick={() => setFilters({ subject_type: '' })}>
                Show every budget
              </button>
            </EmptyState>
          ) : (
            <EmptyState title="No budgets yet." action={setButton}>
              Nothing caps spend until a budget is set. Start with a global default, which every user gets unless their team or they have their own.
            </EmptyState>
          )
        }
      />
    </>
  );
}
