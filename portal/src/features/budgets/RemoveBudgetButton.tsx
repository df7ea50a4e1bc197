import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { BudgetRecord } from '../../api/types.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { formatBudget, removalConsequence } from '../../lib/budgets.js';
import { refreshBudgetViews } from './queries.js';

/** Removes a budget after saying what stops applying and what applies instead. */
export function RemoveBudgetButton({ budget, subjectName, label = 'Remove' }: { budget: Pick<BudgetRecord, 'id' | 'subject_type' | 'amount_usd' | 'period'>; subjectName: string; label?: string }) {
  const queryClient = useQueryClient();
  return (
    <ConfirmButton
      label={label}
      title="Remove this budget?"
      confirmLabel="Remove budget"
      onConfirm={async () => {
        await api.delete(`/admin/budgets/${encodeURIComponent(budget.id)}`);
        await refreshBudgetViews(queryClient);
      }}
    >
      <p>
        The {formatBudget(budget.amount_usd, budget.period)} budget of {subjectName} stops applying at once. {removalConsequence(budget.subject_type)}
      </p>
      <p>Spend already recorded is kept.</p>
    </ConfirmButton>
  );
}
