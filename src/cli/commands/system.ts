/**
 * `ccag system`: the gateway at a glance (GET /admin/system): version, the URL Claude Code should
 * use, health, database and Redis with their round-trip times, endpoints, sign-in methods and
 * identity providers, and spend rows not yet written. A degraded gateway also gets a warning on
 * stderr, so a person notices even when stdout goes to a file.
 */
import type { Command } from 'commander';
import type { SystemRecord } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import type { CliIo } from '../io.js';
import type { Column } from '../output.js';

/** `connected (postgres, 1.2 ms)`: a probe's status with what is known about it. */
function probe(status: string, ...details: Array<string | false>): string {
  const known = details.filter(Boolean);
  return known.length === 0 ? status : `${status} (${known.join(', ')})`;
}

const latency = (ms: number | null) => ms !== null && `${ms} ms`;

function uptime(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return `${minutes} min`;
}

function signIn({ authentication: auth }: SystemRecord): string {
  const methods = [auth.virtual_keys && 'virtual keys', auth.admin_login && 'admin login', auth.device_login && 'device login'];
  if (auth.oidc > 0) methods.push(`OIDC (${auth.oidc} provider${auth.oidc === 1 ? '' : 's'})`);
  return methods.filter(Boolean).join(', ');
}

const SYSTEM_FIELDS: readonly Column<SystemRecord>[] = [
  { header: 'Version', value: (system) => system.version },
  { header: 'URL', value: (system) => system.public_url },
  { header: 'Health', value: (system) => system.health },
  { header: 'Uptime', value: (system) => uptime(system.uptime_s) },
  { header: 'Database', value: ({ database }) => probe(database.status, database.dialect, latency(database.latency_ms)) },
  { header: 'Redis', value: ({ redis }) => (redis === null ? 'not configured' : probe(redis.status, latency(redis.latency_ms))) },
  { header: 'Endpoints', value: ({ endpoints }) => `${endpoints.enabled} of ${endpoints.total} enabled${endpoints.default === null ? ', none marked default' : `, default ${endpoints.default}`}` },
  { header: 'Sign-in', value: signIn },
  {
    header: 'Identity providers',
    value: (system) => system.identity_providers.map((idp) => `${idp.name} (${[idp.enabled ? 'enabled' : 'disabled', idp.scim_enabled && 'SCIM'].filter(Boolean).join(', ')})`).join(', '),
  },
  { header: 'Spend queue', value: (system) => `${system.ledger.queued} row${system.ledger.queued === 1 ? '' : 's'} not yet written` },
];

export function registerSystemCommand(program: Command, io: CliIo): void {
  gatewayOptions(program.command('system'))
    .description("show the gateway's version, health, database, Redis, endpoints and sign-in methods")
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const system = await client.getSystem();
        out.record(system, SYSTEM_FIELDS);
        if (system.health !== 'healthy') {
          const down = [system.database.status !== 'connected' && 'the database', system.redis !== null && system.redis.status !== 'connected' && 'Redis'].filter(Boolean);
          out.warn(`the gateway is ${system.health}: ${down.join(' and ')} did not answer`);
        }
      }),
    );
}
