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
import { SecretOnce } from '../../components/SecretOnce.js';
import { formatDateTime } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { tokenStatus } from './scim-commands.js';
import { TableScroll } from '../../components/TableScroll.js';

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
        <TableScroll label={`SCIM tokens of ${displayName}`}>
          <table aria-label={`SCIM tokens of ${displayName}`}>
            <thead>
              <tr>
                <th scope="col">Prefix</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Actions
                </th>
              </tr>
            </thead>
            <tbody>
              {status.tokens.map((token) => (
                <tr key={token.id}>
                  <td className="mono">{token.prefix}…</td>
                  <td>{formatDateTime(token.created_at)}</td>
                  <td>{token.last_used_at ? formatDateTime(token.last_used_at) : <span className="muted">Never</span>}</td>
                  <td>
                    <span className={`badge badge-${tokenStatus(token)}`}>{tokenStatus(token)}</span>
                  </td>
                  <td className="num">
                    {token.revoked_at ? null : (
                      <div className="row-actions">
                        <ConfirmButton label="Revoke" title="Revoke this SCIM token?" confirmLabel="Revoke token" onConfirm={() => revoke(token.id)}>
                          <p>
                            <span className="mono">{token.prefix}…</span> stops working at once: {displayName}’s provisioning requests with it get 401 until
                            it has a new token. This cannot be undone.
                          </p>
                        </ConfirmButton>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
