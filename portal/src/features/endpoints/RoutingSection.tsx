/**
 * Team routing: the default routing (users without a team, and teams without their own) and each
 * team's strategy and ordered endpoints, each with an editor.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type ListEnvelope } from '../../api/client.js';
import type { EndpointRecord } from '../../api/types.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Loading } from '../../components/Loading.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import type { RoutingOverview, RoutingView } from './contract.js';
import { RoutingEditor } from './RoutingEditor.js';
import { routingSummary, strategyLabel } from './routing.js';

export const ROUTING_QUERY = ['admin', 'routing'] as const;

export function RoutingSection() {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<RoutingView>();
  const routing = useQuery({ queryKey: ROUTING_QUERY, queryFn: () => api.get<RoutingOverview>('/admin/routing') });
  // Every endpoint, for the editor's list: one page of the largest size covers any real pool.
  const endpoints = useQuery({ queryKey: ['admin', 'endpoints', 'all'], queryFn: () => api.get<ListEnvelope<EndpointRecord>>('/admin/endpoints', { limit: 1000 }) });
  if (routing.isPending) return <Loading label="Loading routing" />;
  if (routing.isError) return <ErrorMessage error={routing.error} title="Could not load the routing" />;

  const columns: SimpleColumn<RoutingView>[] = [
    { header: 'Team', rowHeader: true, render: (view) => (view.team_id === null ? <strong>Default routing</strong> : (view.team_name ?? view.team_id)) },
    { header: 'Strategy', render: (view) => strategyLabel(view.strategy) },
    { header: 'Endpoints, in order', render: (view) => (view.endpoints.length > 0 ? view.endpoints.map((endpoint) => endpoint.name).join(' → ') : <span className="muted">every enabled endpoint, the default first</span>) },
    { header: 'Source', render: (view) => (view.team_id === null ? 'default' : view.custom ? <span className="badge badge-admin">own routing</span> : <span className="muted">uses the default</span>) },
    {
      header: 'Actions',
      align: 'right',
      render: (view) => (
        <button type="button" className="button button-small" aria-label={`Edit routing: ${routingSummary(view)} (${view.team_name ?? 'default'})`} disabled={!endpoints.data} onClick={() => setEditing(view)}>
          Edit
        </button>
      ),
    },
  ];
  return (
    <>
      <SimpleTable label="Routing" columns={columns} rows={[routing.data.default, ...routing.data.teams]} rowKey={(view) => view.team_id ?? ''} />
      {editing && endpoints.data ? (
        <RoutingEditor view={editing} endpoints={endpoints.data.data} onClose={() => setEditing(undefined)} onSaved={() => void queryClient.invalidateQueries({ queryKey: ROUTING_QUERY })} />
      ) : null}
    </>
  );
}
