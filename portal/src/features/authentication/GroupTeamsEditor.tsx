/**
 * Group → team rows. Order matters (the first mapped group a person holds sets their team), so
 * rows can move up. A team deleted since the mapping was made shows as such; the gateway skips it.
 */
import type { TeamRecord } from '../../api/types.js';
import { SelectField, TextField } from '../../components/Form.js';
import type { GroupTeamRow } from './idp-form.js';

export function GroupTeamsEditor({
  rows,
  teams,
  error,
  onChange,
}: {
  rows: readonly GroupTeamRow[];
  teams: readonly TeamRecord[];
  error?: string | undefined;
  onChange: (rows: GroupTeamRow[]) => void;
}) {
  const update = (index: number, change: Partial<GroupTeamRow>) => onChange(rows.map((row, at) => (at === index ? { ...row, ...change } : row)));
  const remove = (index: number) => onChange(rows.filter((_, at) => at !== index));
  const moveUp = (index: number) => {
    const next = [...rows];
    [next[index - 1], next[index]] = [next[index]!, next[index - 1]!];
    onChange(next);
  };
  const known = new Set(teams.map((team) => team.id));

  return (
    <div className="field">
      <span className="field-label">Group → team</span>
      <p className="field-hint">A person in a mapped group joins its team; with several, the first in this list wins.</p>
      {rows.map((row, index) => (
        <div className="mapping-row" key={index}>
          <TextField label={`Group ${index + 1}`} value={row.group} maxLength={200} onChange={(event) => update(index, { group: event.target.value })} />
          <SelectField label={`Team for group ${index + 1}`} value={row.teamId} onChange={(event) => update(index, { teamId: event.target.value })}>
            <option value="">Choose a team</option>
            {row.teamId && !known.has(row.teamId) ? <option value={row.teamId}>Deleted team ({row.teamId})</option> : null}
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </SelectField>
          <div className="mapping-actions">
            {index > 0 ? (
              <button type="button" className="button button-small" aria-label={`Move group ${index + 1} up`} onClick={() => moveUp(index)}>
                ↑
              </button>
            ) : null}
            <button type="button" className="button button-small" aria-label={`Remove group ${index + 1}`} onClick={() => remove(index)}>
              Remove
            </button>
          </div>
        </div>
      ))}
      {error ? <p className="field-error">{error}</p> : null}
      <div>
        <button type="button" className="button button-small" onClick={() => onChange([...rows, { group: '', teamId: '' }])}>
          Add a mapping
        </button>
        {teams.length === 0 ? <span className="field-hint"> No teams yet: create them on the Teams page first.</span> : null}
      </div>
    </div>
  );
}
