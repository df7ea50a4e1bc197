/**
 * `ccag scim enable | disable | create-token | set-admin-groups | status`: SCIM provisioning for an
 * identity provider (named by id or name). A SCIM token is printed once, with the base URL to paste
 * into Okta or Entra ID; only its prefix can be shown again.
 */
import type { Command } from 'commander';
import type { CreatedScimToken, ScimStatusRecord } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';

const list = (values: readonly string[]) => (values.length === 0 ? '—' : values.join(', '));

const STATUS: readonly Column<ScimStatusRecord>[] = [
  { header: 'Identity provider', value: (scim) => scim.idp },
  { header: 'SCIM', value: (scim) => (scim.enabled ? 'on' : 'off') },
  { header: 'Base URL', value: (scim) => scim.base_url },
  {
    header: 'Tokens',
    value: (scim) =>
      list(scim.tokens.filter((token) => token.revoked_at === null).map((token) => `${token.prefix}… (last used ${token.last_used_at ? formatTime(token.last_used_at) : 'never'})`)),
  },
  { header: 'Admin groups', value: (scim) => list(scim.admin_groups) },
  { header: 'Group → team', value: (scim) => list(Object.entries(scim.group_teams).map(([group, team]) => `${group} → ${team}`)) },
  { header: 'Users provisioned', value: (scim) => scim.users_provisioned },
  { header: 'Groups', value: (scim) => list(scim.groups.map((group) => `${group.display_name} (${group.members})`)) },
];

const TOKEN: readonly Column<CreatedScimToken>[] = [
  { header: 'ID', value: (token) => token.id },
  { header: 'Prefix', value: (token) => token.prefix },
  { header: 'Base URL', value: (token) => token.base_url },
  { header: 'Created', value: (token) => `${formatTime(token.created_at)} UTC` },
];

export function registerScimCommands(program: Command, io: CliIo): void {
  const scim = program.command('scim').description('SCIM 2.0 provisioning from an identity provider (Okta, Entra ID)');

  gatewayOptions(scim.command('enable'))
    .description('accept SCIM requests for this identity provider (its users then need SCIM to sign in through it)')
    .argument('<idp>', 'identity provider id or name')
    .action((idp: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        out.record(await client.setScimEnabled(idp, true), STATUS, `SCIM is on for ${idp}. Next: ccag scim create-token ${idp}`);
      }),
    );

  gatewayOptions(scim.command('disable'))
    .description('refuse SCIM requests for this identity provider (its tokens stop working; nothing is deleted)')
    .argument('<idp>', 'identity provider id or name')
    .action((idp: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        out.record(await client.setScimEnabled(idp, false), STATUS, `SCIM is off for ${idp}.`);
      }),
    );

  gatewayOptions(scim.command('create-token'))
    .description('create a SCIM bearer token for this identity provider; it is shown once')
    .argument('<idp>', 'identity provider id or name')
    .action((idp: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const created = await client.createScimToken(idp);
        if (out.json) {
          // The JSON renderer redacts fields named like secrets; this answer exists to hand the token over.
          io.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
          return;
        }
        out.record(created, TOKEN, `Created SCIM token ${created.prefix}… for ${idp}. In the IdP's provisioning settings, enter:`);
        out.text(`\n    SCIM base URL:  ${created.base_url}\n    Bearer token:   ${created.token}\n`);
        out.warn('this is the only time the token is shown; paste it into the IdP now, it cannot be shown again');
      }),
    );

  gatewayOptions(scim.command('set-admin-groups'))
    .description("members of these SCIM groups get the admin role, other members of the IdP's groups lose it (replaces the list)")
    .argument('<idp>', 'identity provider id or name')
    .argument('[group...]', 'group display names as the IdP pushes them')
    .option('--none', 'clear the list: SCIM groups then no longer decide anyone\'s role')
    .action((idp: string, groups: string[], options: { none?: boolean }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        if (groups.length === 0 && !options.none) throw new UsageError('name at least one group, or pass --none to clear the list');
        if (groups.length > 0 && options.none) throw new UsageError('give groups or --none, not both');
        const status = await client.setScimAdminGroups(idp, groups);
        out.record(status, STATUS, groups.length === 0 ? `SCIM groups no longer set roles for ${idp}.` : `Admin groups for ${idp}: ${groups.join(', ')}.`);
      }),
    );

  gatewayOptions(scim.command('status'))
    .description("show an identity provider's SCIM settings, tokens (prefixes only) and what has been provisioned")
    .argument('<idp>', 'identity provider id or name')
    .action((idp: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        out.record(await client.getScim(idp), STATUS);
      }),
    );
}
