/**
 * Authentication: how people and tools sign in (the methods), the OIDC identity providers (add,
 * edit, enable or disable, remove), and SCIM provisioning of the provider chosen in the list
 * (kept in the address as ?scim=<name>, so the setup is a link).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, listFetcher } from '../../api/client.js';
import type { IdpRecord } from '../../api/types.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { PageHeader } from '../../components/PageHeader.js';
import { Section } from '../../components/Section.js';
import { IdpDialog } from './IdpDialog.js';
import { MethodsTable } from './MethodsTable.js';
import { IDPS_QUERY, idpQuery, useRefreshProviders } from './queries.js';
import { ScimPanel } from './ScimPanel.js';

type Dialog = { readonly idp?: IdpRecord };

export default function AuthenticationPage() {
  const [dialog, setDialog] = useState<Dialog>();
  const [actionError, setActionError] = useState<unknown>();
  const [search, setSearch] = useSearchParams();
  const scimName = search.get('scim');
  const scimRef = useRef<HTMLDivElement>(null);
  const scimIdp = useQuery({
    queryKey: idpQuery(scimName ?? ''),
    queryFn: () => api.get<IdpRecord>(`/admin/idps/${encodeURIComponent(scimName!)}`),
    enabled: scimName !== null,
  });

  const refresh = useRefreshProviders();

  const chooseScim = (name: string | null) =>
    setSearch((current) => {
      const next = new URLSearchParams(current);
      if (name) next.set('scim', name);
      else next.delete('scim');
      return next;
    });

  useEffect(() => {
    if (scimName) scimRef.current?.scrollIntoView({ block: 'start' });
  }, [scimName]);

  const setEnabled = async (idp: IdpRecord, enabled: boolean) => {
    await api.patch(`/admin/idps/${encodeURIComponent(idp.name)}`, { enabled });
    await refresh();
  };

  async function enable(idp: IdpRecord) {
    setActionError(undefined);
    try {
      await setEnabled(idp, true);
    } catch (failure) {
      // Row buttons have no room for a message (a second enabled provider with the same issuer is refused): say it above the list.
      setActionError(failure);
    }
  }

  async function remove(idp: IdpRecord) {
    await api.delete(`/admin/idps/${encodeURIComponent(idp.name)}`);
    if (scimName === idp.name) chooseScim(null);
    await refresh();
  }

  const columns: Column<IdpRecord>[] = [
    {
      header: 'Name',
      sort: 'name',
      render: (idp) => (
        <>
          {idp.display_name}
          {idp.display_name !== idp.name ? <span className="muted mono cell-note">{idp.name}</span> : null}
        </>
      ),
      csv: (idp) => idp.name,
    },
    { header: 'Issuer', sort: 'issuer', render: (idp) => <span className="mono">{idp.issuer}</span>, csv: (idp) => idp.issuer },
    { header: 'Status', render: (idp) => <span className={`badge badge-${idp.enabled ? 'enabled' : 'disabled'}`}>{idp.enabled ? 'enabled' : 'disabled'}</span>, csv: (idp) => (idp.enabled ? 'enabled' : 'disabled') },
    { header: 'SCIM', render: (idp) => <span className={`badge${idp.scim_enabled ? ' badge-enabled' : ''}`}>{idp.scim_enabled ? 'on' : 'off'}</span>, csv: (idp) => (idp.scim_enabled ? 'on' : 'off') },
    {
      header: 'Actions',
      align: 'right',
      render: (idp) => (
        <div className="row-actions">
          <button type="button" className="button button-small" aria-label={`Edit ${idp.display_name}`} onClick={() => setDialog({ idp })}>
            Edit
          </button>
          <button type="button" className="button button-small" aria-label={`SCIM setup of ${idp.display_name}`} aria-pressed={scimName === idp.name} onClick={() => chooseScim(idp.name)}>
            SCIM
          </button>
          {idp.enabled ? (
            <ConfirmButton label="Disable" title={`Disable ${idp.display_name}?`} confirmLabel="Disable provider" onConfirm={() => setEnabled(idp, false)}>
              <p>Its sign-in button goes away and its JWTs are refused at once. You can enable it again later.</p>
            </ConfirmButton>
          ) : (
            <button type="button" className="button button-small" aria-label={`Enable ${idp.display_name}`} onClick={() => void enable(idp)}>
              Enable
            </button>
          )}
          <ConfirmButton label="Remove" title={`Remove ${idp.display_name}?`} confirmLabel="Remove provider" onConfirm={() => remove(idp)}>
            <p>
              Nobody can sign in through it any more, its JWTs are refused, and its SCIM tokens and groups are deleted. Users keep their accounts, keys and spend
              history. This cannot be undone.
            </p>
          </ConfirmButton>
        </div>
      ),
    },
  ];

  const addButton = (
    <button type="button" className="button button-primary" onClick={() => setDialog({})}>
      Add provider
    </button>
  );

  return (
    <>
      <PageHeader title="Authentication" description="How people and tools sign in to this gateway, the identity providers for single sign-on, and SCIM provisioning." actions={addButton} />
      {dialog ? <IdpDialog idp={dialog.idp} onClose={() => setDialog(undefined)} onSaved={() => void refresh()} /> : null}

      <Section id="methods" title="Sign-in methods">
        <MethodsTable />
      </Section>

      <Section
        id="idps"
        title="Identity providers"
        description="OpenID Connect single sign-on: people sign in with their company account (authorization code, device code and implicit flows), and the providers’ JWTs are checked against their published keys. Several can be active at once."
      >
        {actionError ? <ErrorMessage error={actionError} title="Could not change the provider" /> : null}
        <DataTable<IdpRecord>
          label="Identity providers"
          queryKey={IDPS_QUERY}
          fetchPage={listFetcher<IdpRecord>('/admin/idps')}
          columns={columns}
          rowKey={(idp) => idp.id}
          defaultSort={{ sort: 'name', order: 'asc' }}
          searchLabel="Search providers"
          empty={
            <EmptyState title="No identity providers yet." action={addButton}>
              Add an OIDC provider to enable single sign-on: people then sign in with their company account, here and from Claude Code.
            </EmptyState>
          }
        />
      </Section>

      <div ref={scimRef}>
        <Section
          id="scim"
          title="SCIM provisioning"
          description="SCIM 2.0 lets a provider manage the user lifecycle: it pushes creates, updates and deactivations, and a deactivation there blocks access here at once. Set up per provider."
        >
          {scimName === null ? (
            <p className="muted">Choose SCIM on a provider above to set it up.</p>
          ) : scimIdp.isPending ? (
            <Loading />
          ) : scimIdp.isError ? (
            <ErrorMessage error={scimIdp.error} title={`Could not load ${scimName}`} />
          ) : (
            <ScimPanel key={scimIdp.data.name} idp={scimIdp.data} />
          )}
        </Section>
      </div>
    </>
  );
}
