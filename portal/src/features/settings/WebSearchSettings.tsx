/**
 * The Settings page's web search section: the mode (disabled / per user / global) and the global
 * provider, saved with PUT /admin/web-search. Tests run on the Web search page.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { FormError } from '../../components/Form.js';
import { Loading } from '../../components/Loading.js';
import { useAction } from '../../lib/use-action.js';
import { ProviderEditor } from '../web-search/ProviderEditor.js';
import { useWebSearch, WEB_SEARCH_PREFIX } from '../web-search/queries.js';
import { WEB_SEARCH_MODES, type WebSearchMode, type WebSearchState, type WebSearchUpdate } from '../web-search/types.js';
import { MODE_EXPLANATION, MODE_LABEL } from '../web-search/web-search-logic.js';

function ModeForm({ state, save }: { state: WebSearchState; save: (change: WebSearchUpdate) => Promise<void> }) {
  // Undefined until changed, so the choice follows the saved mode (also one set on another replica).
  const [choice, setChoice] = useState<WebSearchMode>();
  const [done, setDone] = useState<string>();
  const { busy, error, run } = useAction();
  const mode = choice ?? state.mode;

  function submit(event: FormEvent) {
    event.preventDefault();
    setDone(undefined);
    void run(async () => {
      await save({ mode });
      setChoice(undefined);
      setDone(`Saved: web search is ${MODE_LABEL[mode].toLowerCase()}.`);
    });
  }

  return (
    <form onSubmit={submit}>
      <fieldset className="policy-options">
        <legend>Mode</legend>
        {WEB_SEARCH_MODES.map((option) => (
          <label key={option} className="policy-option">
            <input type="radio" name="web-search-mode" value={option} checked={mode === option} onChange={() => setChoice(option)} />
            <span>
              <strong>{MODE_LABEL[option]}</strong>: {MODE_EXPLANATION[option]}
              {option === 'per_user' && state.users_configured > 0 ? ` ${state.users_configured} ${state.users_configured === 1 ? 'user has' : 'users have'} one set.` : ''}
            </span>
          </label>
        ))}
      </fieldset>
      {mode === 'global' && !state.provider ? <p className="notice notice-warn">Global mode needs the global provider below: save one first.</p> : null}
      <FormError error={error} />
      {done ? (
        <p className="notice notice-ok" role="status">
          {done}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy || mode === state.mode}>
          {busy ? 'Saving…' : 'Save mode'}
        </button>
      </div>
    </form>
  );
}

export function WebSearchSettings() {
  const queryClient = useQueryClient();
  const webSearch = useWebSearch();
  if (webSearch.isPending) return <Loading />;
  if (webSearch.isError) return <ErrorMessage error={webSearch.error} title="Could not load the web search settings" />;
  const state = webSearch.data;
  const save = async (change: WebSearchUpdate) => {
    await api.put('/admin/web-search', change);
    await queryClient.invalidateQueries({ queryKey: WEB_SEARCH_PREFIX });
  };
  return (
    <>
      <ModeForm state={state} save={save} />
      <h3 className="subheading">Global provider</h3>
      <p className="field-hint">
        Used in global mode. Check it with a real search on the <Link to="/web-search">Web search</Link> page, which also explains what the gateway does.
      </p>
      <ProviderEditor
        label="Global provider"
        saved={state.provider}
        options={state.providers}
        onSave={(provider) => save({ provider })}
        remove={{
          label: 'Remove the global provider',
          explanation:
            state.mode === 'global' ? 'The provider and its API key are deleted. In global mode, web searches on Bedrock are then refused until you set another.' : 'The provider and its API key are deleted.',
          run: () => save({ provider: null }),
        }}
      />
    </>
  );
}
