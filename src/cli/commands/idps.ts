/**
 * `ccag idps list | show | add | update | remove`: OIDC identity providers. A provider is named
 * by its id or its name (the slug in its sign-in URL). The client secret goes in through stdin
 * only, so it never lands in shell history, and is never printed back.
 */
import { Option, type Command } from 'commander';
import type { AdminClient } from '../admin-client.js';
import type { IdpRecord, UpdateIdpInput } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';
import { readSecretFromStdin } from '../prompt.js';
import { findTeam } from '../resolve-identity.js';

const list = (values: readonly string[]) => (values.length === 0 ? '—' : values.join(', '));

const SUMMARY: readonly Column<IdpRecord>[] = [
  { header: 'Name', value: (idp) => idp.name },
  { header: 'Issuer', value: (idp) => idp.issuer },
  { header: 'Client ID', value: (idp) => idp.client_id },
  { header: 'Enabled', value: (idp) => (idp.enabled ? 'yes' : 'no') },
  { header: 'SCIM', value: (idp) => (idp.scim_enabled ? 'on' : 'off') },
  { header: 'Created', value: (idp) => formatTime(idp.created_at) },
];

const DETAILS: readonly Column<IdpRecord>[] = [
  { header: 'ID', value: (idp) => idp.id },
  { header: 'Name', value: (idp) => idp.name },
  { header: 'Display name', value: (idp) => idp.display_name },
  { header: 'Issuer', value: (idp) => idp.issuer },
  { header: 'Client ID', value: (idp) => idp.client_id },
  { header: 'Client secret', value: (idp) => (idp.client_secret_set ? 'set' : 'none (public client)') },
  { header: 'Audience', value: (idp) => idp.audience },
  { header: 'Scopes', value: (idp) => list(idp.scopes) },
  { header: 'User claims', value: (idp) => list(idp.user_claims) },
  { header: 'Allowed domains', value: (idp) => (idp.allowed_domains.length === 0 ? 'any' : list(idp.allowed_domains)) },
  { header: 'Auto-provision', value: (idp) => (idp.auto_provision ? `yes, as ${idp.default_role}` : 'no') },
  { header: 'Groups claim', value: (idp) => idp.groups_claim },
  { header: 'Group → team', value: (idp) => list(Object.entries(idp.group_teams).map(([group, team]) => `${group} → ${team}`)) },
  { header: 'Admin groups', value: (idp) => list(idp.admin_groups) },
  { header: 'Enabled', value: (idp) => (idp.enabled ? 'yes' : 'no') },
  { header: 'SCIM', value: (idp) => (idp.scim_enabled ? 'on' : 'off') },
  { header: 'Redirect URI', value: (idp) => idp.redirect_uri },
  { header: 'Sign-in URL', value: (idp) => idp.login_url },
];

interface ProviderOptions {
  issuer?: string;
  clientId?: string;
  clientSecretStdin?: boolean;
  publicClient?: boolean;
  displayName?: string;
  audience?: string;
  scopes?: string;
  userClaims?: string;
  allowedDomains?: string;
  autoProvision?: boolean;
  defaultRole?: 'admin' | 'member';
  groupsClaim?: string;
  groupTeam?: string[];
  adminGroup?: string[];
  enabled?: boolean;
}

const csv = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The options both `add` and `update` take; `update` changes only what is given. */
function providerOptions(command: Command): Command {
  return command
    .option('--display-name <text>', 'the name people see on the sign-in page')
    .option('--client-secret-stdin', 'read the client secret from stdin (prompted when stdin is a terminal)')
    .option('--audience <aud>', 'the aud that IdP-issued JWTs must carry on the data plane (default: the client id)')
    .option('--scopes <list>', 'comma-separated scopes asked for at sign-in (default: openid,email,profile)')
    .option('--user-claims <list>', 'comma-separated claims tried in order for the email (default: email,preferred_username,upn,sub)')
    .option('--allowed-domains <list>', 'comma-separated email domains allowed to sign in (default: any)')
    .addOption(new Option('--default-role <role>', 'role of auto-provisioned users').choices(['admin', 'member']))
    .option('--groups-claim <claim>', 'the claim that lists the user\'s groups (default: groups)')
    .option('--group-team <group=team>', 'users in GROUP join TEAM (id or name); repeat for more groups', collect)
    .option('--admin-group <group>', 'members of this group get the admin role; repeat for more', collect);
}

