/**
 * Budget usage bars. Admins see the ten budgets closest to their limit, across users, teams, keys
 * and defaults; members see the budgets that apply to them, with the standing their own rules
 * give (the API scopes both). Shared by the Dashboard and the member's Usage page.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { BudgetBars, type BudgetBar } from '../../components/charts/BudgetBars.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { Section } from '../../components/Section.js';
import { budgetStatus, subjectLabel } from '../../lib/budgets.js';
import { BUDGETS_QUERY, useMyBudgets } from '../budgets/queries.js';
import type { BudgetListRow, MyBudget } from './types.js';

const KIND: Record<string, string> = { user: 'user', team: 'team', key: 'key', team_default: 'team default', global_default: 'global default' };
const kindOf = (subjectType: string) => KIND[subjectType] ?? subjectType;

const barOf = (row: BudgetListRow | MyBudget, key: string, status: BudgetBar['status']): BudgetBar => ({
  key,
  name: subjectLabel(row.subject_name),
  kind: kindOf(row.subject_type),
  period: row.period,
  spentUsd: row.spent_usd,
  amountUsd: row.amount_usd,
  percent: row.percent,
  resetsAt: row.resets_at,
  status,
});

// An admin's rows have ids and rules to judge the standing by; a member's have neither, but come with their standing.
const fromAdminRow = (row: BudgetListRow) => barOf(row, row.id, budgetStatus(row.rules, row.percent));
const fromMine = (row: MyBudget) => barOf(row, `${row.subject_type}:${row.subject_name}`, row.status);

export function BudgetsSection() {
  const { isAdmin } = useSession();
  const closest = useQuery({
    queryKey: [...BUDGETS_QUERY, 'closest'],
    queryFn: () => api.get<{ data: BudgetListRow[] }>('/admin/budgets', { sort: 'percent', order: 'desc', limit: 10 }),
    enabled: isAdmin,
  });
  const mine = useMyBudgets({ enabled: !isAdmin });
  const budgets = isAdmin ? closest : mine;
  const bars = (isAdmin ? closest.data?.data.map(fromAdminRow) : mine.data?.data.map(fromMine)) ?? [];
  return (
    <Section
      id="budgets"
      title={isAdmin ? 'Budgets closest to their limit' : 'Your budget'}
      description={isAdmin ? 'Spend this period against each budget, fullest first.' : 'Spend this period against the budgets that apply to you.'}
      actions={
        <Link className="button button-small" to="/budgets">
          {isAdmin ? 'All budgets' : 'Budget details'}
        </Link>
      }
    >
      {budgets.isError ? (
        <ErrorMessage error={budgets.error} />
      ) : budgets.isPending ? (
        <Loading />
      ) : bars.length === 0 ? (
        <EmptyState title={isAdmin ? 'No budgets yet.' : 'No budget applies to you.'}>
          {isAdmin ? 'Set a budget for a user, a team or everyone on the Budgets page to cap spend.' : 'Your spend is not capped. An administrator can set a budget for you or your team.'}
        </EmptyState>
      ) : (
        <BudgetBars bars={bars} label={isAdmin ? 'Budgets by usage' : 'Your budgets'} />
      )}
    </Section>
  );
}
