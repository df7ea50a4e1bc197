/**
 * Creating an admin API key: a name, then the key shown once with how to use it. The key acts as
 * the admin creating it; nobody can mint one for another admin.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { CreatedAdminKey } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { CodeBlock } from '../../components/CodeBlock.js';
import { FormActions, FormError, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { gatewayBase } from '../../lib/shell.js';
import { useAction } from '../../lib/use-action.js';

export function CreateAdminKeyDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { session } = useSession();
  const [name, setName] = useState('');
  const { busy, error, setError, run } = useAction();
  const [created, setCreated] = useState<CreatedAdminKey>();

  function close() {
    setName('');
    setError(undefined);
    setCreated(undefined);
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError(new Error('Give the key a name that says where it is used.'));
      return;
    }
    void run(async () => {
      setCreated(await api.post<CreatedAdminKey>('/admin/api-keys', { name: name.trim() }));
      onCreated();
    });
  }

  return (
    <Modal open={open} title={created ? 'Admin API key created' : 'Create an admin API key'} onClose={close}>
      {created ? (
        <SecretOnce secret={created.key} label="admin API key" onDone={close}>
          <p>Send it as a bearer token, for example from a CI secret:</p>
          <CodeBlock code={`curl -H "Authorization: Bearer $CCAG_ADMIN_KEY" ${gatewayBase(session.gateway_url)}/admin/me`} label="Example request with the key" />
          <p>The ccag CLI takes it as $CCAG_TOKEN.</p>
        </SecretOnce>
      ) : (
        <form onSubmit={submit}>
          <p className="field-hint">The key acts as you ({session.user.email}), with your admin role, for as long as you are an active admin. It does not expire.</p>
          <TextField label="Name" required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} hint="Where it is used, e.g. ci-deploy." />
          <FormError error={error} />
          <FormActions busy={busy} submitLabel="Create key" onCancel={close} />
        </form>
      )}
    </Modal>
  );
}
