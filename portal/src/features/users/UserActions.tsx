/**
 * A user's row actions. Deactivating, ending sessions and deleting say first what stops and what
 * is kept; the API refuses to deactivate or delete the last active admin, and its message shows
 * in the confirmation. Reactivating needs no confirmation: it only gives access back.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { errorText } from '../../components/ErrorMessage.js';
import { USERS_QUERY } from './queries.js';
import type { UserRow } from './types.js';

export interface Notice {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

export function UserActions({ user, onEdit, onNotice }: { user: UserRow; onEdit: () => void; onNotice: (notice: Notice) => void }) {
  const queryClient = useQueryClient();
  const { session } = useSession();
  const [reactivating, setReactivating] = useState(false);
  const self = user.id === session.user.id;
  const path = `/admin/users/${encodeURIComponent(user.id)}`;
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: USERS_QUERY }), queryClient.invalidateQueries({ queryKey: ['admin', 'teams'] })]);

  async function reactivate() {
    setReactivating(true);
    try {
      await api.post(`${path}/reactivate`);
      await refresh();
      onNotice({ kind: 'ok', text: `${user.email} is active again: their keys work and they can sign in.` });
    } catch (failure) {
      onNotice({ kind: 'error', text: `Could not reactivate ${user.email}: ${errorText(failure)}` });
    } finally {
      setReactivating(false);
    }
  }

  return (
    <div className="row-actions">
      <button type="button" className="button button-small" onClick={onEdit} aria-label={`Edit ${user.email}`}>
        Edit
      </button>
      {user.status === 'active' ? (
        <ConfirmButton
          label="Deactivate"
          title={`Deactivate ${user.email}?`}
          confirmLabel="Deactivate"
          onConfirm={async () => {
            await api.post(`${path}/deactivate`);
            await refresh();
          }}
        >
          <p>
            Their keys stop working and their sessions end at once{self ? ', including the one you are using' : ''}, and they cannot sign in. The keys are kept: reactivating
            makes them work again.
          </p>
        </ConfirmButton>
      ) : (
        <button type="button" className="button button-small" disabled={reactivating} onClick={() => void reactivate()}>
          {reactivating ? 'Reactivating…' : 'Reactivate'}
        </button>
      )}
      <ConfirmButton
        label="End sessions"
        title={`End every session of ${user.email}?`}
        confirmLabel="End sessions"
        onConfirm={async () => {
          const result = await api.post<{ sessions_revoked: number }>(`${path}/sessions/revoke`);
          onNotice({ kind: 'ok', text: `${result.sessions_revoked === 1 ? '1 session' : `${result.sessions_revoked} sessions`} of ${user.email} ended.` });
        }}
      >
        <p>
          Every portal and admin session of {user.email} ends at once{self ? ': that includes this one, so you will be signed out' : ''}. Their account, keys and admin API keys are
          untouched, and they can sign in again.
        </p>
      </ConfirmButton>
      <ConfirmButton
        label="Delete"
        title={`Delete ${user.email}?`}
        confirmLabel="Delete user"
        onConfirm={async () => {
          await api.delete(path);
          await refresh();
        }}
      >
        <p>
          Their keys are revoked and their sessions end at once, and the user disappears from the portal. Their spend history is kept, and the email can be given to a new user.
          This cannot be undone.
        </p>
      </ConfirmButton>
    </div>
  );
}
