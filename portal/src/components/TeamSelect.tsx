import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, type ListEnvelope } from '../api/client.js';
import type { TeamRecord } from '../api/types.js';
import { SelectField } from './Form.js';

/** Every team by name (the list route's largest page: organisations have tens of teams, not thousands). */
export function useTeams(enabled = true) {
  return useQuery({
    queryKey: ['admin', 'teams', 'all'],
    queryFn: () => api.get<ListEnvelope<TeamRecord>>('/admin/teams', { limit: 1000, sort: 'name' }),
    enabled,
  });
}

/** Picks a team from the list; `noneLabel` offers "no team" as the empty choice. */
export function TeamSelect({ label = 'Team', hint, value, onChange, noneLabel, required }: { label?: string; hint?: ReactNode; value: string; onChange: (teamId: string) => void; noneLabel?: string; required?: boolean }) {
  const teams = useTeams();
  const list = teams.data?.data ?? [];
  return (
    <SelectField
      label={label}
      hint={hint}
      value={value}
      required={required}
      disabled={teams.isPending}
      error={teams.isError ? `Could not load the teams: ${teams.error.message}` : undefined}
      onChange={(event) => onChange(event.target.value)}
    >
      <option value="">{noneLabel ?? (teams.isPending ? 'Loading teams…' : 'Choose a team')}</option>
      {list.map((team) => (
        <option key={team.id} value={team.id}>
          {team.name}
        </option>
      ))}
    </SelectField>
  );
}
