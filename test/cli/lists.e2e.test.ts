/**
 * Paged lists, budget events and the system view through the built `ccag` (run `npm run build`
 * first) against a real gateway on SQLite and PostgreSQL: a list longer than one page of the
 * admin API still prints every row, and a user past the first page can still be named.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';

/** More than the admin API's largest page (1000). */
const BULK = 1_005;

describe.each(['sqlite', 'postgres'] as const)('ccag lists, budget events and system on %s', (database) => {
  let cli: LoggedInCli | undefined;
  const now = Date.now();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    cli = await startLoggedInCli(database);
    if (!cli) return;
    const gw = cli.gateway;
    ids.team = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'platform' })).body.id;
    const bulk = Array.from({ length: BULK }, (_, n) => ({
      id: randomUUID(),
      email: `bulk-${String(n).padStart(4, '0')}@example.com`,
      display_name: null,
      role: 'member' as const,
      status: 'active' as const,
      team_id: null,
      password_hash: null,
      created_at: now,
      updated_at: now,
      deleted_at: null,
      idp_id: null,
      scim_idp_id: null,
      scim_external_id: null,
    }));
    // Inserted straight into the database: a thousand POSTs would only slow the test down.
    for (let from = 0; from < bulk.length; from += 200) await gw.store.db.insertInto('users').values(bulk.slice(from, from + 200)).execute();
    ids.last = bulk.at(-1)!.id;
    const event = (subject_type: 'user' | 'team', subject_id: string, event_type: string, ageMs: number) => ({
      id: randomUUID(),
      subject_type,
      subject_id,
      threshold_percent: 80,
      period_start: now - 86_400_000,
      event_type,
      severity: 'warning',
      user_id: subject_type === 'user' ? subject_id : null,
      team_id: subject_type === 'team' ? subject_id : null,
      detail: JSON.stringify({ threshold_percent: 80, spend_usd: 8.5, limit_usd: 10, percent: 85, period: 'monthly', period_start: new Date(now - 86_400_000).toISOString(), budget_id: 'b', subject_type }),
      created_at: now - ageMs,
    });
    await gw.store.db
      .insertInto('budget_events')
      .values([event('user', ids.last, 'budget_warning', 3 * 3_600_000), event('team', ids.team, 'team_budget_warning', 60_000)])
      .execute();
  });
  afterAll(async () => {
    await cli?.close();
  });

  it('lists every user across pages, and finds one past the first page by email', async ({ skip }) => {
    if (!cli) return skip();
    const users = await cli.json<Array<{ id: string; email: string }>>(['users', 'list']);
    expect(users).toHaveLength(BULK + 1);
    expect(new Set(users.map((user) => user.id)).size).toBe(BULK + 1);
    expect(users.at(-1)!.email).toBe('bulk-1004@example.com');
    const table = await cli.ccag(['users', 'list']);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(BULK + 2);
    expect(await cli.json(['users', 'update', 'bulk-1004@example.com', '--name', 'Last One'])).toMatchObject({ id: ids.last, display_name: 'Last One' });
  });

  it('ccag budgets events: newest first with names, filtered by time, kind and subject', async ({ skip }) => {
    if (!cli) return skip();
    const events = await cli.json<Array<{ subject_name: string; event_type: string; delivery: string }>>(['budgets', 'events']);
    expect(events.map((event) => [event.event_type, event.subject_name, event.delivery])).toEqual([
      ['team_budget_warning', 'platform', 'not_configured'],
      ['budget_warning', 'bulk-1004@example.com', 'not_configured'],
    ]);
    const table = await cli.ccag(['budgets', 'events']);
    expect(table.stdout).toMatch(/^TIME +TYPE +SUBJECT +USER +TEAM +THRESHOLD +SPEND USD +LIMIT USD +DELIVERY$/m);
    expect(table.stdout).toMatch(/budget_warning +bulk-1004@example\.com +bulk-1004@example\.com +- +80% +8\.50 +10\.00 +not configured/);
    expect((await cli.json<unknown[]>(['budgets', 'events', '--from', '1h'])).length).toBe(1);
    expect((await cli.json<unknown[]>(['budgets', 'events', '--to', '1h'])).length).toBe(1);
    expect((await cli.json<unknown[]>(['budgets', 'events', '--subject-type', 'user'])).length).toBe(1);
    expect((await cli.json<unknown[]>(['budgets', 'events', '--subject', 'PLAT', '--type', 'team_budget_warning'])).length).toBe(1);
    expect(await cli.ccag(['budgets', 'events', '--subject', 'nobody'])).toMatchObject({ code: 0, stdout: 'No budget events match.\n' });
    expect(await cli.ccag(['budgets', 'events', '--type', 'budget_oops'])).toMatchObject({ code: 2, stdout: '' });
    expect(await cli.ccag(['budgets', 'events', '--from', 'last week'])).toMatchObject({ code: 2 });
  });

  it('ccag system: the API view as JSON, and a block of fields for people', async ({ skip }) => {
    if (!cli) return skip();
    const system = await cli.json<Record<string, unknown>>(['system']);
    expect(system).toMatchObject({ public_url: cli.gateway.url, health: 'healthy', database: { status: 'connected', dialect: database }, redis: null, identity_providers: [] });
    const shown = await cli.ccag(['system']);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(shown.stdout).toMatch(/^Health: +healthy$/m);
    expect(shown.stdout).toMatch(new RegExp(`^Database: +connected \\(${database}, [\\d.]+ ms\\)$`, 'm'));
    expect(shown.stdout).toMatch(/^Redis: +not configured$/m);
    expect(shown.stdout).toMatch(/^Sign-in: +virtual keys, admin login, device login$/m);
  });
});
