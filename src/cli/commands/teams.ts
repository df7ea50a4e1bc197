/**
 * `ccag teams list | create | rename | delete`. Teams are referred to by id or name; the gateway
 * refuses to delete a team that still has members or active keys, and says which.
 */
import type { Command } from 'commander';
import type { TeamRecord } from '../admin-types.js';
import { gatewayOptions, runGatewayCommand } from '../context.js';
import type { CliIo } from '../io.js';
import { formatTime, type Column } from '../output.js';
import { findTeam } from '../resolve-identity.js';

const TEAM_COLUMNS: readonly Column<TeamRecord>[] = [
  { header: 'ID', value: (team) => team.id },
  { header: 'Name', value: (team) => team.name },
  { header: 'Members', value: (team) => team.member_count, align: 'right' },
  { header: 'Keys', value: (team) => team.key_count, align: 'right' },
  { header: 'Created', value: (team) => formatTime(team.created_at) },
];

export function registerTeamsCommands(program: Command, io: CliIo): void {
  const teams = program.command('teams').description('create, list, rename and delete teams');

  gatewayOptions(teams.command('list'))
    .description('list teams with their member and active key counts')
    .action((_options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        out.list(await client.listTeams(), TEAM_COLUMNS, 'No teams yet. Create one with: ccag teams create <name>');
      }),
    );

  gatewayOptions(teams.command('create'))
    .description('create a team')
    .argument('<name>', 'a unique team name')
    .action((name: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const team = await client.createTeam(name);
        out.record(team, TEAM_COLUMNS, `Created team ${team.name}.`);
      }),
    );

  gatewayOptions(teams.command('rename'))
    .description('rename a team')
    .argument('<id|name>', 'team id or current name')
    .argument('<new-name>', 'the new, unique name')
    .action((reference: string, name: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const team = findTeam(await client.listTeams(), reference);
        const renamed = await client.renameTeam(team.id, name);
        out.record(renamed, TEAM_COLUMNS, `Renamed team ${team.name} to ${renamed.name}.`);
      }),
    );

  gatewayOptions(teams.command('delete'))
    .description('delete a team that has no members and no active keys')
    .argument('<id|name>', 'team id or name')
    .action((reference: string, _options: unknown, command: Command) =>
      runGatewayCommand(io, command, async ({ client, out }) => {
        const team = findTeam(await client.listTeams(), reference);
        await client.deleteTeam(team.id);
        out.done(`Deleted team ${team.name} (${team.id}).`, { id: team.id, name: team.name, deleted: true });
      }),
    );
}
