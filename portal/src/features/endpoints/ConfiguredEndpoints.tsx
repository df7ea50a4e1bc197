/**
 * The configured endpoints: kind, where requests go, how they authenticate, priority, default and
 * enabled, with their controls (edit, validate, models and quotas, enable or disable, make
 * default, delete). Secrets never come back from the API, so the table says only whether some
 * are stored.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, listFetcher } from '../../api/client.js';
import type { EndpointRecord } from '../../api/types.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { EditEndpointDialog } from './EditEndpointDialog.js';
import { ModelsQuotasButton } from './ModelsQuotasButton.js';
import { ValidateButton } from './ValidateButton.js';

export const ENDPOINTS_QUERY = ['admin', 'endpoints'] as const;

const AUTH_LABEL: Record<string, string> = { default: 'default chain', static: 'static keys', assume_role: 'assumed role' };

function target(endpoint: EndpointRecord): string {
  const { config } = endpoint;
  if (endpoint.kind === 'anthropic') return config.base_url ?? 'https://api.anthropic.com';
  const prefix = config.routing_prefix ? `, prefix ${config.routing_prefix}` : '';
  return `${config.region ?? '—'}${prefix}${config.endpoint_url ? ` via ${config.endpoint_url}` : ''}`;
}

function credentials(endpoint: EndpointRecord): string {
  if (endpoint.kind === 'anthropic') return endpoint.has_credentials ? 'API key (stored encrypted)' : 'none';
  const method = AUTH_LABEL[endpoint.config.auth ?? 'default'] ?? endpoint.config.auth ?? 'default chain';
  const role = endpoint.config.role_arn ? ` ${endpoint.config.role_arn}` : '';
  return `${method}${role}${endpoint.has_credentials ? ' (secrets stored encrypted)' : ''}`;
}

export function ConfiguredEndpoints({ onAdd }: { onAdd: () => void }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<EndpointRecord>();
  // Names, states and routing lists on the rest of the page follow an endpoint's change.
  const refresh = () => queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'admin' && (String(query.queryKey[1]).startsWith('endpoint') || query.queryKey[1] === 'routing') });
  const path = (endpoint: EndpointRecord) => `/admin/endpoints/${encodeURIComponent(endpoint.id)}`;
  const remove = async (endpoint: EndpointRecord) => {
    await api.delete(path(endpoint));
    await refresh();
  };
  const setEnabled = async (endpoint: EndpointRecord, enabled: boolean) => {
    await api.patch(path(endpoint), { enabled });
    await refresh();
  };
  const makeDefault = async (endpoint: EndpointRecord) => {
    await api.post(`${path(endpoint)}/default`);
    await refresh();
  };
  const columns: Column<EndpointRecord>[] = [
    { header: 'Name', sort: 'name', render: (endpoint) => <strong>{endpoint.name}</strong>, csv: (endpoint) => endpoint.name },
    { header: 'Kind', sort: 'kind', render: (endpoint) => (endpoint.kind === 'bedrock' ? 'Amazon Bedrock' : 'Anthropic API'), csv: (endpoint) => endpoint.kind },
    { header: 'Region / base URL', render: (endpoint) => <span className="mono">{target(endpoint)}</span>, csv: target },
    { header: 'Credentials', render: credentials, csv: credentials },
    { header: 'Priority', sort: 'priority', align: 'right', render: (endpoint) => endpoint.priority, csv: (endpoint) => endpoint.priority },
    {
      header: 'Status',
      render: (endpoint) => (
        <span className="badges">
          <span className={`badge badge-${endpoint.enabled ? 'enabled' : 'disabled'}`}>{endpoint.enabled ? 'enabled' : 'disabled'}</span>
          {endpoint.is_default ? <span className="badge badge-admin">default</span> : null}
        </span>
      ),
      csv: (endpoint) => `${endpoint.enabled ? 'enabled' : 'disabled'}${endpoint.is_default ? ', default' : ''}`,
    },
    {
      header: 'Actions',
      align: 'right',
      render: (endpoint) => (
        <div className="row-actions">
          <button type="button" className="button button-small" aria-label={`Edit ${endpoint.name}`} onClick={() => setEditing(endpoint)}>
            Edit
          </button>
          <ValidateButton endpointId={endpoint.id} name={endpoint.name} />
          <ModelsQuotasButton endpointId={endpoint.id} name={endpoint.name} />
          {endpoint.enabled ? (
            <ConfirmButton label="Disable" accessibleLabel={`Disable ${endpoint.name}`} tone="default" title={`Disable ${endpoint.name}?`} confirmLabel="Disable endpoint" onConfirm={() => setEnabled(endpoint, false)}>
              <p>
                No new requests go to <strong>{endpoint.name}</strong>; teams that route to it use their other endpoints. Requests in flight finish. Enable it again at any time.
              </p>
            </ConfirmButton>
          ) : (
            <ConfirmButton label="Enable" accessibleLabel={`Enable ${endpoint.name}`} tone="default" title={`Enable ${endpoint.name}?`} confirmLabel="Enable endpoint" onConfirm={() => setEnabled(endpoint, true)}>
              <p>
                <strong>{endpoint.name}</strong> takes requests again from the teams whose routing lists it, within seconds on every replica.
              </p>
            </ConfirmButton>
          )}
          {endpoint.is_default ? null : (
            <ConfirmButton label="Make default" accessibleLabel={`Make default: ${endpoint.name}`} tone="default" title={`Make ${endpoint.name} the default?`} confirmLabel="Make default" onConfirm={() => makeDefault(endpoint)}>
              <p>
                The default routing (users without a team, and teams without their own) tries <strong>{endpoint.name}</strong> first. The current default stays configured and becomes an ordinary endpoint.
              </p>
            </ConfirmButton>
          )}
          <ConfirmButton label="Delete" accessibleLabel={`Delete ${endpoint.name}`} title={`Delete ${endpoint.name}?`} confirmLabel="Delete endpoint" onConfirm={() => remove(endpoint)}>
            <p>
              Requests stop going to <strong>{endpoint.name}</strong> within seconds on every replica, and its stored credentials are erased.
              {endpoint.is_default
                ? ' It is the default endpoint: while other endpoints are enabled, make one of them the default first.'
                : null}{' '}
              A team whose routing lists it keeps it: the gateway refuses and names those teams, so change their routing first. Its past requests stay in the spend ledger. This cannot be undone.
            </p>
          </ConfirmButton>
        </div>
      ),
    },
  ];
  return (
    <>
      {editing ? <EditEndpointDialog endpoint={editing} onClose={() => setEditing(undefined)} onSaved={() => void refresh()} /> : null}
      <DataTable<EndpointRecord>
        label="Configured endpoints"
        queryKey={ENDPOINTS_QUERY}
        fetchPage={listFetcher<EndpointRecord>('/admin/endpoints')}
        columns={columns}
        rowKey={(endpoint) => endpoint.id}
        defaultSort={{ sort: 'name', order: 'asc' }}
        searchLabel="Search endpoints"
        stateKey="endpoints"
        exportCsv={false}
        empty={
          <EmptyState
            title="No endpoints yet."
            action={
              <button type="button" className="button button-primary" onClick={onAdd}>
                Add endpoint
              </button>
            }
          >
            Add a Bedrock endpoint to start routing requests.
          </EmptyState>
        }
      />
    </>
  );
}
