/**
 * Keys: virtual keys (`sk-ccag-…`) for Claude Code and SDKs. Admins see and create everyone's;
 * members only their own (the server enforces it). A new key is shown once, with the way to
 * Connect; revoking asks first.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, listFetcher } from '../../api/client.js';
import type { KeyRecord } from '../../api/types.js';
import { useSession } from '../../app/session.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { revokeColumn } from '../../components/revoke-column.js';
import { formatDate } from '../../lib/format.js';
import { CreateKeyDialog } from './CreateKeyDialog.js';

const KEYS_QUERY = ['admin', 'keys'] as const;

export default function KeysPage() {
  const { isAdmin } = useSession();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [search, setSearch] = useSearchParams();
  const includeRevoked = search.get('revoked') === '1';

  const revoke = async (key: KeyRecord) => {
    await api.post(`/admin/keys/${encodeURIComponent(key.id)}/revoke`);
    await queryClient.invalidateQueries({ queryKey: KEYS_QUERY });
  };

  const columns: Column<KeyRecord>[] = [
    { header: 'Key Prefix', sort: 'prefix', render: (key) => <span className="mono">{key.prefix}…</span>, csv: (key) => key.prefix },
    { header: 'Name', sort: 'name', render: (key) => key.name ?? <span className="muted">—</span>, csv: (key) => key.name },
    { header: 'Team', sort: 'team_name', render: (key) => key.team_name ?? <span className="muted">—</span>, csv: (key) => key.team_name },
    { header: 'User', sort: 'user_email', render: (key) => key.user_email, csv: (key) => key.user_email },
    { header: 'Status', sort: 'status', render: (key) => <span className={`badge badge-${key.status}`}>{key.status}</span>, csv: (key) => key.status },
    { header: 'Created', sort: 'created_at', render: (key) => formatDate(key.created_at), csv: (key) => key.created_at },
    revokeColumn(
      (key) => key.status === 'revoked',
      (key) => (
        <ConfirmButton label="Revoke" accessibleLabel={`Revoke key ${key.prefix}`} title="Revoke this key?" confirmLabel="Revoke key" onConfirm={() => revoke(key)}>
          <p>
            <span className="mono">{key.prefix}…</span>
            {key.name ? ` (${key.name})` : ''} of {key.user_email} stops working at once, on every replica. Claude Code sessions using it get 401 and need
            a new key. This cannot be undone.
          </p>
        </ConfirmButton>
      ),
    ),
  ];

  return (
    <>
      <PageHeader
        title="Keys"
        description={
          isAdmin
            ? 'Virtual keys let Claude Code and SDKs use the gateway. Each belongs to a user, and optionally a team; the gateway stores only its hash.'
            : 'Your virtual keys for Claude Code and SDKs. The gateway stores only their hashes, so a lost key cannot be shown again: revoke it and create a new one.'
        }
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            Create key
          </button>
        }
      />
      <CreateKeyDialog open={creating} onClose={() => setCreating(false)} onCreated={() => void queryClient.invalidateQueries({ queryKey: KEYS_QUERY })} />
      <DataTable<KeyRecord>
        label="Keys"
        queryKey={[...KEYS_QUERY, includeRevoked]}
        fetchPage={listFetcher<KeyRecord>('/admin/keys', { include_revoked: includeRevoked ? 'true' : undefined })}
        columns={columns}
        rowKey={(key) => key.id}
        defaultSort={{ sort: 'created_at', order: 'desc' }}
        searchLabel={isAdmin ? 'Search prefix, name or user' : 'Search prefix or name'}
        toolbar={
          <label className="field-checkbox">
            <input
              type="checkbox"
              checked={includeRevoked}
              onChange={(event) =>
                setSearch((current) => {
                  const next = new URLSearchParams(current);
                  if (event.target.checked) next.set('revoked', '1');
                  else next.delete('revoked');
                  next.delete('page');
                  return next;
                })
              }
            />
            Show revoked
          </label>
        }
        empty={
          <EmptyState
            title="No keys yet."
            action={
              <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
                Create key
              </button>
            }
          >
            Create a virtual key to get started, then set Claude Code up with it on the <Link to="/connect">Connect</Link> page.
          </EmptyState>
        }
      />
    </>
  );
}