async function toBody(client: AdminClient, io: CliIo, options: ProviderOptions): Promise<UpdateIdpInput> {
  let groupTeams: Record<string, string> | undefined;
  if (options.groupTeam) {
    const teams = await client.listTeams();
    groupTeams = {};
    for (const pair of options.groupTeam) {
      const at = pair.indexOf('=');
      if (at <= 0 || at === pair.length - 1) throw new UsageError(`--group-team takes GROUP=TEAM, got "${pair}"`);
      groupTeams[pair.slice(0, at)] = findTeam(teams, pair.slice(at + 1)).id;
    }
  }
  return {
    issuer: options.issuer,
    client_id: options.clientId,
    client_secret: options.clientSecretStdin ? await readSecretFromStdin(io, 'client secret', '--client-secret-stdin') : options.publicClient ? null : undefined,
    display_name: options.displayName,
    audience: options.audience,
    scopes: options.scopes === undefined ? undefined : csv(options.scopes),
    user_claims: options.userClaims === undefined ? undefined : csv(options.userClaims),
    allowed_domains: options.allowedDomains === undefined ? undefined : csv(options.allowedDomains),
    auto_provision: options.autoProvision,
    default_role: options.defaultRole,
    groups_claim: options.groupsClaim,
    group_teams: groupTeams,
    admin_groups: options.adminGroup,
    enabled: options.enabled,
  };
}

export function registerIdpsCommands(program: Command, io: CliIo): void {
  const idps = program.command('idps').description('OIDC identity providers for single sign-on');

  gatewayOptions(idps.command('list'))
    .description('list identity providers')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        out.list(await client.listIdps(), SUMMARY, 'No identity providers yet. Add one with: ccag idps add <name> --issuer <url> --client-id <id> --client-secret-stdin');
      }),
    );

  gatewayOptions(idps.command('show'))
    .description('show one identity provider, with the redirect URI to register at the IdP')
    .argument('<id|name>', 'provider id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const found = (await client.listIdps()).find((idp) => idp.id === reference || idp.name === reference);
        if (!found) throw new UsageError(`no identity provider "${reference}"; see "ccag idps list"`);
        out.record(found, DETAILS);
      }),
    );

  providerOptions(gatewayOptions(idps.command('add')))
    .description('add an identity provider (its discovery document is checked first)')
    .argument('<name>', 'a short name: lowercase letters, digits and dashes (it appears in sign-in URLs)')
    .requiredOption('--issuer <url>', 'the issuer URL (https; discovery at <issuer>/.well-known/openid-configuration)')
    .requiredOption('--client-id <id>', 'the client (application) id registered at the IdP')
    .option('--no-auto-provision', 'refuse people who have no CCAG user yet (default: create them on first sign-in)')
    .option('--disabled', 'add it switched off')
    .action((name: string, options: ProviderOptions & { disabled?: boolean }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const body = await toBody(client, io, { ...options, enabled: options.disabled ? false : undefined });
        const created = await client.createIdp({ ...body, name, issuer: options.issuer!, client_id: options.clientId! });
        out.record(created, DETAILS, `Added ${created.name}. Register this redirect URI at the IdP: ${created.redirect_uri}`);
      }),
    );

  providerOptions(gatewayOptions(idps.command('update')))
    .description('change an identity provider; only the options given change')
    .argument('<id|name>', 'provider id or name')
    .option('--issuer <url>', 'a new issuer URL (checked by discovery)')
    .option('--client-id <id>', 'a new client id')
    .option('--public-client', 'remove the client secret (a public client with PKCE only)')
    .option('--auto-provision', 'create people who have no CCAG user yet on first sign-in')
    .option('--no-auto-provision', 'refuse people who have no CCAG user yet')
    .option('--enable', 'switch the provider on')
    .option('--disable', 'switch the provider off: nobody can sign in through it and its JWTs are refused')
    .action((reference: string, options: ProviderOptions & { enable?: boolean; disable?: boolean }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        if (options.enable && options.disable) throw new UsageError('give --enable or --disable, not both');
        const enabled = options.enable ? true : options.disable ? false : undefined;
        const body = await toBody(client, io, { ...options, enabled });
        if (Object.values(body).every((value) => value === undefined)) throw new UsageError('nothing to change: give at least one option (see --help)');
        const updated = await client.updateIdp(reference, body);
        out.record(updated, DETAILS, `Updated ${updated.name}.`);
      }),
    );

  gatewayOptions(idps.command('remove'))
    .description('remove an identity provider and its SCIM tokens; its users keep their accounts and history')
    .argument('<id|name>', 'provider id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        await client.deleteIdp(reference);
        out.done(`Removed identity provider ${reference}.`, { idp: reference, removed: true });
      }),
    );
}
