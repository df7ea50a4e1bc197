/**
 * What a provider's SCIM groups decide: its admin groups (saved with PUT …/scim/admin-groups,
 * which re-applies roles to everyone in its groups at once) and the groups it has pushed, each
 * with the team and role it gives.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.js';
import type { ScimStatusRecord, TeamRecord } from '../../api/types.js';
import { EmptyState } from '../../components/EmptyState.js';
import { FormError, TextField } from '../../components/Form.js';
import { SimpleTable, type SimpleColumn } from '../../components/SimpleTable.js';
import { formatInteger } from '../../lib/format.js';
import { useAction } from '../../lib/use-action.js';
import { formatList, parseList } from './idp-form.js';

type ScimGroup = ScimStatusRecord['groups'][number];

export function ScimGroups({
  idpName,
  displayName,
  status,
  teams,
  onSaved,
}: {
  idpName: string;
  displayName: string;
  status: ScimStatusRecord;
  teams: readonly TeamRecord[];
  onSaved: (status: ScimStatusRecord) => Promise<unknown>;
}) {
  // Undefined until edited, so a change made elsewhere (the provider's Edit) shows here too.
  const [draft, setDraft] = useState<string>();
  const adminGroups = draft ?? formatList(status.admin_groups);
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);
  const teamName = (id: string) => teams.find((team) => team.id === id)?.name ?? 'a deleted team';
  const columns: SimpleColumn<ScimGroup>[] = [
    { header: 'Group', render: (group) => group.display_name },
    { header: 'Members', align: 'right', render: (group) => formatInteger(group.members) },
    {
      header: 'Team',
      render: (group) => {
        const teamId = status.group_teams[group.display_name];
        return teamId ? teamName(teamId) : <span className="muted">—</span>;
      },
    },
    { header: 'Role', render: (group) => (status.admin_groups.includes(group.display_name) ? <span className="badge badge-admin">admin</span> : <span className="muted">—</span>) },
  ];

  function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    void run(async () => {
      const next = await api.put<ScimStatusRecord>(`/admin/idps/${encodeURIComponent(idpName)}/scim/admin-groups`, { groups: parseList(adminGroups) });
      await onSaved(next);
      setDraft(undefined);
      setSaved(true);
    });
  }

  return (
    <>
      <h3 className="subheading">Groups</h3>
      <form className="stacked-form" onSubmit={save}>
        <TextField
          label="Admin groups"
          value={adminGroups}
          onChange={(event) => {
            setDraft(event.target.value);
            setSaved(false);
          }}
          hint="Comma-separated. Members of these groups are admins, members of the provider’s other groups are members; saving re-applies roles at once. Empty: groups do not decide roles."
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : 'Save admin groups'}
        </button>
      </form>
      {saved ? (
        <p className="notice notice-ok" role="status">
          Admin groups saved.
        </p>
      ) : null}
      <FormError error={error} />
      <p className="field-hint">Group → team mappings are part of the provider: change them with Edit.</p>
      {status.groups.length === 0 ? (
        <EmptyState title="No groups pushed yet.">Push groups from {displayName} to decide people’s teams and roles here.</EmptyState>
      ) : (
        <SimpleTable label={`SCIM groups of ${displayName}`} columns={columns} rows={status.groups} rowKey={(group) => group.id} />
      )}
    </>
  );
}
