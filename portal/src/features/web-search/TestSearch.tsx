/**
 * A real search through the gateway with a saved provider, to check the key and the URL before
 * anyone relies on them: the titles and URLs Claude Code would show, how long it took, or the
 * provider's error.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormError, TextField } from '../../components/Form.js';
import { formatDuration } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import type { SearchTestResult } from './types.js';

function Results({ result }: { result: SearchTestResult }) {
  if (!result.ok) {
    return (
      <p className="notice notice-error" role="status">
        The search failed after {formatDuration(result.duration_ms)}: {result.error ?? 'no reason given'}
      </p>
    );
  }
  return (
    <>
      <p className="notice notice-ok" role="status">
        {result.results.length} {result.results.length === 1 ? 'result' : 'results'} in {formatDuration(result.duration_ms)}.
      </p>
      {result.results.length === 0 ? (
        <EmptyState title="The provider found nothing.">Try a broader query; if every query comes back empty, check the provider’s settings.</EmptyState>
      ) : (
        <ol className="search-results" aria-label="Test search results">
          {result.results.map((item, index) => (
            <li key={`${index}-${item.url}`}>
              <a href={item.url} target="_blank" rel="noreferrer noopener">
                {item.title || item.url}
              </a>
              <span className="muted cell-note mono">{item.url}</span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

export function TestSearch({ path, description }: { path: string; description: string }) {
  const [query, setQuery] = useState('Claude Code release notes');
  const [result, setResult] = useState<SearchTestResult>();
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      setResult(undefined);
      setResult(await api.post<SearchTestResult>(path, { query: query.trim() }));
    });
  }

  return (
    <>
      <p className="card-description">{description}</p>
      <form className="inline-form config-inline-form" onSubmit={submit}>
        <TextField label="Search query" required value={query} onChange={(event) => setQuery(event.target.value)} />
        <button type="submit" className="button button-primary" disabled={busy || query.trim() === ''}>
          {busy ? 'Searching…' : 'Run test search'}
        </button>
      </form>
      <FormError error={error} />
      {result ? <Results result={result} /> : null}
    </>
  );
}
