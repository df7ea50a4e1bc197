/**
 * Editing an endpoint (PATCH /admin/endpoints/:id): name, priority, where requests go, the
 * credentials (blank fields keep the stored secrets) and, for Bedrock, the application inference
 * profile to call for each model. The kind is fixed once created.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import { FormActions, FormError, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { useAction } from '../../lib/use-action.js';
import { BedrockFields } from './BedrockFields.js';
import type { EndpointRecord } from '../../api/types.js';
import { editFormErrors, editFormOf, endpointPatchBody, type EditForm, type EditFormErrors, type ProfileRow } from './endpoint-edit.js';

const KEEP = 'Leave blank to keep the stored one.';

function ProfileRows({ rows, error, onChange }: { rows: ProfileRow[]; error: string | undefined; onChange: (rows: ProfileRow[]) => void }) {
  const set = (index: number, change: Partial<ProfileRow>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="form-section">
      <legend>Inference profiles per model</legend>
      <p className="field-hint">Optional: an application inference profile ARN makes Bedrock bill and tag this model’s requests to that profile.</p>
      {rows.map((row, index) => (
        <div className="mapping-row" key={index}>
          <TextField label={`Model ${index + 1}`} placeholder="claude-sonnet-4-5" value={row.model} onChange={(event) => set(index, { model: event.target.value })} />
          <TextField label={`Profile ARN ${index + 1}`} placeholder="arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/…" value={row.arn} onChange={(event) => set(index, { arn: event.target.value })} />
          <div className="mapping-actions">
            <button type="button" className="button button-small" aria-label={`Remove inference profile ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              Remove
            </button>
          </div>
        </div>
      ))}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      <div className="mapping-actions">
        <button type="button" className="button button-small" onClick={() => onChange([...rows, { model: '', arn: '' }])}>
          Add inference profile
        </button>
      </div>
    </fieldset>
  );
}

export function EditEndpointDialog({ endpoint, onClose, onSaved }: { endpoint: EndpointRecord; onClose: () => void; onSaved: () => void }) {
  const [form, setForm] = useState<EditForm>(() => editFormOf(endpoint));
  const [errors, setErrors] = useState<EditFormErrors>({});
  const { busy, error, setError, run } = useAction();
  const update = (change: Partial<EditForm>) => setForm((current) => ({ ...current, ...change }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = editFormErrors(form, endpoint);
    setErrors(found);
    setError(undefined);
    if (Object.keys(found).length > 0) return;
    void run(async () => {
      await api.patch(`/admin/endpoints/${encodeURIComponent(endpoint.id)}`, endpointPatchBody(form, endpoint));
      onSaved();
      onClose();
    });
  }

  return (
    <Modal open title={`Edit ${endpoint.name}`} onClose={onClose} wide>
      <form onSubmit={submit}>
        <TextField label="Name" required maxLength={100} value={form.name} error={errors.name} onChange={(event) => update({ name: event.target.value })} />
        {form.kind === 'anthropic' ? (
          <>
            <TextField label="API key" type="password" autoComplete="off" value={form.apiKey} error={errors.apiKey} onChange={(event) => update({ apiKey: event.target.value })} hint={KEEP} />
            <TextField label="Base URL" type="url" placeholder="https://api.anthropic.com" value={form.baseUrl} error={errors.baseUrl} onChange={(event) => update({ baseUrl: event.target.value })} />
          </>
        ) : (
          <>
            <BedrockFields form={form} errors={errors} update={update} keepSecrets={endpoint.has_credentials && form.auth === endpoint.config.auth} />
            <ProfileRows rows={form.profiles} error={errors.profiles} onChange={(profiles) => update({ profiles })} />
          </>
        )}
        <TextField label="Priority" type="number" min={0} max={1_000_000} step={1} required value={form.priority} error={errors.priority} onChange={(event) => update({ priority: event.target.value })} hint="Lower goes first when a strategy falls back in order." />
        <FormError error={error} />
        <FormActions busy={busy} submitLabel="Save changes" onCancel={onClose} />
      </form>
    </Modal>
  );
}
