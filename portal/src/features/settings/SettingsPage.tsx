/**
 * Settings: the runtime settings an admin changes without a restart (GET/PATCH /admin/settings).
 * Each shows its value, its start-up default and where the value comes from; every replica picks
 * a change up within seconds. The web search mode and global provider have a section of their own.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { SettingsRecord, UpdateSettingsInput } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { FormError, TextField } from '../../components/Form.js';
import { KeyValueList } from '../../components/KeyValueList.js';
import { Loading } from '../../components/Loading.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { useAction } from '../../lib/use-action.js';
import { WebSearchSettings } from './WebSearchSettings.js';
import { hoursText, sourceText, TTL_MAX_HOURS, TTL_MIN_HOURS, ttlProblem } from './settings-text.js';

const SETTINGS_QUERY = ['admin', 'settings'] as const;

function SessionTtl({ state, save }: { state: SettingsRecord['session_ttl_hours']; save: (change: UpdateSettingsInput) => Promise<void> }) {
  // Undefined until edited, so the field follows the saved value (also one set on another replica).
  const [draft, setDraft] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const { busy, error, run } = useAction();
  const [done, setDone] = useState<string>();
  const value = draft ?? String(state.value);

  function apply(change: UpdateSettingsInput, message: string) {
    setDone(undefined);
    return run(async () => {
      await save(change);
      setDraft(undefined);
      setDone(message);
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = ttlProblem(value);
    setProblem(found);
    if (!found) void apply({ session_ttl_hours: Number(value) }, 'Saved. New sign-ins get this lifetime.');
  }

  return (
    <>
      <KeyValueList
        items={[
          { label: 'Current', value: hoursText(state.value) },
          { label: 'Default', value: `${hoursText(state.default)}, from CCAG_SESSION_TTL_HOURS` },
          { label: 'Source', value: sourceText(state) },
        ]}
      />
      <form className="inline-form config-inline-form" onSubmit={submit}>
        <TextField
          label="Session token TTL (hours)"
          type="number"
          required
          min={TTL_MIN_HOURS}
          max={TTL_MAX_HOURS}
          step={1}
          value={value}
          error={problem}
          onChange={(event) => {
            setDraft(event.target.value);
            setDone(undefined);
          }}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        {state.source === 'database' ? (
          <button type="button" className="button" disabled={busy} onClick={() => void apply({ session_ttl_hours: null }, 'Back to the default for new sign-ins.')}>
            Reset to default: {hoursText(state.default)}
          </button>
        ) : null}
      </form>
      <p className="field-hint">Changing it affects only new sign-ins; sessions already signed in keep the expiry they got.</p>
      {done ? (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      ) : null}
      <FormError error={error} />
    </>
  );
}

export default function SettingsPage() {
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: SETTINGS_QUERY, queryFn: () => api.get<SettingsRecord>('/admin/settings') });
  const save = async (change: UpdateSettingsInput) => {
    queryClient.setQueryData(SETTINGS_QUERY, await api.patch<SettingsRecord>('/admin/settings', change));
  };

  return (
    <>
      <PageHeader title="Settings" description="Gateway settings that change without a restart. Every replica applies a change within a few seconds." />
      <Section id="settings-sessions" title="Sessions" description="How long a session lasts after signing in to the portal or with ccag login. Claude Code’s /login tokens have lifetimes of their own.">
        {settings.isPending ? <Loading /> : settings.isError ? <ErrorMessage error={settings.error} /> : <SessionTtl state={settings.data.session_ttl_hours} save={save} />}
      </Section>
      <Section
        id="settings-web-search"
        title="Web search"
        description="How Claude Code’s web searches run when requests go to Amazon Bedrock, which has no search tool of its own. Requests to the Anthropic API search natively."
      >
        <WebSearchSettings />
      </Section>
    </>
  );
}
