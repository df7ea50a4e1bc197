/**
 * `ccag routing show | set | clear`: which endpoints each team's requests go to, in which order
 * and with which strategy. Teams and endpoints are referred to by id or name; `default` is the
 * default routing (users without a team, teams without their own routing).
 */
import { Option, type Command } from 'commander';
import type { RoutingRecord } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';
import { findTeam } from '../resolve-identity.js';
import { findEndpoint } from '../resolve.js';
// A constant with no imports: the CLI's choices cannot drift from the gateway's strategies.
import { ROUTING_STRATEGIES, type RoutingStrategy } from '../../routing/strategies/types.js';
import { routingClient } from '../routing-client.js';

const DEFAULT_ROUTE = 'default';

const routeName = (route: RoutingRecord) => route.team_name ?? '(default)';
const endpointNames = (route: RoutingRecord) => route.endpoints.map((endpoint) => endpoint.name).join(', ');

const ROUTING_COLUMNS: readonly Column<RoutingRecord>[] = [
  { header: 'Team', value: routeName },
  { header: 'Strategy', value: (route) => route.strategy },
  { header: 'Endpoints', value: endpointNames },
  { header: 'Custom', value: (route) => route.custom },
  { header: 'Updated', value: (route) => formatTime(route.updated_at) },
];

const ROUTING_FIELDS: readonly Column<RoutingRecord>[] = [
  { header: 'Team', value: routeName },
  { header: 'Team ID', value: (route) => route.team_id ?? '' },
  { header: 'Strategy', value: (route) => route.strategy },
  { header: 'Endpoints', value: endpointNames },
  { header: 'Custom', value: (route) => (route.custom ? 'yes' : route.team_id === null ? 'no (every enabled endpoint, default first)' : 'no (follows the default)') },
  { header: 'Updated', value: (route) => formatTime(route.updated_at) },
];

interface SetOptions {
  strategy: RoutingStrategy;
  endpoints?: string;
}

export function registerRoutingCommands(program: Command, io: CliIo): void {
  const routing = program.command('routing').description("show and change which endpoints each team's requests go to");

  gatewayOptions(routing.command('show'))
    .description('show the default routing and every team, or one team (or "default")')
    .argument('[team]', 'team id or name, or "default"')
    .action((reference: string | undefined, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const overview = await routingClient(client).overview();
        if (reference === undefined) {
          if (out.json) out.record(overview, []);
          else out.list([overview.default, ...overview.teams], ROUTING_COLUMNS, '');
          return;
        }
        if (reference === DEFAULT_ROUTE) return out.record(overview.default, ROUTING_FIELDS);
        const team = findTeam(await client.listTeams(), reference);
        out.record(overview.teams.find((route) => route.team_id === team.id) ?? overview.default, ROUTING_FIELDS);
      }),
    );

  gatewayOptions(routing.command('set'))
    .description("set a team's routing, or the default routing")
    .argument('<team>', 'team id or name, or "default"')
    .addOption(new Option('--strategy <strategy>', 'sticky_user keeps each user on one endpoint (prompt cache)').choices(ROUTING_STRATEGIES).makeOptionMandatory())
    .option('--endpoints <list>', 'endpoint names or ids in failover order, comma-separated (the default routing may omit it: every enabled endpoint)')
    .action((reference: string, options: SetOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const references = (options.endpoints ?? '').split(',').map((part) => part.trim()).filter((part) => part.length > 0);
        const isDefault = reference === DEFAULT_ROUTE;
        if (!isDefault && references.length === 0) throw new UsageError('--endpoints is required for a team: list at least one endpoint name or id');
        const all = references.length > 0 ? await client.listEndpoints() : [];
        const input = { strategy: options.strategy, endpoint_ids: references.map((name) => findEndpoint(all, name).id) };
        if (isDefault) {
          out.record(await routingClient(client).setDefault(input), ROUTING_FIELDS, 'Set the default routing.');
          return;
        }
        const team = findTeam(await client.listTeams(), reference);
        out.record(await routingClient(client).setTeam(team.id, input), ROUTING_FIELDS, `Set the routing of team ${team.name}.`);
      }),
    );

  gatewayOptions(routing.command('clear'))
    .description("remove a team's own routing; it follows the default routing again")
    .argument('<team>', 'team id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const team = findTeam(await client.listTeams(), reference);
        await routingClient(client).clearTeam(team.id);
        out.done(`Team ${team.name} follows the default routing again.`, { team_id: team.id, team_name: team.name, cleared: true });
      }),
    );
}
