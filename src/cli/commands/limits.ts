/**
 * `ccag limits list | set | clear`: rate limits (requests per minute, tokens per minute,
 * concurrent requests) of one key, user or team, over the defaults from the gateway's settings.
 * Subjects are named like elsewhere: a key by id or prefix, a user by id or email, a team by id
 * or name. A limit is a positive number, `unlimited`, or `default` (back to the setting).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { AdminClient } from '../admin-client.js';
import type { RateLimitOverrideRecord, RateLimitScope, RateLimitsRecord, SetRateLimitInput } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, renderTable, type Cell, type Column } from '../output.js';
import { findKey } from '../resolve.js';
import { findTeam, findUser } from '../resolve-identity.js';

type LimitValue = number | 'unlimited' | null;
type Limits = { rpm: number | null; tpm: number | null; concurrency: number | null };

const SCOPES: readonly RateLimitScope[] = ['key', 'user', 'team'];

/** A limit as typed: `60`, `200k` (tokens), `unlimited`, or `default`. */
export function parseLimit(raw: string): LimitValue {
  const text = raw.trim().toLowerCase().replace(/_/g, '');
  if (text === 'unlimited') return 'unlimited';
  if (text === 'default') return null;
  const match = /^(\d+)(k|m)?$/.exec(text);
  const value = match ? Number(match[1]) * (match[2] === 'k' ? 1_000 : match[2] === 'm' ? 1_000_000 : 1) : NaN;
  if (!Number.isSafeInteger(value) || value <= 0) throw new InvalidArgumentError('expected a positive number (e.g. 60 or 200k), "unlimited" or "default"');
  return value;
}

function parseScope(raw: string): RateLimitScope {
  const scope = raw.trim().toLowerCase() as RateLimitScope;
  if (!SCOPES.includes(scope)) throw new InvalidArgumentError('expected key, user or team');
  return scope;
}

const unlimitedIfNull = (value: number | null): Cell => value ?? 'unlimited';
const overrideCell = (value: LimitValue): Cell => value ?? 'default';

const DEFAULT_COLUMNS: readonly Column<[RateLimitScope, Limits]>[] = [
  { header: 'Scope', value: ([scope]) => scope },
  { header: 'RPM', value: ([, limits]) => unlimitedIfNull(limits.rpm), align: 'right' },
  { header: 'TPM', value: ([, limits]) => unlimitedIfNull(limits.tpm), align: 'right' },
  { header: 'Concurrency', value: ([, limits]) => unlimitedIfNull(limits.concurrency), align: 'right' },
];

const OVERRIDE_COLUMNS: readonly Column<RateLimitOverrideRecord>[] = [
  { header: 'Scope', value: (row) => row.subject_type },
  { header: 'Subject', value: (row) => row.subject_name ?? `${row.subject_id} (deleted)` },
  { header: 'RPM', value: (row) => overrideCell(row.rpm), align: 'right' },
  { header: 'TPM', value: (row) => overrideCell(row.tpm), align: 'right' },
  { header: 'Concurrency', value: (row) => overrideCell(row.concurrency), align: 'right' },
  { header: 'Updated', value: (row) => formatTime(row.updated_at) },
];

const OVERRIDE_FIELDS: readonly Column<RateLimitOverrideRecord>[] = [
  ...OVERRIDE_COLUMNS.slice(0, 2),
  { header: 'ID', value: (row) => row.subject_id },
  { header: 'RPM', value: (row) => `${unlimitedIfNull(row.effective.rpm)}${row.rpm === null ? ' (default)' : ''}` },
  { header: 'TPM', value: (row) => `${unlimitedIfNull(row.effective.tpm)}${row.tpm === null ? ' (default)' : ''}` },
  { header: 'Concurrency', value: (row) => `${unlimitedIfNull(row.effective.concurrency)}${row.concurrency === null ? ' (default)' : ''}` },
];

function describeLimits(response: RateLimitsRecord): string {
  const defaults = renderTable(
    SCOPES.map((scope) => [scope, response.defaults[scope]] as [RateLimitScope, Limits]),
    DEFAULT_COLUMNS,
  );
  const overrides =
    response.data.length === 0 ? 'No overrides. Set one with: ccag limits set <key|user|team> <subject> --rpm <n>\n' : renderTable(response.data, OVERRIDE_COLUMNS);
  return `Defaults (from settings):\n${defaults}\nOverrides:\n${overrides}`;
}

/** The id of the subject a person named. */
async function subjectId(client: AdminClient, scope: RateLimitScope, reference: string): Promise<string> {
  if (scope === 'key') return findKey(await client.listKeys({ includeRevoked: true }), reference).id;
  if (scope === 'user') return findUser(await client.listUsers(), reference).id;
  return findTeam(await client.listTeams(), reference).id;
}

interface SetOptions {
  rpm?: LimitValue;
  tpm?: LimitValue;
  concurrency?: LimitValue;
}

export function registerLimitsCommands(program: Command, io: CliIo): void {
  const limits = program.command('limits').description('show and set rate limits of keys, users and teams');

  gatewayOptions(limits.command('list'))
    .description('show the default rate limits and every override')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const response = await client.getRateLimits();
        if (out.json) out.done('', response);
        else out.text(describeLimits(response).trimEnd());
      }),
    );

  gatewayOptions(limits.command('set'))
    .description('override rate limits of one key, user or team (limits not given keep their value)')
    .argument('<scope>', 'key, user or team', parseScope)
    .argument('<subject>', 'key id or prefix, user id or email, team id or name')
    .option('--rpm <n>', 'requests per minute (a number, "unlimited" or "default")', parseLimit)
    .option('--tpm <n>', 'input + output tokens per minute, e.g. 200k', parseLimit)
    .option('--concurrency <n>', 'requests in flight at once', parseLimit)
    .action((scope: RateLimitScope, reference: string, options: SetOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const body: SetRateLimitInput = { rpm: options.rpm, tpm: options.tpm, concurrency: options.concurrency };
        if (Object.values(body).every((value) => value === undefined)) throw new UsageError('give at least one of --rpm, --tpm, --concurrency');
        const row = await client.setRateLimit(scope, await subjectId(client, scope, reference), body);
        out.record(row, OVERRIDE_FIELDS, `Set the rate limits of ${scope} ${reference}.`);
      }),
    );

  gatewayOptions(limits.command('clear'))
    .description('put one key, user or team back on the default rate limits')
    .argument('<scope>', 'key, user or team', parseScope)
    .argument('<subject>', 'key id or prefix, user id or email, team id or name')
    .action((scope: RateLimitScope, reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const id = await subjectId(client, scope, reference);
        await client.clearRateLimit(scope, id);
        out.done(`The ${scope} ${reference} is back on the default rate limits.`, { subject_type: scope, subject_id: id, cleared: true });
      }),
    );
}
