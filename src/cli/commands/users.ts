/**
 * `ccag users list | create | update | deactivate | reactivate | delete`. Users are referred to by
 * id or email, teams by id or name. Deactivating or deleting a user cuts off their keys and admin
 * sessions at once; their spend history is always kept.
 */
import { Option, type Command } from 'commander';
import type { AdminClient } from '../admin-client.js';
import type { UpdateUserInput, UserRecord, UserRole, UserStatus } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';
import { findTeam, findUser } from '../resolve-identity.js';

const USER_COLUMNS: readonly Column<UserRecord>[] = [
  { header: 'ID', value: (user) => user.id },
  { header: 'Email', value: (user) => user.email },
  { header: 'Name', value: (user) => user.display_name },
  { header: 'Role', value: (user) => user.role },
  { header: 'Status', value: (user) => user.status },
  { header: 'Team', value: (user) => user.team_name },
  { header: 'Created', value: (user) => formatTime(user.created_at) },
];

interface ListOptions {
  team?: string;
  status?: UserStatus;
}

interface CreateOptions {
  name?: string;
  role?: UserRole;
  team?: string;
}

/** `--team <id|name>` or `--no-team` (false): commander folds both into one option. */
interface UpdateOptions {
  name?: string;
  role?: UserRole;
  team?: string | false;
}

const roleOption = () => new Option('--role <role>', 'admin (everything) or member (own keys and usage)').choices(['admin', 'member']);

async function teamId(client: AdminClient, reference: string): Promise<string> {
  return findTeam(await client.listTeams(), reference).id;
}

export function registerUsersCommands(program: Command, io: CliIo): void {
  const users = program.command('users').description('create, list, update, deactivate and delete users');

  gatewayOptions(users.command('list'))
    .description('list users (deleted users are not shown)')
    .option('--team <id|name>', "only this team's members")
    .addOption(new Option('--status <status>', 'only active or only deactivated users').choices(['active', 'deactivated']))
    .action((options: ListOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const team = options.team === undefined ? undefined : await teamId(client, options.team);
        const listed = await client.listUsers({ teamId: team, status: options.status });
        out.list(listed, USER_COLUMNS, 'No users match. Create one with: ccag users create <email>');
      }),
    );

  gatewayOptions(users.command('create'))
    .description('create a user (a member unless --role admin)')
    .argument('<email>', "the user's email, their identity")
    .option('--name <display-name>', 'display name')
    .addOption(roleOption())
    .option('--team <id|name>', 'the team the user belongs to')
    .action((email: string, options: CreateOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const team = options.team === undefined ? undefined : await teamId(client, options.team);
        const user = await client.createUser({ email, display_name: options.name, role: options.role, team_id: team });
        out.record(user, USER_COLUMNS, `Created ${user.role} ${user.email}.`);
      }),
    );

  gatewayOptions(users.command('update'))
    .description("change a user's display name, role or team")
    .argument('<id|email>', 'user id or email')
    .option('--name <display-name>', 'new display name')
    .addOption(roleOption())
    .option('--team <id|name>', 'move the user to this team')
    .option('--no-team', 'take the user out of their team')
    .action((reference: string, options: UpdateOptions, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const body: UpdateUserInput = { display_name: options.name, role: options.role };
        if (options.team === false) body.team_id = null;
        else if (options.team !== undefined) body.team_id = await teamId(client, options.team);
        if (Object.values(body).every((value) => value === undefined)) throw new UsageError('nothing to change: give --name, --role, --team or --no-team');
        const user = findUser(await client.listUsers(), reference);
        const updated = await client.updateUser(user.id, body);
        out.record(updated, USER_COLUMNS, `Updated ${updated.email}.`);
      }),
    );

  for (const [name, active, effect] of [
    ['deactivate', false, 'their keys and admin sessions stop working at once'],
    ['reactivate', true, 'their keys work again; they must log in again for an admin session'],
  ] as const) {
    gatewayOptions(users.command(name))
      .description(`${name} a user: ${effect}`)
      .argument('<id|email>', 'user id or email')
      .action((reference: string, _options: unknown, command: Command) =>
        runGatewayCommand(io, command, async ({ client, out }) => {
          const user = findUser(await client.listUsers(), reference);
          const changed = await client.setUserActive(user.id, active);
          out.record(changed, USER_COLUMNS, `${active ? 'Reactivated' : 'Deactivated'} ${changed.email}.`);
        }),
      );
  }

  gatewayOptions(users.command('delete'))
    .description('delete a user: their keys are revoked and sessions ended; their spend history is kept')
    .argument('<id|email>', 'user id or email')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const user = findUser(await client.listUsers(), reference);
        await client.deleteUser(user.id);
        out.done(`Deleted ${user.email} (${user.id}); their keys are revoked and their spend history is kept.`, { id: user.id, email: user.email, deleted: true });
      }),
    );
}
