/**
 * `ccag policies list | show | create | update | delete | move | resolve | mode | drift`: fleet
 * policies (docs/policies.md). Policies are referred to by id or name, teams by id or name;
 * `--settings` takes a JSON document inline or `@file`.
 */
import { readFileSync } from 'node:fs';
import { Argument, Option, type Command } from 'commander';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column, type Output } from '../output.js';
import { policiesClient, type DriftRecord, type PolicyBody, type PolicyMode, type PolicyRecord, type ResolveRecord } from '../policies-client.js';
import { findTeam } from '../resolve-identity.js';
import type { AdminClient } from '../admin-client.js';

const MODES: readonly PolicyMode[] = ['first_match', 'layered'];

export function matchSummary(policy: PolicyRecord): string {
  if (policy.match.everyone) return 'everyone';
  return [
    ...policy.match.teams.map((team) => `team:${team.name ?? team.id}`),
    ...policy.match.groups.map((group) => `group:${group}`),
    ...policy.match.domains.map((domain) => `domain:${domain}`),
  ].join(', ');
}

const COLUMNS: readonly Column<PolicyRecord>[] = [
  { header: 'Order', value: (p) => p.position },
  { header: 'Name', value: (p) => p.name },
  { header: 'Matches', value: matchSummary },
  { header: 'Models', value: (p) => p.allowed_models?.join(', ') ?? 'any' },
  { header: 'Default model', value: (p) => p.default_model ?? '' },
];

const FIELDS: readonly Column<PolicyRecord>[] = [
  { header: 'ID', value: (p) => p.id },
  { header: 'Name', value: (p) => p.name },
  { header: 'Order', value: (p) => p.position },
  { header: 'Matches', value: matchSummary },
  { header: 'Models', value: (p) => p.allowed_models?.join(', ') ?? 'any' },
  { header: 'Default model', value: (p) => p.default_model ?? '(none)' },
  { header: 'Settings', value: (p) => JSON.stringify(p.settings) },
  { header: 'Updated', value: (p) => `${formatTime(p.updated_at)}${p.updated_by ? ` by ${p.updated_by}` : ''}` },
];

const list = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((part) => part.trim()).filter((part) => part.length > 0);

