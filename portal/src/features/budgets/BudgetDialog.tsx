/**
 * Setting a budget: a new one for a subject picked here (Budgets' "Set a budget"), a new one for a
 * given subject (a team's budgets on Teams), or a change to an existing one. New budgets go through
 * `POST /admin/budgets` (which replaces the subject's budget if it has one), changes through
 * `PATCH /admin/budgets/{id}` (settings left alone stay, custom rules included).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { BudgetRecord } from '../../api/types.js';
import { FormActions, FormError } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { useAction } from '../../lib/use-action.js';
import { BudgetFields } from './BudgetFields.js';
import { checkBudgetDraft, draftOf, type BudgetDraft, type BudgetSubjectType } from '../../lib/budgets.js';
import { refreshBudgetViews } from './queries.js';
import { NEW_SUBJECT, SubjectFields, subjectIdOf, type SubjectDraft } from './SubjectFields.js';

export interface FixedSubject {
  readonly type: BudgetSubjectType;
  /** Absent for the global default. */
  readonly id?: string;
  /** How the dialog names it: "Platform", "dev@example.com". */
  readonly name: string;
}

export interface BudgetDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly title: string;
  /** The budget to change; its subject is fixed. */
  readonly budget?: BudgetRecord | null | undefined;
  /** The subject of a new budget; without it the dialog asks whose budget it is. */
  readonly subject?: FixedSubject | undefined;
  /** A sentence about the subject under the title (e.g. what a team default is). */
  readonly intro?: string | undefined;
}

/** The dialog's form, for dialogs that load the budget first. Mounted afresh at each opening (Modal renders its content only while open), so it starts from the budget given. */
export function BudgetForm({ onClose, budget, subject: fixed, intro }: Omit<BudgetDialogProps, 'open' | 'title'>) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<BudgetDraft>(() => draftOf(budget));
  const [subject, setSubject] = useState<SubjectDraft>(NEW_SUBJECT);
  const [errors, setErrors] = useState<{ amount?: string; timeZone?: string }>({});
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    const check = checkBudgetDraft(draft);
    setErrors(check.ok ? {} : check.errors);
    if (!check.ok) return;
    void run(async () => {
      if (budget) await api.patch(`/admin/budgets/${encodeURIComponent(budget.id)}`, check.body);
      else {
        const subjectType = fixed?.type ?? subject.type;
        const subjectId = fixed ? fixed.id : subjectIdOf(subject);
        await api.post('/admin/budgets', { subject_type: subjectType, ...(subjectId ? { subject_id: subjectId } : {}), ...check.body });
      }
      await refreshBudgetViews(queryClient);
      onClose();
    });
  }

  return (
    <form onSubmit={submit}>
      {intro ? <p className="field-hint budget-dialog-intro">{intro}</p> : null}
      {budget || fixed ? null : <SubjectFields subject={subject} onChange={setSubject} />}
      <BudgetFields draft={draft} onChange={setDraft} errors={errors} customRules={budget?.policy === 'custom' ? budget.rules : undefined} />
      <FormError error={error} />
      <FormActions busy={busy} submitLabel={budget ? 'Save budget' : 'Set budget'} onCancel={onClose} />
    </form>
  );
}

export function BudgetDialog({ open, title, onClose, ...form }: BudgetDialogProps) {
  return (
    <Modal open={open} title={title} onClose={onClose}>
      <BudgetForm onClose={onClose} {...form} />
    </Modal>
  );
}
