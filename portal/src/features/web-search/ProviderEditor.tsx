/**
 * A search provider's form — type, base URL where it matters, API key (empty: re-enter to change)
 * and max results — for the global provider (Settings) and a user's own (Web search page).
 */
import { useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CheckboxField, FormError, SelectField, TextField } from '../../components/Form.js';
import { useAction } from '../../lib/use-action.js';
import { keepsKey, MAX_RESULTS_LIMIT, optionOf, providerFormOf, providerInput, providerProblems, type ProviderForm, type ProviderFormErrors } from './web-search-logic.js';
import type { ProviderInput, ProviderOption, ProviderType, SearchProvider } from './types.js';

export interface ProviderEditorProps {
  /** Names the form's fields apart when a page shows more than one ("Global provider"). */
  readonly label: string;
  readonly saved: SearchProvider | null;
  readonly options: readonly ProviderOption[];
  readonly onSave: (input: ProviderInput) => Promise<unknown>;
  /** Offered when a provider is saved; the confirmation says what removing it does. */
  readonly remove?: { readonly label: string; readonly explanation: string; readonly run: () => Promise<unknown> };
}

export function ProviderEditor({ label, saved, options, onSave, remove }: ProviderEditorProps) {
  const [form, setForm] = useState<ProviderForm>(() => providerFormOf(saved, options));
  const [errors, setErrors] = useState<ProviderFormErrors>({});
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();
  const option = optionOf(form.type, options);
  const keep = keepsKey(form, saved);
  const update = (change: Partial<ProviderForm>) => {
    setForm((current) => ({ ...current, ...change }));
    setDone(undefined);
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = providerProblems(form, option, keep);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void run(async () => {
      await onSave(providerInput(form));
      setForm((current) => ({ ...current, apiKey: '', removeKey: false }));
      setDone('Saved.');
    });
  }

  const keyHint = keep
    ? 'Stored encrypted and never shown: leave blank to keep it, or re-enter it to change it.'
    : option.needs_key
      ? 'Stored encrypted; it cannot be shown again.'
      : 'Optional for this provider. Stored encrypted.';

  return (
    <form className="stacked-form" onSubmit={submit} noValidate aria-label={label}>
      <SelectField label="Provider" value={form.type} onChange={(event) => update({ type: event.target.value as ProviderType, apiKey: '', removeKey: false })}>
        {options.map((choice) => (
          <option key={choice.type} value={choice.type}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Base URL"
        type="url"
        required={option.default_base_url === null}
        placeholder={option.default_base_url ?? (form.type === 'custom' ? 'https://search.example.com/search' : 'https://searxng.example.com')}
        value={form.baseUrl}
        error={errors.baseUrl}
        onChange={(event) => update({ baseUrl: event.target.value })}
        hint={
          option.default_base_url === null
            ? form.type === 'custom'
              ? 'The gateway POSTs {query, max_results, allowed_domains, blocked_domains} here and reads {results: [{title, url, snippet, page_age}]}.'
              : 'Your instance, with the JSON format enabled.'
            : 'Optional: leave blank for the provider’s own API, or point to a proxy.'
        }
      />
      <TextField
        label="API key"
        type="password"
        autoComplete="off"
        required={option.needs_key && !keep}
        placeholder={keep ? 'leave blank to keep' : undefined}
        value={form.apiKey}
        error={errors.apiKey}
        onChange={(event) => update({ apiKey: event.target.value, removeKey: false })}
        hint={keyHint}
      />
      {keep && !option.needs_key ? (
        <CheckboxField label="Remove the stored key" checked={form.removeKey} onChange={(event) => update({ removeKey: event.target.checked, apiKey: '' })} />
      ) : null}
      <TextField
        label="Max results"
        type="number"
        min={1}
        max={MAX_RESULTS_LIMIT}
        step={1}
        required
        value={form.maxResults}
        error={errors.maxResults}
        onChange={(event) => update({ maxResults: event.target.value })}
        hint="Results per search handed to Claude. More results mean more input tokens."
      />
      <FormError error={error} />
      {done ? (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      ) : null}
      <div className="form-actions">
        {saved && remove ? (
          <ConfirmButton label={remove.label} small={false} title={`${remove.label}?`} confirmLabel={remove.label} onConfirm={remove.run}>
            <p>{remove.explanation}</p>
          </ConfirmButton>
        ) : null}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save provider'}
        </button>
      </div>
    </form>
  );
}