function settingsOf(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`--settings: cannot read ${value.slice(1)}: ${(error as Error).message}`);
    }
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--settings: ${(error as Error).message}; give a JSON object or @file`);
  }
}

function findPolicy(policies: readonly PolicyRecord[], reference: string): PolicyRecord {
  const found = policies.find((p) => p.id === reference) ?? policies.find((p) => p.name === reference) ?? policies.find((p) => p.name.toLowerCase() === reference.toLowerCase());
  if (!found) throw new CliError(`no policy has the id or name "${reference}"; see "ccag policies list"`);
  return found;
}

interface EditOptions {
  name?: string;
  everyone?: boolean;
  teams?: string;
  groups?: string;
  domains?: string;
  models?: string;
  anyModel?: boolean;
  defaultModel?: string | false;
  settings?: string;
}

/** The request body from the flags given; `current` supplies the match parts a flag leaves out. */
async function bodyOf(client: AdminClient, options: EditOptions, current?: PolicyRecord): Promise<PolicyBody> {
  const teams = list(options.teams);
  const teamIds = teams === undefined ? undefined : await (async () => {
    const all = await client.listTeams();
    return teams.map((reference) => findTeam(all, reference).id);
  })();
  const matchGiven = options.everyone !== undefined || teams !== undefined || options.groups !== undefined || options.domains !== undefined;
  const body: PolicyBody = {};
  if (options.name !== undefined) body.name = options.name;
  if (matchGiven || !current) {
    body.match = {
      everyone: options.everyone ?? current?.match.everyone ?? false,
      teams: teamIds ?? current?.match.teams.map((team) => team.id) ?? [],
      groups: list(options.groups) ?? current?.match.groups ?? [],
      domains: list(options.domains) ?? current?.match.domains ?? [],
    };
  }
  if (options.anyModel) body.allowed_models = null;
  else if (options.models !== undefined) body.allowed_models = list(options.models)!;
  if (options.defaultModel === false) body.default_model = null;
  else if (options.defaultModel !== undefined) body.default_model = options.defaultModel;
  const settings = settingsOf(options.settings);
  if (settings !== undefined) body.settings = settings;
  return body;
}

function saved(out: Output, policy: PolicyRecord, headline: string): void {
  for (const warning of policy.warnings ?? []) out.warn(warning);
  out.record(policy, FIELDS, headline);
}

function editOptions(command: Command): Command {
  return command
    .option('--everyone', 'match every user (a base policy)')
    .option('--no-everyone', 'stop matching every user')
    .option('--teams <list>', 'match these teams (names or ids, comma-separated)')
    .option('--groups <list>', 'match members of these IdP groups (SCIM group names, comma-separated)')
    .option('--domains <list>', 'match these email domains (comma-separated)')
    .option('--models <patterns>', 'allowed models, comma-separated; * matches anything (claude-sonnet-4*)')
    .option('--default-model <model>', 'the model Claude Code starts with (managed settings "model")')
    .option('--settings <json>', 'the managed-settings.json document: inline JSON or @file');
}

function printResolve(out: Output, resolved: ResolveRecord): void {
  if (out.json) return out.record(resolved, []);
  const lines = [
    `User:      ${resolved.user.email}${resolved.user.groups.length > 0 ? ` (groups: ${resolved.user.groups.join(', ')})` : ''}`,
    `Mode:      ${resolved.mode}`,
    `Matching:  ${resolved.matching.map((p) => `${p.position}. ${p.name}`).join(', ') || '(none)'}`,
  ];
  const effective = resolved.effective;
  if (!effective) lines.push('Applied:   no policy applies: any model, no managed settings (GET /managed/settings answers 404)');
  else {
    lines.push(`Applied:   ${effective.policies.map((p) => p.name).join(' + ')}`);
    lines.push(`Models:    ${effective.allowlists.map((a) => `${a.models.join(', ')} (${a.policy})`).join(' AND ') || 'any'}`);
    lines.push(`Default:   ${effective.default_model ?? '(none)'}`);
    for (const dropped of effective.dropped_default_models) {
      lines.push(`Dropped:   default ${dropped.model} (${dropped.policy}): not allowed by ${dropped.refused_by}`);
    }
    lines.push(`Checksum:  ${effective.checksum}`);
    lines.push(`Settings:  ${JSON.stringify(effective.settings)}`);
  }
  out.text(lines.join('\n'));
}

function printDrift(out: Output, drift: DriftRecord): void {
  if (out.json) return out.record(drift, []);
  const { summary } = drift;
  out.text(`Sessions since ${drift.since}: ${summary.sessions} (current ${summary.current}, stale ${summary.stale}, unknown ${summary.unknown}, no policy ${summary.no_policy})\n`);
  out.list(
    drift.sessions,
    [
      { header: 'Status', value: (s) => s.status },
      { header: 'User', value: (s) => s.email ?? s.user_id },
      { header: 'Session', value: (s) => s.session_id },
      { header: 'Reported', value: (s) => s.checksum?.slice(0, 19) ?? '(none)' },
      { header: 'Expected', value: (s) => s.expected_checksum?.slice(0, 19) ?? '' },
      { header: 'Last seen', value: (s) => formatTime(s.last_seen_at) },
    ],
    'No session is on stale or unknown settings.',
  );
}

export function registerPoliciesCommands(program: Command, io: CliIo): void {
  const policies = program.command('policies').description('fleet policies: allowed models, default model and Claude Code managed settings per team, group or domain');

  gatewayOptions(policies.command('list'))
    .description('list the policies in order, and the resolution mode')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const api = policiesClient(client);
        const [rows, { mode }] = await Promise.all([api.list(), api.mode()]);
        if (!out.json) out.text(`Mode: ${mode}\n`);
        out.list(rows, COLUMNS, 'No policies yet: every user may use any model. Create one with "ccag policies create <name> --everyone --models ..."');
      }),
    );

  gatewayOptions(policies.command('show'))
    .description('show one policy with its settings document')
    .argument('<policy>', 'policy id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const api = policiesClient(client);
        out.record(await api.get(findPolicy(await api.list(), reference).id), FIELDS);
      }),
    );

  editOptions(gatewayOptions(policies.command('create')))
    .description('create a policy (it goes last; see "ccag policies move")')
    .argument('<name>', 'policy name')
    .action((name: string, options: EditOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const created = await policiesClient(client).create({ ...(await bodyOf(client, options)), name });
        saved(out, created, `Created policy ${created.name} (order ${created.position}).`);
      }),
    );

  editOptions(gatewayOptions(policies.command('update')))
    .description('change a policy; flags left out keep their value')
    .argument('<policy>', 'policy id or name')
    .option('--name <name>', 'rename the policy')
    .option('--any-model', 'remove the model allowlist')
    .addOption(new Option('--no-default-model', 'remove the default model'))
    .action((reference: string, options: EditOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const api = policiesClient(client);
        const current = findPolicy(await api.list(), reference);
        const updated = await api.update(current.id, await bodyOf(client, options, current));
        saved(out, updated, `Updated policy ${updated.name}.`);
      }),
    );

  gatewayOptions(policies.command('delete'))
    .description('delete a policy')
    .argument('<policy>', 'policy id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const api = policiesClient(client);
        const policy = findPolicy(await api.list(), reference);
        await api.delete(policy.id);
        out.done(`Deleted policy ${policy.name}.`, { id: policy.id, name: policy.name, deleted: true });
      }),
    );

  gatewayOptions(policies.command('move'))
    .description('move a policy to a position (1 is tried first / layered first)')
    .argument('<policy>', 'policy id or name')
    .argument('<position>', 'new position, from 1')
    .action((reference: string, position: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const to = Number(position);
        if (!Number.isInteger(to) || to < 1) throw new UsageError('<position> must be a whole number from 1');
        const api = policiesClient(client);
        const { data } = await api.move(findPolicy(await api.list(), reference).id, to);
        out.list(data, COLUMNS, '');
      }),
    );

  gatewayOptions(policies.command('resolve'))
    .description('show which policies apply to a user and what they add up to')
    .argument('<user>', 'user email or id')
    .action((user: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => printResolve(out, await policiesClient(client).resolve(user))),
    );

  gatewayOptions(policies.command('mode'))
    .description('show or set how policies combine: first_match (the first matching applies) or layered (every match, in order)')
    .addArgument(new Argument('[mode]', 'first_match or layered').choices(MODES))
    .action((mode: PolicyMode | undefined, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const api = policiesClient(client);
        const result = mode === undefined ? await api.mode() : await api.setMode(mode);
        out.done(mode === undefined ? `Mode: ${result.mode}` : `Mode set to ${result.mode}.`, result);
      }),
    );

  gatewayOptions(policies.command('drift'))
    .description('Claude Code sessions on stale or unknown managed settings')
    .option('--hours <n>', 'look at sessions seen in the last n hours (default 24)')
    .option('--all', 'list current sessions too')
    .action((options: { hours?: string; all?: boolean }, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const hours = options.hours === undefined ? undefined : Number(options.hours);
        if (hours !== undefined && (!Number.isInteger(hours) || hours < 1)) throw new UsageError('--hours must be a whole number from 1');
        printDrift(out, await policiesClient(client).drift({ hours, all: options.all }));
      }),
    );
}
