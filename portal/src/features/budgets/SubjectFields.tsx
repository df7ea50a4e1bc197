/**
 * Whose budget a new one is: the subject type, then the subject itself, picked by what people
 * know it by (a user's email, a team's name, a key's prefix).
 */
import { SelectField } from '../../components/Form.js';
import { KeyPicker } from '../../components/KeyPicker.js';
import { TeamSelect } from '../../components/TeamSelect.js';
import { UserPicker } from '../../components/UserPicker.js';
import type { KeyRecord, UserRecord } from '../../api/types.js';
import { SUBJECT_TYPE_LABEL, SUBJECT_TYPES, type BudgetSubjectType } from '../../lib/budgets.js';

export interface SubjectDraft {
  readonly type: BudgetSubjectType;
  readonly user: UserRecord | null;
  readonly key: KeyRecord | null;
  readonly teamId: string;
}

export const NEW_SUBJECT: SubjectDraft = { type: 'user', user: null, key: null, teamId: '' };

/** The subject's id for the API; undefined for the global default (or while nothing is picked). */
export function subjectIdOf(subject: SubjectDraft): string | undefined {
  switch (subject.type) {
    case 'user':
      return subject.user?.id;
    case 'key':
      return subject.key?.id;
    case 'team':
    case 'team_default':
      return subject.teamId || undefined;
    case 'global_default':
      return undefined;
  }
}

const TYPE_HINT: Record<BudgetSubjectType, string> = {
  user: 'Everything this user spends, with any key or sign-in. Replaces their team default.',
  team: 'Everything the team spends together: its members and its team-owned keys.',
  key: 'Everything spent with one key.',
  team_default: 'Each member of the team without a budget of their own gets one of this size; it is not shared.',
  global_default: 'Every user with neither a budget of their own nor a team default gets one of this size.',
};

export function SubjectFields({ subject, onChange }: { subject: SubjectDraft; onChange: (subject: SubjectDraft) => void }) {
  const set = (change: Partial<SubjectDraft>) => onChange({ ...subject, ...change });
  return (
    <>
      <SelectField label="Budget for" value={subject.type} hint={TYPE_HINT[subject.type]} onChange={(event) => set({ type: event.target.value as BudgetSubjectType })}>
        {SUBJECT_TYPES.map((type) => (
          <option key={type} value={type}>
            {type === 'team_default' ? 'Team default (per member)' : SUBJECT_TYPE_LABEL[type]}
          </option>
        ))}
      </SelectField>
      {subject.type === 'user' ? <UserPicker value={subject.user} onChange={(user) => set({ user })} /> : null}
      {subject.type === 'key' ? <KeyPicker value={subject.key} onChange={(key) => set({ key })} /> : null}
      {subject.type === 'team' || subject.type === 'team_default' ? <TeamSelect required value={subject.teamId} onChange={(teamId) => set({ teamId })} /> : null}
    </>
  );
}
