/**
 * Admin API keys: long-lived bearers (`ccag-admin-…`) for automation. Each acts as the admin who
 * created it; revoking one is final and stops whatever uses it at once.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, listFetcher } from '../../api/client.js';
import type { AdminKeyRecord } from '../../api/types.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { PageHeader } from '../../components/PageHeader.js';
import { revokeColumn } from '../../components/revoke-column.js';
import { formatDate, formatDateTime } from '../../lib/format.js';
import { CreateAdminKeyDialog } from './CreateAdminKeyDialog.js';

const ADMIN_KEYS_QUERY = ['admin', 'api-keys'] as const;

export default function AdminKeysPage() {
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ADMIN_KEYS_QUERY });

  const revoke = async (key: AdminKeyRecord) => {
    await api.post(`/admin/api-keys/${encodeURIComponent(key.id)}/revoke`);
    await refresh();
  };

  const columns: Column<AdminKeyRecord>[] = [
    { header: 'Prefix', sort: 'prefix', render: (key) => <span className="mono">{key.prefix}…</span>, csv: (key) => key.prefix },
    { header: 'Name', sort: 'name', render: (key) => key.name, csv: (key) => key.name },
    { header: 'Owner', sort: 'owner_email', render: (key) => key.owner_email, csv: (key) => key.owner_email },
    {
      header: 'Status',
      sort: 'status',
      render: (key) => (
        <>
          <span className={`badge badge-${key.status}`}>{key.status}</span>
          <span className="muted cell-note">{key.last_used_at ? `Last used ${formatDateTime(key.last_used_at)}` : 'Never used'}</span>
        </>
      ),
      csv: (key) => key.status,
    },
    { header: 'Created', sort: 'created_at', render: (key) => formatDate(key.created_at), csv: (key) => key.created_at },
    revokeColumn(
      (key) => key.status === 'revoked',
      (key) => (
        <ConfirmButton label="Revoke" title="Revoke this admin API key?" confirmLabel="Revoke key" onConfirm={() => revoke(key)}>
          <p>
            <span className="mono">{key.prefix}…</span> ({key.name}) of {key.owner_email} stops working with the next request: any automation using it fails from
            then on. This cannot be undone; create a new key to replace it.
          </p>
        </ConfirmButton>
      ),
    ),
  ];

  const createButton = (
    <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
      Create key
    </button>
  );

  return (
    <>
      <PageHeader
        title="Admin API keys"
        description="Long-lived keys for automation such as CI jobs and scripts. A key acts as the admin who created it, only while that admin is active, and never expires; the gateway stores only its hash."
        actions={createButton}
      />
      <CreateAdminKeyDialog open={creating} onClose={() => setCreating(false)} onCreated={() => void refresh()} />
      <DataTable<AdminKeyRecord>
        label="Admin API keys"
        queryKey={ADMIN_KEYS_QUERY}
        fetchPage={listFetcher<AdminKeyRecord>('/admin/api-keys')}
        columns={columns}
        rowKey={(key) => key.id}
        defaultSort={{ sort: 'created_at', order: 'desc' }}
        searchLabel="Search name, prefix or owner"
        empty={
          <EmptyState title="No admin API keys yet." action={createButton}>
            An admin API key lets a script or CI job use the admin API (or the ccag CLI, as <code>$CCAG_TOKEN</code>) without a password sign-in. Create one
            here or with <code>ccag admin-keys create --name ci-deploy</code>.
          </EmptyState>
        }
      />
    </>
  );
}
