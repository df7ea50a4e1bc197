/**
 * A provider's SCIM bearer tokens: listed by prefix (revoked ones too), a new one shown once with
 * the base URL to paste beside it, revocation after a confirmation.
 */
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { CreatedScimToken, ScimStatusRecord } from '../../api/types.js';
import { CodeBlock } from '../../components/CodeBlock.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormError } from '../../components/Form.js';
import { revokeColumn } from '../../components/revoke-column.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import { formatDateTime } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { tokenStatus } from './scim-commands.js';

type ScimToken = ScimStatusRecord['tokens'][number];

export function ScimTokens({ idpName, displayName, status, onChanged }: { idpName: string; displayName: string; status: ScimStatusRecord; onChanged: () => Promise<unknown> }) {
  const [created, setCreated] = useState<CreatedScimToken>();
  const { busy, error, run } = useAction();
  const base = `/admin/idps/${encodeURIComponent(idpName)}/scim/tokens`;

  const create = () =>
    run(async () => {
      setCreated(await api.post<CreatedScimToken>(base));
      await onChanged();
    });

  async function revoke(id: string) {
    await api.delete(`${base}/${encodeURIComponent(id)}`);
    if (created?.id === id) setCreated(undefined);
    await onChanged();
  }

  const columns: SimpleColumn<ScimToken>[] = [
    { header: 'Prefix', mono: true, render: (token) => <>{token.prefix}…</> },
    { header: 'Created', render: (token) => formatDateTime(token.created_at) },
    { header: 'Last used', render: (token) => (token.last_used_at ? formatDateTime(token.last_used_at) : <span className="muted">Never</span>) },
    { header: 'Status', render: (token) => <span className={`badge badge-${tokenStatus(token)}`}>{tokenStatus(token)}</span> },
    revokeColumn(
      (token) => Boolean(token.revoked_at),
      (token) => (
        <ConfirmButton label="Revoke" title="Revoke this SCIM token?" confirmLabel="Revoke token" onConfirm={() => revoke(token.id)}>
          <p>
            <span className="mono">{token.prefix}…</span> stops working at once: {displayName}’s provisioning requests with it get 401 until it has a new token. This
            cannot be undone.
          </p>
        </ConfirmButton>
      ),
    ),
  ];

  return (
    <>
      <div className="card-subheader">
        <h3 className="subheading">Tokens</h3>
        <button type="button" className="button button-small" disabled={busy} onClick={() => void create()}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
      <FormError error={error} />
      {created ? (
        <SecretOnce secret={created.token} label="SCIM token">
          <p>Paste it into {displayName}’s provisioning settings as the bearer token, with this base URL:</p>
          <CodeBlock code={created.base_url} label="SCIM base URL" />
        </SecretOnce>
      ) : null}
      {status.tokens.length === 0 ? (
        <EmptyState title="No SCIM tokens yet.">Create one and give it to {displayName} with the base URL above.</EmptyState>
      ) : (
        <SimpleTable label={`SCIM tokens of ${displayName}`} columns={columns} rows={status.tokens} rowKey={(token) => token.id} />
      )}
    </>
  );
}
