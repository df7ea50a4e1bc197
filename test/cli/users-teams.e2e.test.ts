/**
 * `ccag users` and `ccag teams` as a user runs them: the built executable in a child process
 * against a real gateway on SQLite and PostgreSQL (run `npm run build` first). The process
 * helper mirrors cli.e2e.test.ts: a scrubbed environment and a private CCAG_CONFIG_DIR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import type { TestGateway } from '../support/gateway.js';


describe.each(['sqlite', 'postgres'] as const)('ccag users and teams on %s', (database) => {
  let cli: LoggedInCli | undefined;
  let gateway: TestGateway | undefined;

  const ccag = (args: string[]) => cli!.ccag(args);

  const json = <T = any>(args: string[]) => cli!.json<T>(args);

  beforeAll(async () => {
    cli = await startLoggedInCli(database);
    gateway = cli?.gateway;
  });
  afterAll(async () => {
    await cli?.close();
  });

  it('creates, lists, renames and deletes teams', async ({ skip }) => {
    if (!gateway) return skip();
    const team = await json<{ id: string; name: string; member_count: number }>(['teams', 'create', 'cli-team']);
    expect(team).toMatchObject({ name: 'cli-team', member_count: 0 });

    const table = await ccag(['teams', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID +NAME +MEMBERS +KEYS +CREATED$/m);
    expect(table.stdout).toContain('cli-team');

    const renamed = await ccag(['teams', 'rename', 'cli-team', 'cli-team-2']);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toMatch(/^Renamed team cli-team to cli-team-2\.$/m);

    const duplicate = await ccag(['teams', 'create', 'cli-team-2']);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toBe('error: a team named "cli-team-2" already exists (HTTP 409, conflict)\n');

    expect(await json(['teams', 'delete', team.id])).toEqual({ id: team.id, name: 'cli-team-2', deleted: true });
    const missing = await ccag(['teams', 'delete', 'cli-team-2']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'error: no team has the id or name "cli-team-2"; see "ccag teams list"\n' });
  });

  it('creates, lists, updates, deactivates, reactivates and deletes users', async ({ skip }) => {
    if (!gateway) return skip();
    const team = await json<{ id: string }>(['teams', 'create', 'cli-users']);
    const user = await json<{ id: string; email: string; role: string; team_name: string }>([
      'users', 'create', 'Cli.User@Example.com', '--name', 'CLI User', '--team', 'cli-users',
    ]);
    expect(user).toMatchObject({ email: 'cli.user@example.com', role: 'member', team_name: 'cli-users' });
    const lastAdmin = await ccag(['users', 'deactivate', gateway.adminUsername]);
    expect(lastAdmin).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: ${gateway.adminUsername} is the last active admin; make another user an admin first (HTTP 409, conflict)\n`,
    });

    const inTeam = await json<Array<{ email: string }>>(['users', 'list', '--team', 'cli-users']);
    expect(inTeam.map((row) => row.email)).toEqual(['cli.user@example.com']);
    const table = await ccag(['users', 'list']);
    expect(table.stdout).toMatch(/^ID +EMAIL +NAME +ROLE +STATUS +TEAM +CREATED$/m);
    expect(table.stdout).toMatch(/cli\.user@example\.com +CLI User +member +active +cli-users/);

    const teamDelete = await ccag(['teams', 'delete', 'cli-users']);
    expect(teamDelete.code).toBe(1);
    expect(teamDelete.stderr).toMatch(/^error: team "cli-users" still has 1 member\(s\)/);

    const updated = await json<{ role: string; team_id: string | null }>(['users', 'update', 'cli.user@example.com', '--role', 'admin', '--no-team']);
    expect(updated).toMatchObject({ role: 'admin', team_id: null });
    const nothing = await ccag(['users', 'update', user.id]);
    expect(nothing).toMatchObject({ code: 2, stderr: 'error: nothing to change: give --name, --role, --team or --no-team\n' });
    const badRole = await ccag(['users', 'create', 'x@example.com', '--role', 'owner']);
    expect(badRole.code).toBe(2);

    const deactivated = await ccag(['users', 'deactivate', user.id]);
    expect(deactivated.stdout).toMatch(/^Deactivated cli\.user@example\.com\.$/m);
    expect((await json<Array<{ id: string }>>(['users', 'list', '--status', 'deactivated'])).map((row) => row.id)).toEqual([user.id]);
    expect(await json<{ status: string }>(['users', 'reactivate', 'CLI.USER@example.com'])).toMatchObject({ status: 'active' });

    expect(await json(['users', 'delete', user.id])).toEqual({ id: user.id, email: 'cli.user@example.com', deleted: true });
    const gone = await ccag(['users', 'delete', 'cli.user@example.com']);
    expect(gone).toEqual({ code: 1, stdout: '', stderr: 'error: no user has the id or email "cli.user@example.com"; see "ccag users list"\n' });
    expect((await ccag(['teams', 'delete', team.id])).code).toBe(0);
  });
});
