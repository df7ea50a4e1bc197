/**
 * `ccag settings` as a user runs it: the built executable against a real gateway on SQLite and
 * PostgreSQL (run `npm run build` first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';

describe.each(['sqlite', 'postgres'] as const)('ccag settings on %s', (database) => {
  let cli: LoggedInCli | undefined;

  beforeAll(async () => {
    cli = await startLoggedInCli(database);
  });
  afterAll(async () => {
    await cli?.close();
  });

  it('lists, sets and resets the session TTL', async ({ skip }) => {
    if (!cli) return skip();
    const table = await cli.ccag(['settings', 'list']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^SETTING +VALUE +DEFAULT +SOURCE +UPDATED$/m);
    expect(table.stdout).toMatch(/^session-ttl-hours +24 +24 +environment +-$/m);

    const set = await cli.ccag(['settings', 'set', 'session-ttl-hours', '2', '--json']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ session_ttl_hours: { value: 2, default: 24, source: 'database' } });

    const listed = await cli.ccag(['settings', 'list', '--json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ session_ttl_hours: { value: 2, source: 'database' } });

    const human = await cli.ccag(['settings', 'set', 'session-ttl-hours', 'default']);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe('Set session-ttl-hours to 24 (the environment default).\n');
  });

  it('refuses unknown names and bad values', async ({ skip }) => {
    if (!cli) return skip();
    const unknown = await cli.ccag(['settings', 'set', 'nope', '2']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/session-ttl-hours/);

    const notNumber = await cli.ccag(['settings', 'set', 'session-ttl-hours', 'two']);
    expect(notNumber.code).toBe(2);

    const outOfRange = await cli.ccag(['settings', 'set', 'session-ttl-hours', '9000']);
    expect(outOfRange.code).toBe(1);
    expect(outOfRange.stderr).toMatch(/^error: session_ttl_hours: .*\(HTTP 400, invalid_request\)/);
  });
});
