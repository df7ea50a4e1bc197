/**
 * Policies (docs/policies.md): per team, IdP group or email domain, the models allowed, the model
 * Claude Code starts with, and the managed settings it runs with; in order, combined first-match
 * or layered. Below the list, the sessions whose settings drifted from their policy.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, listFetcher } from '../../api/client.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { DataTable, type Column } from '../../components/DataTable.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormError, SelectField } from '../../components/Form.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useAction } from '../../lib/use-action.js';
import { DriftSection, DRIFT_QUERY } from './DriftSection.js';
import { PolicyEditor } from './PolicyEditor.js';
import { matchSummary } from './policy-form.js';
import type { PolicyMode, PolicyRecord } from './types.js';

const POLICIES_QUERY = ['admin', 'policies'] as const;
const MODE_QUERY = ['admin', 'policies', 'mode'] as const;

const MODE_HINTS: Record<PolicyMode, string> = {
  first_match: 'The first matching policy applies, alone: put specific policies first and an "everyone" policy last.',
  layered: 'Every matching policy applies, in order, on top of the ones before: put the base policy first. Allowed models narrow; settings merge.',
};

export default function PoliciesPage() {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ policy?: PolicyRecord }>();
  const mode = useQuery({ queryKey: MODE_QUERY, queryFn: () => api.get<{ mode: PolicyMode }>('/admin/policies/settings') });
  const action = useAction();
  const refresh = () => queryClient.invalidateQueries({ queryKey: POLICIES_QUERY });

  const move = (policy: PolicyRecord, position: number) =>
    action.run(async () => {
      await api.post(`/admin/policies/${encodeURIComponent(policy.id)}/move`, { position });
      await refresh();
    });
  const remove = async (policy: PolicyRecord) => {
    await api.delete(`/admin/policies/${encodeURIComponent(policy.id)}`);
    await refresh();
  };
  const setMode = (next: PolicyMode) =>
    action.run(async () => {
      await api.put('/admin/policies/settings', { mode: next });
      await Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: DRIFT_QUERY })]);
    });

  const columns: Column<PolicyRecord>[] = [
    { header: 'Name', sort: 'name', render: (policy) => policy.name, csv: (policy) => policy.name },
    { header: 'Matches', render: matchSummary, csv: matchSummary },
    { header: 'Models', render: (policy) => policy.allowed_models?.join(', ') ?? <span className="muted">Any</span>, csv: (policy) => policy.allowed_models?.join(', ') ?? '' },
    { header: 'Default model', render: (policy) => policy.default_model ?? <span className="muted">—</span>, csv: (policy) => policy.default_model ?? '' },
    { header: 'Order', sort: 'position', align: 'right', render: (policy) => policy.position, csv: (policy) => policy.position },
    {
      header: 'Actions',
      align: 'right',
      render: (policy) => (
        <span className="row-actions">
          <button type="button" className="button button-quiet" aria-label={`Move ${policy.name} up`} disabled={policy.position === 1 || action.busy} onClick={() => void move(policy, policy.position - 1)}>
            ↑
          </button>
          <button type="button" className="button button-quiet" aria-label={`Move ${policy.name} down`} disabled={action.busy} onClick={() => void move(policy, policy.position + 1)}>
            ↓
          </button>
          <button type="button" className="button" onClick={() => setEditing({ policy })}>
            Edit
          </button>
          <ConfirmButton label="Delete" title={`Delete ${policy.name}?`} confirmLabel="Delete policy" onConfirm={() => remove(policy)}>
            <p>Its users lose its model restrictions and managed settings at their next request (or get the next matching policy).</p>
          </ConfirmButton>
        </span>
      ),
    },
  ];

  const newButton = (
    <button type="button" className="button button-primary" onClick={() => setEditing({})}>
      New policy
    </button>
  );

  return (
    <>
      <PageHeader
        title="Policies"
        description="Which models each team, IdP group or email domain may use, and the Claude Code settings their machines run with (delivered at /managed/settings)."
        actions={newButton}
      />
      {editing ? <PolicyEditor key={editing.policy?.id ?? 'new'} open policy={editing.policy} onClose={() => setEditing(undefined)} onSaved={() => void refresh()} /> : null}
      {mode.data ? (
        <SelectField label="How policies combine" value={mode.data.mode} disabled={action.busy} hint={MODE_HINTS[mode.data.mode]} onChange={(event) => void setMode(event.target.value as PolicyMode).then(() => mode.refetch())}>
          <option value="first_match">First match</option>
          <option value="layered">Layered</option>
        </SelectField>
      ) : null}
      <FormError error={action.error} />
      <DataTable<PolicyRecord>
        label="Policies"
        queryKey={POLICIES_QUERY}
        fetchPage={listFetcher<PolicyRecord>('/admin/policies')}
        columns={columns}
        rowKey={(policy) => policy.id}
        defaultSort={{ sort: 'position', order: 'asc' }}
        searchLabel="Search name, group, domain or team"
        empty={
          <EmptyState title="No policies yet." action={newButton}>
            Without a policy every user may use any model and Claude Code gets no managed settings. Start with a base policy for everyone (for example an
            allowed-models list and <code>env</code> settings), then add policies for the teams, IdP groups or email domains that need something else. Or from a
            terminal: <code>ccag policies create Base --everyone --models &apos;claude-sonnet-4*&apos;</code>.
          </EmptyState>
        }
      />
      <DriftSection />
    </>
  );
}
