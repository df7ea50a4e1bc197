/** Creating a team, or renaming one. Names are unique: a taken name comes back as the API's message. */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import { FormActions, FormError, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { useAction } from '../../lib/use-action.js';
import type { TeamRow } from './types.js';

function TeamNameForm({ team, onClose }: { team?: TeamRow | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(team?.name ?? '');
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      if (team) await api.patch(`/admin/teams/${encodeURIComponent(team.id)}`, { name: name.trim() });
      else await api.post('/admin/teams', { name: name.trim() });
      // Users and budgets show team names too.
      await Promise.all([['admin', 'teams'], ['admin', 'users'], ['admin', 'budgets']].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      onClose();
    });
  }

  return (
    <form onSubmit={submit}>
      <TextField label="Name" required maxLength={200} pattern=".*\S.*" title="A name that is not only spaces" autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} />
      <FormError error={error} />
      <FormActions busy={busy} submitLabel={team ? 'Rename' : 'Create team'} onCancel={onClose} />
    </form>
  );
}

export function TeamNameDialog({ open, team, onClose }: { open: boolean; team?: TeamRow | undefined; onClose: () => void }) {
  return (
    <Modal open={open} title={team ? `Rename ${team.name}` : 'Create a team'} onClose={onClose}>
      <TeamNameForm team={team} onClose={onClose} />
    </Modal>
  );
}
