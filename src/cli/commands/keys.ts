/**
 * `ccag keys create | list | revoke`: virtual API keys (`sk-ccag-...`). The full key exists only in
 * the creation answer; it is printed once, with a warning, and never again.
 */
import type { Command } from 'commander';
import type { KeyRecord } from '../admin-types.js';
import { EXPIRY_HELP, expiryParser } from '../arguments.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';
import { findTeam } from '../resolve-identity.js';
import { findKey } from '../resolve.js';

const KEY_COLUMNS: readonly Column<KeyRecord>[] = [
  { header: 'ID', value: (key) => key.id },
  { header: 'Prefix', value: (key) => key.prefix },
  { header: 'Name', value: (key) => key.name },
  { header: 'User', value: (key) => key.user_email },
  { header: 'Team', value: (key) => key.team_name },
  { header: 'Status', value: (key) => key.status },
  { header: 'Expires', value: (key) => formatTime(key.expires_at) },
  { header: 'Created', value: (key) => formatTime(key.created_at) },
];

const KEY_FIELDS: readonly Column<KeyRecord>[] = [
  ...KEY_COLUMNS.filter((column) => column.header !== 'Expires' && column.header !== 'Created'),
  { header: 'Expires', value: (key) => (key.expires_at ? `${formatTime(key.expires_at)} UTC` : 'never') },
  { header: 'Created', value: (key) => `${formatTime(key.created_at)} UTC` },
  { header: 'Revoked', value: (key) => (key.revoked_at ? `${formatTime(key.revoked_at)} UTC` : null) },
];

interface CreateOptions {
  user?: string;
  name?: string;
  expires?: Date;
  team?: string;
}

interface ListOptions {
  user?: string;
  all?: boolean;
}

export function registerKeysCommands(program: Command, io: CliIo): void {
  const keys = program.command('keys').description('create, list and revoke virtual API keys');

  gatewayOptions(keys.command('create'))
    .description('create a key for a user (members: for themselves); the key is shown once')
    .option('--user <email>', 'email of the user who owns the key (admins must give it; members may leave it out)')
    .option('--name <name>', 'a label for the key, e.g. "laptop"')
    .option('--expires <when>', `when the key stops working: ${EXPIRY_HELP}`, expiryParser(io.now))
    .option('--team <id|name>', "a team-owned key (default: the user's own team)")
    .action((options: CreateOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const teamId = options.team === undefined ? undefined : findTeam(await client.listTeams(), options.team).id;
        const created = await client.createKey({ user_email: options.user, name: options.name, expires_at: options.expires?.toISOString(), team_id: teamId });
        out.record(created, KEY_FIELDS, `Created key ${created.prefix} for ${created.user_email}.`);
        out.text(`\n    ${created.key}\n`);
        out.warn('this is the only time the key is shown; store it somewhere safe now, it cannot be shown again');
      }),
    );

  gatewayOptions(keys.command('list'))
    .description('list keys (active and expired; revoked ones too with --all)')
    .option('--user <email>', "only this user's keys")
    .option('--all', 'include revoked keys')
    .action((options: ListOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const all = await client.listKeys({ userEmail: options.user, includeRevoked: options.all === true });
        // Filtered here too, so the flag means the same thing whatever the gateway version.
        const shown = options.all ? all : all.filter((key) => key.status !== 'revoked');
        const empty = options.user
          ? `No keys for ${options.user}. Create one with: ccag keys create --user ${options.user}`
          : 'No keys yet. Create one with: ccag keys create --user <email>';
        out.list(shown, KEY_COLUMNS, empty);
      }),
    );

  gatewayOptions(keys.command('revoke'))
    .description('revoke a key by id or by its prefix (at least 4 characters after sk-ccag-)')
    .argument('<id|prefix>', 'key id, or the key prefix shown by "ccag keys list"')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const key = findKey(await client.listKeys({ includeRevoked: true }), reference);
        if (key.status === 'revoked') {
          out.record(key, KEY_FIELDS, `Key ${key.prefix} (${key.id}) was already revoked.`);
          return;
        }
        const revoked = await client.revokeKey(key.id);
        out.record(revoked, KEY_FIELDS, `Revoked key ${revoked.prefix} (${revoked.id}) of ${revoked.user_email}.`);
      }),
    );
}
