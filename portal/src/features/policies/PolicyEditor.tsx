/**
 * Creating or editing a policy: whom it matches, the models it allows, the default model, and the
 * Claude Code managed-settings document as JSON. A save that succeeds with warnings (unknown
 * settings keys) stays open to show them; the API refuses wrong types with a message naming them.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import { CheckboxField, FormActions, FormError, TextField } from '../../components/Form.js';
import { Modal } from '../../components/Modal.js';
import { useTeams } from '../../components/TeamSelect.js';
import { useAction } from '../../lib/use-action.js';
import { bodyOf, EMPTY_FORM, formOf, type PolicyForm } from './policy-form.js';
import type { PolicyRecord } from './types.js';

export function PolicyEditor({ policy, open, onClose, onSaved }: { policy?: PolicyRecord; open: boolean; onClose: () => void; onSaved: () => void }) {
  const [form, setForm] = useState<PolicyForm>(policy ? formOf(policy) : EMPTY_FORM);
  const [warnings, setWarnings] = useState<string[]>();
  const { busy, error, setError, run } = useAction();
  const teams = useTeams(open);
  const set = (change: Partial<PolicyForm>) => setForm((current) => ({ ...current, ...change }));

  function close() {
    setWarnings(undefined);
    setError(undefined);
    onClose();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const built = bodyOf(form);
    if ('problem' in built) {
      setError(new Error(built.problem));
      return;
    }
    void run(async () => {
      const saved = policy
        ? await api.patch<PolicyRecord>(`/admin/policies/${encodeURIComponent(policy.id)}`, built.body)
        : await api.post<PolicyRecord>('/admin/policies', built.body);
      onSaved();
      if (saved.warnings && saved.warnings.length > 0) setWarnings(saved.warnings);
      else close();
    });
  }

  const toggleTeam = (id: string, on: boolean) => set({ teamIds: on ? [...form.teamIds, id] : form.teamIds.filter((teamId) => teamId !== id) });

  return (
    <Modal open={open} wide title={policy ? `Edit policy ${policy.name}` : 'New policy'} onClose={close}>
      {warnings ? (
        <div>
          <div className="notice notice-warn" role="status">
            <p>Saved. Claude Code does not know some keys of this document; they are delivered as written:</p>
            <ul>
              {warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          </div>
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={close}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit}>
          <TextField label="Name" required maxLength={100} value={form.name} onChange={(event) => set({ name: event.target.value })} />
          <fieldset className="field">
            <legend>Applies to</legend>
            <CheckboxField label="Everyone (a base policy)" checked={form.everyone} onChange={(event) => set({ everyone: event.target.checked })} />
            {(teams.data?.data ?? []).map((team) => (
              <CheckboxField key={team.id} label={`Team ${team.name}`} checked={form.teamIds.includes(team.id)} onChange={(event) => toggleTeam(team.id, event.target.checked)} />
            ))}
          </fieldset>
          <TextField label="IdP groups" value={form.groups} onChange={(event) => set({ groups: event.target.value })} hint="SCIM group names, comma-separated (case does not matter)." />
          <TextField label="Email domains" value={form.domains} onChange={(event) => set({ domains: event.target.value })} hint="For example example.com, comma-separated; exact domains only." />
          <TextField
            label="Allowed models"
            value={form.models}
            onChange={(event) => set({ models: event.target.value })}
            hint="Patterns, comma-separated; * matches anything (claude-sonnet-4*). Matches Bedrock ids too. Empty: any model."
          />
          <TextField label="Default model" value={form.defaultModel} onChange={(event) => set({ defaultModel: event.target.value })} hint='Delivered as the managed setting "model" unless the document sets one.' />
          <div className="field">
            <label htmlFor="policy-settings">Managed settings (managed-settings.json)</label>
            <textarea id="policy-settings" rows={12} spellCheck={false} value={form.settings} onChange={(event) => set({ settings: event.target.value })} aria-describedby="policy-settings-hint" />
            <p className="field-hint" id="policy-settings-hint">
              Claude Code settings such as <code>env</code>, <code>permissions</code>, <code>availableModels</code>. Wrong types are refused; unknown keys are saved with a warning.
            </p>
          </div>
          <FormError error={error} />
          <FormActions busy={busy} submitLabel={policy ? 'Save policy' : 'Create policy'} onCancel={close} />
        </form>
      )}
    </Modal>
  );
}
