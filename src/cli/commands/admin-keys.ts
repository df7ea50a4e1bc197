/**
 * `ccag admin-keys list | create | revoke`: admin API keys (`ccag-admin-...`) for automation. A
 * key acts as the admin who created it, for as long as that admin stays an active admin. Like a
 * virtual key, the full key is printed once at creation, with a warning, and never again.
 */
import type { Command } from 'commander';
import type { AdminKeyRecord } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';
import { findKeyOf, MIN_PREFIX_CHARS, type KeyKind } from '../resolve.js';

const ADMIN_KEY_PREFIX = 'ccag-admin-';

const ADMIN_KEY_COLUMNS: readonly Column<AdminKeyRecord>[] = [
  { header: 'ID', value: (key) => key.id },
  { header: 'Prefix', value: (key) => key.prefix },
  { header: 'Name', value: (key) => key.name },
  { header: 'Owner', value: (key) => key.owner_email },
  { header: 'Status', value: (key) => key.status },
  { header: 'Created', value: (key) => formatTime(key.created_at) },
  { header: 'Last used', value: (key) => formatTime(key.last_used_at) },
];

const ADMIN_KEY_FIELDS: readonly Column<AdminKeyRecord>[] = [
  ...ADMIN_KEY_COLUMNS.slice(0, 5),
  { header: 'Created', value: (key) => `${formatTime(key.created_at)} UTC` },
  { header: 'Last used', value: (key) => (key.last_used_at ? `${formatTime(key.last_used_at)} UTC` : 'never') },
  { header: 'Revoked', value: (key) => (key.revoked_at ? `${formatTime(key.revoked_at)} UTC` : null) },
];

const ADMIN_KEYS: KeyKind = { prefix: ADMIN_KEY_PREFIX, noun: 'admin API key', list: 'ccag admin-keys list' };

export const findAdminKey = (keys: readonly AdminKeyRecord[], reference: string): AdminKeyRecord => findKeyOf(keys, reference, ADMIN_KEYS);

export function registerAdminKeysCommands(program: Command, io: CliIo): void {
  const adminKeys = program.command('admin-keys').description('create, list and revoke admin API keys (for automation)');

  gatewayOptions(adminKeys.command('list'))
    .description('list admin API keys, active and revoked')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        out.list(await client.listAdminKeys(), ADMIN_KEY_COLUMNS, 'No admin API keys yet. Create one with: ccag admin-keys create --name <name>');
      }),
    );

  gatewayOptions(adminKeys.command('create'))
    .description('create an admin API key owned by you; the key is shown once')
    .requiredOption('--name <name>', 'what the key is for, e.g. "ci-deploy"')
    .action((options: { name: string }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const created = await client.createAdminKey({ name: options.name });
        out.record(created, ADMIN_KEY_FIELDS, `Created admin API key ${created.prefix} (${created.name}) for ${created.owner_email}.`);
        out.text(`\n    ${created.key}\n`);
        out.warn('this is the only time the key is shown; store it somewhere safe now, it cannot be shown again');
      }),
    );

  gatewayOptions(adminKeys.command('revoke'))
    .description(`revoke an admin API key by id or by its prefix (at least ${MIN_PREFIX_CHARS} characters after ${ADMIN_KEY_PREFIX})`)
    .argument('<id|prefix>', 'key id, or the key prefix shown by "ccag admin-keys list"')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const key = findAdminKey(await client.listAdminKeys(), reference);
        if (key.status === 'revoked') {
          out.record(key, ADMIN_KEY_FIELDS, `Admin API key ${key.prefix} (${key.id}) was already revoked.`);
          return;
        }
        const revoked = await client.revokeAdminKey(key.id);
        out.record(revoked, ADMIN_KEY_FIELDS, `Revoked admin API key ${revoked.prefix} (${revoked.id}).`);
      }),
    );
}
