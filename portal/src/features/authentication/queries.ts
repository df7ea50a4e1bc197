/** The queries the Authentication page's parts share, so one invalidation refreshes all of them. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import type { TeamRecord } from '../../api/types.js';
import { SYSTEM_QUERY } from '../system/use-system.js';

/** Everything under it: the provider list, each provider's SCIM status, the enabled-provider count. */
export const IDPS_QUERY = ['admin', 'idps'] as const;
/** One provider (and, below it, its SCIM status); a level of its own so no provider name can collide with the lists. */
export const idpQuery = (name: string) => [...IDPS_QUERY, 'one', name] as const;
/** The same key the key dialog uses for the team choices, so both share one fetch. */
export const TEAMS_QUERY = ['admin', 'teams', 'all'] as const;

export function useAllTeams() {
  return useQuery({ queryKey: TEAMS_QUERY, queryFn: () => api.get<{ data: TeamRecord[] }>('/admin/teams', { limit: 1000, sort: 'name' }) });
}

/** After a provider changes: the list, its SCIM status, and the system report's sign-in methods. */
export function useRefreshProviders() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: IDPS_QUERY }), queryClient.invalidateQueries({ queryKey: SYSTEM_QUERY })]);
}
