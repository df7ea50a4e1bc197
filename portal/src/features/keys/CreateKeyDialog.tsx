/**
 * Creating a key: owner (admins only; a member's keys are their own), name, team (admins), and
 * expiry. The new key is shown once, with a copy button and the way to Connect.
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import type { CreatedKey, TeamRecord } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { FormActions, FormError, SelectField, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useAction } from '../../lib/use-action.js';

/** The end of the chosen day in UTC, as the API's ISO timestamp; undefined for no expiry. */
export function expiryOf(date: string): string | undefined {
  return date ? new Date(`${date}T23:59:59Z`).toISOString() : undefined;
}

export function CreateKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { isAdmin, session } = useSession();
  const teams = useQuery({
    queryKey: ['admin', 'teams', 'all'],
    queryFn: () => api.get<{ data: TeamRecord[] }>('/admin/teams', { limit: 1000, sort: 'name' }),
    enabled: open && isAdmin,
  });
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [teamId, setTeamId] = useState('');
  const [expires, setExpires] = useState('');
  const { busy, error, setError, run } = useAction();
  const [created, setCreated] = useState<CreatedKey>();

  function close() {
    setCreated(undefined);
    setError(undefined);
    setEmail('');
    setName('');
    setTeamId('');
    setExpires('');
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const key = await api.post<CreatedKey>('/admin/keys', {
        user_email: isAdmin ? email.trim() : undefined,
        name: name.trim() || undefined,
        team_id: teamId || undefined,
        expires_at: expiryOf(expires),
      });
      setCreated(key);
      onCreated();
    });
  }

  const today = new Date().toISOString().slice(0, 10);
  return (
    <Modal open={open} title={created ? 'Key created' : 'Create a key'} onClose={close}>
      {created ? (
        <SecretOnce secret={created.key} label="key" onDone={close}>
          <p>
            To set up Claude Code with this key, go to <Link to="/connect" onClick={close}>Connect</Link>.
          </p>
        </SecretOnce>
      ) : (
        <form onSubmit={submit}>
          {isAdmin ? (
            <TextField label="User email" type="email" required value={email} onChange={(event) => setEmail(event.target.value)} hint="The key acts as this user. A new email creates the user as a member." />
          ) : (
            <p className="field-hint">The key will be yours ({session.user.email}).</p>
          )}
          <TextField label="Name" maxLength={200} value={name} onChange={(event) => setName(event.target.value)} hint="Where the key is used, e.g. laptop or ci." />
          {isAdmin ? (
            <SelectField label="Team" value={teamId} onChange={(event) => setTeamId(event.target.value)} hint="A team-owned key; by default the key belongs to its user's team.">
              <option value="">The user's team</option>
              {(teams.data?.data ?? []).map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </SelectField>
          ) : null}
          <TextField label="Expires" type="date" min={today} value={expires} onChange={(event) => setExpires(event.target.value)} hint="Optional: the key stops working at the end of this day (UTC)." />
          <FormError error={error} />
          <FormActions busy={busy} submitLabel="Create key" onCancel={close} />
        </form>
      )}
    </Modal>
  );
}
