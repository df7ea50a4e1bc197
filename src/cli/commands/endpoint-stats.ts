/**
 * `ccag endpoints stats [--range 24h|7d|30d]` and `ccag endpoints health`: how each endpoint has
 * served (requests, errors, latency, throttles, cooldowns, failovers, cache hits) and where it
 * stands in the pool now. Attached to the `endpoints` command, which is registered first.
 */
import { Option, type Command } from 'commander';
import type { EndpointHealthRecord, EndpointStatsRange, EndpointStatsRecord } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';
import { routingClient } from '../routing-client.js';

/** 0.0123 → "1.2%"; no requests → "-". */
export function percent(value: number | null): string | null {
  return value === null ? null : `${(value * 100).toFixed(1)}%`;
}

const ms = (value: number | null) => (value === null ? null : `${value} ms`);

/** "cooling until 14:03:22" (UTC) or the state as it is. */
export function stateLabel(endpoint: Pick<EndpointHealthRecord, 'state' | 'cooling_until'>): string {
  if (endpoint.state === 'cooling' && endpoint.cooling_until) return `cooling until ${endpoint.cooling_until.slice(11, 19)} UTC`;
  return endpoint.state;
}

/** "5h 42%, 7d 8%": every window the upstream reports, shortest first as the gateway lists them. */
export function utilizationLabel(utilization: Readonly<Record<string, number>>): string | null {
  const windows = Object.entries(utilization);
  return windows.length === 0 ? null : windows.map(([window, used]) => `${window} ${Math.round(used * 100)}%`).join(', ');
}

const STATS_COLUMNS: readonly Column<EndpointStatsRecord>[] = [
  { header: 'Endpoint', value: (row) => row.name ?? `${row.endpoint_id} (deleted)` },
  { header: 'Requests', value: (row) => row.requests, align: 'right' },
  { header: 'Errors', value: (row) => row.errors, align: 'right' },
  { header: 'Err %', value: (row) => percent(row.error_rate), align: 'right' },
  { header: 'Avg Lat', value: (row) => ms(row.avg_latency_ms), align: 'right' },
  { header: 'p99 Lat', value: (row) => ms(row.p99_latency_ms), align: 'right' },
  { header: 'Throttles', value: (row) => row.throttles, align: 'right' },
  { header: 'Cooldowns', value: (row) => row.cooldowns, align: 'right' },
  { header: 'Failovers', value: (row) => row.failovers, align: 'right' },
  { header: 'Cache hit', value: (row) => percent(row.cache_hit_rate), align: 'right' },
];

const HEALTH_COLUMNS: readonly Column<EndpointHealthRecord>[] = [
  { header: 'Endpoint', value: (row) => row.name },
  { header: 'Kind', value: (row) => row.kind },
  { header: 'State', value: stateLabel },
  { header: 'In flight', value: (row) => row.in_flight, align: 'right' },
  { header: 'Throttles in a row', value: (row) => row.consecutive_throttles, align: 'right' },
  { header: 'Utilization', value: (row) => utilizationLabel(row.utilization) },
  { header: 'Last check', value: (row) => formatTime(row.last_check_at) },
  { header: 'Last error', value: (row) => row.last_error },
];

const NO_ENDPOINTS = 'No endpoints yet. Add one with: ccag endpoints add bedrock --name <name> --region <region>';

export function registerEndpointStatsCommands(program: Command, io: CliIo): void {
  const endpoints = program.commands.find((command) => command.name() === 'endpoints');
  if (!endpoints) throw new Error('register the endpoints command before its stats and health subcommands');

  gatewayOptions(endpoints.command('stats'))
    .description('requests, errors, latency, throttles, cooldowns, failovers and cache hit rate per endpoint')
    .addOption(new Option('--range <range>', 'the period up to now').choices(['24h', '7d', '30d']).default('24h'))
    .action((options: { range: EndpointStatsRange }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const stats = await routingClient(client).endpointStats({ range: options.range });
        if (out.json) return out.done('', stats);
        out.text(`Endpoints from ${formatTime(stats.from)} to ${formatTime(stats.to)} UTC\n`);
        out.list(stats.data, STATS_COLUMNS, NO_ENDPOINTS);
      }),
    );

  gatewayOptions(endpoints.command('health'))
    .description("each endpoint's state in the pool (healthy, cooling, probing, unhealthy, disabled), in-flight requests and utilization")
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        out.list(await routingClient(client).endpointHealth(), HEALTH_COLUMNS, NO_ENDPOINTS);
      }),
    );
}
