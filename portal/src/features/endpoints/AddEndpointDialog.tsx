/**
 * Adding an endpoint: the Anthropic API (key, base URL) or an Amazon Bedrock runtime (region,
 * routing prefix, credentials from the default chain, static keys or an assumed role). Secrets
 * are write-only: the gateway stores them encrypted and never shows them again.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { EndpointRecord } from '../../api/types.js';
import { CheckboxField, FormActions, FormError, SelectField, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { useAction } from '../../lib/use-action.js';
import { BedrockFields } from './BedrockFields.js';
import { EMPTY_ENDPOINT_FORM, endpointBody, endpointFormErrors, type EndpointForm, type EndpointFormErrors } from './endpoint-form.js';

export function AddEndpointDialog({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: (endpoint: EndpointRecord) => void }) {
  const [form, setForm] = useState<EndpointForm>(EMPTY_ENDPOINT_FORM);
  const [errors, setErrors] = useState<EndpointFormErrors>({});
  const { busy, error, setError, run } = useAction();
  const update = (change: Partial<EndpointForm>) => setForm((current) => ({ ...current, ...change }));

  function close() {
    setForm(EMPTY_ENDPOINT_FORM);
    setErrors({});
    setError(undefined);
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = endpointFormErrors(form);
    setErrors(found);
    setError(undefined);
    if (Object.keys(found).length > 0) return;
    void run(async () => {
      const endpoint = await api.post<EndpointRecord>('/admin/endpoints', endpointBody(form));
      onAdded(endpoint);
      close();
    });
  }

  return (
    <Modal open={open} title="Add an endpoint" onClose={close}>
      <form onSubmit={submit}>
        <SelectField label="Upstream" value={form.kind} onChange={(event) => update({ kind: event.target.value as EndpointForm['kind'] })}>
          <option value="bedrock">Amazon Bedrock</option>
          <option value="anthropic">Anthropic API</option>
        </SelectField>
        <TextField label="Name" required maxLength={100} value={form.name} error={errors.name} onChange={(event) => update({ name: event.target.value })} hint="How logs, metrics and this page refer to it, e.g. bedrock-us-east-1." />
        {form.kind === 'anthropic' ? (
          <>
            <TextField
              label="API key"
              type="password"
              autoComplete="off"
              required
              value={form.apiKey}
              error={errors.apiKey}
              onChange={(event) => update({ apiKey: event.target.value })}
              hint="Stored encrypted; it cannot be shown again."
            />
            <TextField label="Base URL" type="url" placeholder="https://api.anthropic.com" value={form.baseUrl} error={errors.baseUrl} onChange={(event) => update({ baseUrl: event.target.value })} hint="Optional: only for a proxy in front of the Anthropic API." />
          </>
        ) : (
          <BedrockFields form={form} errors={errors} update={update} />
        )}
        <div className="form-row">
          <TextField label="Priority" type="number" min={0} max={1_000_000} step={1} required value={form.priority} error={errors.priority} onChange={(event) => update({ priority: event.target.value })} hint="Lower goes first when a strategy falls back in order." />
        </div>
        <CheckboxField label="Make this the default endpoint" checked={form.isDefault} onChange={(event) => update({ isDefault: event.target.checked })} hint="The default serves all traffic today. The first endpoint added becomes the default anyway." />
        <FormError error={error} />
        <FormActions busy={busy} submitLabel="Add endpoint" onCancel={close} />
      </form>
    </Modal>
  );
}
