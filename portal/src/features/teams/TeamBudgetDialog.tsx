/**
 * A team's two budgets, set from its row: the team's own (one shared limit) and its per-member
 * default. Both live in the Budgets API (`subject_type` team / team_default), so the dialog first
 * looks up the one the team has, then changes it, or sets a new one.
 */
import { useQuery } from '@tanstack/react-query';
import { api, type ListEnvelope } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { Modal } from '../../components/Modal.js';
import { BudgetForm } from '../budgets/BudgetDialog.js';
import { describeRules, formatBudget } from '../../lib/budgets.js';
import { BUDGETS_QUERY } from '../budgets/queries.js';
import { RemoveBudgetButton } from '../budgets/RemoveBudgetButton.js';
import type { BudgetRow } from '../budgets/types.js';
import { TEAM_BUDGET_INTRO, TEAM_DEFAULT_INTRO } from './team-logic.js';
import type { TeamRow } from './types.js';

export type TeamBudgetKind = 'team' | 'team_default';

async function findBudget(kind: TeamBudgetKind, team: TeamRow): Promise<BudgetRow | null> {
  // The search narrows by name ("Platform", "Default for Platform"); the id decides.
  const page = await api.get<ListEnvelope<BudgetRow>>('/admin/budgets', { subject_type: kind, q: team.name, limit: 1000 });
  return page.data.find((budget) => budget.subject_type === kind && budget.subject_id === team.id) ?? null;
}

function TeamBudgetBody({ team, kind, onClose }: { team: TeamRow; kind: TeamBudgetKind; onClose: () => void }) {
  const current = useQuery({ queryKey: [...BUDGETS_QUERY, 'subject', kind, team.id], queryFn: () => findBudget(kind, team) });
  if (current.isPending) return <Loading />;
  if (current.isError) return <ErrorMessage error={current.error} title="Could not load the budget" />;
  const budget = current.data;
  const subjectName = kind === 'team' ? `team ${team.name}` : `the members of ${team.name}`;
  return (
    <>
      {budget ? (
        <div className="budget-current">
          <p>
            Now: <strong>{formatBudget(budget.amount_usd, budget.period)}</strong>, {budget.policy} policy ({describeRules(budget.rules)})
          </p>
          <RemoveBudgetButton budget={budget} subjectName={subjectName} label="Remove budget" />
        </div>
      ) : (
        <p className="muted">No budget yet.</p>
      )}
      <BudgetForm budget={budget} subject={{ type: kind, id: team.id, name: team.name }} intro={kind === 'team' ? TEAM_BUDGET_INTRO : TEAM_DEFAULT_INTRO} onClose={onClose} />
    </>
  );
}

export function TeamBudgetDialog({ team, kind, onClose }: { team: TeamRow | undefined; kind: TeamBudgetKind; onClose: () => void }) {
  return (
    <Modal open={team !== undefined} title={kind === 'team' ? `Budget of ${team?.name ?? ''}` : `Per-member default of ${team?.name ?? ''}`} onClose={onClose}>
      {team ? <TeamBudgetBody team={team} kind={kind} onClose={onClose} /> : null}
    </Modal>
  );
}
