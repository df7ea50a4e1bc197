/**
 * `ccag admin-keys` and `ccag keys create --team` as a user runs them: the built executable in a
 * child process against a real gateway on SQLite and PostgreSQL (run `npm run build` first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import type { TestGateway } from '../support/gateway.js';

describe.each(['sqlite', 'postgres'] as const)('ccag admin-keys and keys create --team on %s', (database) => {
  let cli: LoggedInCli | undefined;
  let gateway: TestGateway | undefined;

  const ccag = (args: string[], env: Record<string, string> = {}) => cli!.ccag(args, env);

  const SHOWN_ONCE = 'warning: this is the only time the key is shown; store it somewhere safe now, it cannot be shown again\n';

  /** `--json` output; creating a key also warns on stderr (never on stdout, so the JSON stays clean). */
  const json = <T = any>(args: string[]) => cli!.json<T>(args, args[1] === 'create' && /keys$/.test(args[0]!) ? SHOWN_ONCE : '');

  beforeAll(async () => {
    cli = await startLoggedInCli(database);
    gateway = cli?.gateway;
  });
  afterAll(async () => {
    await cli?.close();
  });

  it('creates an admin key shown once, uses it as the token, lists and revokes it by prefix', async ({ skip }) => {
    if (!gateway) return skip();
    const created = await ccag(['admin-keys', 'create', '--name', 'ci']);
    expect(created.code).toBe(0);
    const key = /^ {4}(ccag-admin-[0-9a-f]{64})$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    expect(created.stdout).toMatch(/^Created admin API key ccag-admin-[0-9a-f]{6} \(ci\) for admin@example\.com\.$/m);
    expect(created.stderr).toBe(SHOWN_ONCE);

    // The key works wherever a session token does: here as $CCAG_TOKEN for another command.
    const viaKey = await ccag(['keys', 'list', '--json'], { CCAG_TOKEN: key! });
    expect(viaKey.code).toBe(0);

    const listed = await json<{ id: string; prefix: string; status: string; last_used_at: string | null }[]>(['admin-keys', 'list']);
    const mine = listed.find((entry) => key!.startsWith(entry.prefix))!;
    expect(mine).toMatchObject({ status: 'active' });
    expect(mine.last_used_at).not.toBeNull();
    const table = await ccag(['admin-keys', 'list']);
    expect(table.stdout).toMatch(/^ID +PREFIX +NAME +OWNER +STATUS +CREATED +LAST USED$/m);
    expect(table.stdout).not.toContain(key);

    const revoked = await json<{ id: string; status: string }>(['admin-keys', 'revoke', mine.prefix]);
    expect(revoked).toMatchObject({ id: mine.id, status: 'revoked' });
    const again = await ccag(['admin-keys', 'revoke', mine.id]);
    expect(again.stdout).toMatch(/was already revoked\.$/m);
    const refused = await ccag(['keys', 'list'], { CCAG_TOKEN: key! });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(HTTP 401, invalid_credentials\)/);
  });

  it('create --json carries the key once; bad references are clear errors', async ({ skip }) => {
    if (!gateway) return skip();
    const created = await json<{ key: string; name: string; owner_email: string }>(['admin-keys', 'create', '--name', 'scripted']);
    expect(created).toMatchObject({ name: 'scripted', owner_email: gateway.adminUsername });
    expect(created.key).toMatch(/^ccag-admin-/);
    expect(await ccag(['admin-keys', 'revoke', 'ab'])).toMatchObject({ code: 1, stderr: expect.stringContaining('at least 4 characters') });
    expect(await ccag(['admin-keys', 'create'])).toMatchObject({ code: 2 });
  });

  it('keys create --team takes a team id or name', async ({ skip }) => {
    if (!gateway) return skip();
    const team = await json<{ id: string }>(['teams', 'create', 'key-team']);
    await json(['users', 'create', 'keyholder@example.com']);
    const byName = await json<{ team_id: string; key: string }>(['keys', 'create', '--user', 'keyholder@example.com', '--team', 'key-team']);
    expect(byName.team_id).toBe(team.id);
    const byId = await json<{ team_id: string }>(['keys', 'create', '--user', 'keyholder@example.com', '--team', team.id]);
    expect(byId.team_id).toBe(team.id);
    const missing = await ccag(['keys', 'create', '--user', 'keyholder@example.com', '--team', 'no-such-team']);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'error: no team has the id or name "no-such-team"; see "ccag teams list"\n' });
  });
});
