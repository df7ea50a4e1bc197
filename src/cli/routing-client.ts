/**
 * The admin API's traffic routes for `ccag routing` and `ccag endpoints stats|health`: team and
 * default routing (docs/admin-api.md#routing), and each endpoint's statistics and health.
 */
import { listData, type AdminClient, type ListEnvelope } from './admin-client.js';
import type { EndpointHealthRecord, EndpointStats, EndpointStatsRange, RoutingOverviewRecord, RoutingRecord, SetRoutingInput } from './admin-types.js';

const teamRouting = (teamId: string) => `/admin/teams/${encodeURIComponent(teamId)}/routing`;

export function routingClient(client: AdminClient) {
  return {
    overview: () => client.send<RoutingOverviewRecord>('GET', '/admin/routing', { auth: true }),
    setTeam: (teamId: string, input: SetRoutingInput) => client.send<RoutingRecord>('PUT', teamRouting(teamId), { auth: true, body: input }),
    async clearTeam(teamId: string): Promise<void> {
      await client.send('DELETE', teamRouting(teamId), { auth: true });
    },
    setDefault: (input: SetRoutingInput) => client.send<RoutingRecord>('PUT', '/admin/routing/default', { auth: true, body: input }),
    endpointStats: (query: { range?: EndpointStatsRange; from?: string; to?: string } = {}) => client.send<EndpointStats>('GET', '/admin/endpoints/stats', { auth: true, query }),
    async endpointHealth(): Promise<EndpointHealthRecord[]> {
      return listData(await client.send<ListEnvelope<EndpointHealthRecord>>('GET', '/admin/endpoints/health', { auth: true }), 'endpoint health');
    },
  };
}
