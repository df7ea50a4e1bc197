/**
 * Web search (spec §10): what the gateway does for Claude Code's web searches on Bedrock, the
 * current mode and provider, a test search, and in per-user mode the caller's own provider.
 * Everyone sees the page; only admins read the gateway's settings (GET /admin/web-search) and
 * change them, on the Settings page.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { KeyValueList, type KeyValueItem } from '../../components/KeyValueList.js';
import { Loading } from '../../components/Loading.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { formatInteger, formatUsd } from '../../lib/format.js';
import { HowItWorks } from './HowItWorks.js';
import { ProviderEditor } from './ProviderEditor.js';
import { useMyWebSearch, useWebSearch, WEB_SEARCH_PREFIX } from './queries.js';
import { TestSearch } from './TestSearch.js';
import type { MyWebSearch, ProviderInput, WebSearchState } from './types.js';
import { KNOWN_PROVIDERS, MODE_EXPLANATION, MODE_LABEL, providerSummary, testPath } from './web-search-logic.js';

function setupItems(mine: MyWebSearch, gateway: WebSearchState | undefined): KeyValueItem[] {
  const items: KeyValueItem[] = [{ label: 'Mode', value: <><strong>{MODE_LABEL[mine.mode]}</strong>. {MODE_EXPLANATION[mine.mode]}</> }];
  if (mine.mode === 'per_user') {
    items.push({ label: 'Your provider', value: mine.provider ? providerSummary(mine.provider) : 'None yet: set yours below.' });
    if (gateway) items.push({ label: 'Users with a provider', value: formatInteger(gateway.users_configured) });
  } else if (gateway) {
    items.push({ label: 'Global provider', value: gateway.provider ? providerSummary(gateway.provider, gateway.providers) : 'None' });
  } else if (mine.mode === 'global') {
    items.push({ label: 'Provider', value: 'The one an admin set for everyone.' });
  }
  if (gateway) items.push({ label: 'Price per search', value: `${formatUsd(gateway.price_per_search_usd)} (${formatUsd(gateway.price_per_search_usd * 1000)} per 1,000)` });
  return items;
}

function MyProvider({ mine }: { mine: MyWebSearch }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: WEB_SEARCH_PREFIX });
  return (
    <Section
      id="web-search-mine"
      title="Your provider"
      description="In per-user mode your web searches use your own provider and API key. The key is stored encrypted and never shown again."
    >
      {mine.provider ? null : <p className="notice">You have no provider yet, so your web searches on Bedrock are refused. Choose one and save it to start.</p>}
      <ProviderEditor
        label="Your provider"
        saved={mine.provider}
        options={KNOWN_PROVIDERS}
        onSave={async (input: ProviderInput) => {
          await api.put<MyWebSearch>('/admin/me/web-search', input);
          await refresh();
        }}
        remove={{
          label: 'Remove my provider',
          explanation: 'Your provider and its API key are deleted. Until you set another, your web searches on Bedrock are refused.',
          run: async () => {
            await api.delete('/admin/me/web-search');
            await refresh();
          },
        }}
      />
    </Section>
  );
}

function TestSection({ mine, gateway, isAdmin }: { mine: MyWebSearch; gateway: WebSearchState | undefined; isAdmin: boolean }) {
  const path = testPath(mine.mode, isAdmin, Boolean(gateway?.provider));
  let body;
  if (path) {
    body = (
      <TestSearch
        path={path}
        description={mine.mode === 'per_user' ? 'Searches with your saved provider.' : `Searches with the saved global provider${mine.mode === 'disabled' ? ', even though web search is disabled' : ''}.`}
      />
    );
  } else if (isAdmin) {
    body = (
      <p className="muted">
        No global provider is saved. Set one on the <Link to="/settings">Settings</Link> page, then test it here.
      </p>
    );
  } else {
    body = <p className="muted">{mine.mode === 'disabled' ? 'Web search is disabled on this gateway; an admin can turn it on.' : 'An admin sets and tests the provider everyone uses.'}</p>;
  }
  return (
    <Section id="web-search-test" title="Test a search">
      {body}
    </Section>
  );
}

export default function WebSearchPage() {
  const { isAdmin } = useSession();
  const mine = useMyWebSearch();
  const gateway = useWebSearch(isAdmin);
  const failed = mine.error ?? gateway.error;
  const ready = mine.data && (!isAdmin || gateway.data);
  return (
    <>
      <PageHeader title="Web search" description="Claude Code’s web searches, also when requests go to Amazon Bedrock." />
      <HowItWorks />
      {failed ? <ErrorMessage error={failed} title="Could not load the web search settings" /> : null}
      {!ready && !failed ? <Loading /> : null}
      {ready && mine.data ? (
        <>
          <Section
            id="web-search-setup"
            title="Current setup"
            actions={
              isAdmin ? (
                <Link className="button button-small" to="/settings">
                  Change in Settings
                </Link>
              ) : null
            }
          >
            <KeyValueList items={setupItems(mine.data, gateway.data)} />
          </Section>
          {mine.data.mode === 'per_user' ? <MyProvider mine={mine.data} /> : null}
          <TestSection mine={mine.data} gateway={gateway.data} isAdmin={isAdmin} />
        </>
      ) : null}
    </>
  );
}
