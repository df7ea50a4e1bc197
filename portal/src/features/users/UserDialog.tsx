/**
 * Adding a user (email, display name, role, team) or changing one (display name, role, team).
 * The API has the last word: a taken email, or demoting the last active admin, comes back as its
 * own message under the form.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { UserRecord, UserRole } from '../../api/types.js';
import { FormActions, FormError, SelectField, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { TeamSelect } from '../../components/TeamSelect.js';
import { useAction } from '../../lib/use-action.js';
import { USERS_QUERY } from './queries.js';

const ROLE_HINT = 'Admins manage the whole gateway; members see only their own keys, usage and budget.';

function UserForm({ user, onClose }: { user?: UserRecord | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState(user?.display_name ?? '');
  const [role, setRole] = useState<UserRole>(user?.role ?? 'member');
  const [teamId, setTeamId] = useState(user?.team_id ?? '');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    const name = displayName.trim();
    void run(async () => {
      if (user) {
        // null clears the name or takes the user out of their team (docs/admin-api.md).
        await api.patch(`/admin/users/${encodeURIComponent(user.id)}`, { display_name: name || null, role, team_id: teamId || null });
      } else {
        await api.post('/admin/users', { email: email.trim(), role, ...(name ? { display_name: name } : {}), ...(teamId ? { team_id: teamId } : {}) });
      }
      // The team and role change what the Teams page counts and which budget applies.
      await Promise.all([queryClient.invalidateQueries({ queryKey: USERS_QUERY }), queryClient.invalidateQueries({ queryKey: ['admin', 'teams'] })]);
      onClose();
    });
  }

  return (
    <form onSubmit={submit}>
      {user ? (
        <p className="field-hint">{user.email}</p>
      ) : (
        <TextField label="Email" type="email" required maxLength={320} autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} hint="How they sign in with single sign-on, and whom keys are issued to." />
      )}
      <TextField label="Display name" maxLength={200} value={displayName} onChange={(event) => setDisplayName(event.target.value)} hint="Optional." />
      <SelectField label="Role" value={role} hint={ROLE_HINT} onChange={(event) => setRole(event.target.value as UserRole)}>
        <option value="member">Member</option>
        <option value="admin">Admin</option>
      </SelectField>
      <TeamSelect
        value={teamId}
        onChange={setTeamId}
        noneLabel="No team"
        hint={user ? 'Their budget follows the new team’s default unless they have their own. Existing keys stay with the team they were created in.' : 'Decides which team default budget applies to them.'}
      />
      <FormError error={error} />
      <FormActions busy={busy} submitLabel={user ? 'Save changes' : 'Add user'} onCancel={onClose} />
    </form>
  );
}

export function UserDialog({ open, user, onClose }: { open: boolean; user?: UserRecord | undefined; onClose: () => void }) {
  return (
    <Modal open={open} title={user ? 'Edit user' : 'Add a user'} onClose={onClose}>
      <UserForm user={user} onClose={onClose} />
    </Modal>
  );
}
