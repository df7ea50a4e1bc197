/**
 * `ccag usage` as a user runs it: the built executable against a real gateway on SQLite and
 * PostgreSQL (run `npx tsc -p tsconfig.json` first), over ledger rows of a fixed past range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingGroupSpendView, SessionDetailView, SessionSpendView } from '../../src/cli/attribution-client.js';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import { ledgerRow } from '../spend/ledger-rows.js';

const AT = Date.parse('2026-03-02T10:00:00Z');
const RANGE = ['--from', '2026-03-01', '--to', '2026-03-03'];

describe.each(['sqlite', 'postgres'] as const)('ccag usage on %s', (database) => {
  let cli: LoggedInCli | undefined;

  beforeAll(async () => {
    cli = await startLoggedInCli(database);
    if (!cli) return;
    const rows = [
      ledgerRow(1, { created_at: AT, session_id: 's-1', billing_group: 'web', cost_micros: 1_500_000 }),
      ledgerRow(2, { created_at: AT + 1000, session_id: 's-1', agent_id: 'explore-1', parent_agent_id: 'main', billing_group: 'web', cost_micros: 250_000 }),
      ledgerRow(3, { created_at: AT + 2000, session_id: 's-2', billing_group: null, cost_micros: 100_000 }),
      // Outside the range: counted nowhere.
      ledgerRow(4, { created_at: AT + 5 * 86_400_000, session_id: 's-1', billing_group: 'web', cost_micros: 9_000_000 }),
    ];
    await cli.gateway.store.db.insertInto('spend_ledger').values(rows).execute();
  });
  afterAll(async () => {
    await cli?.close();
  });

  it('lists billing groups in a table and as JSON', async ({ skip }) => {
    if (!cli) return skip();
    const table = await cli.ccag(['usage', 'billing-groups', ...RANGE]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^web +2 +\d+ +1\.75 +1 +1 /m);
    expect(table.stdout).toMatch(/^\(untagged\) +1 +\d+ +0\.10 /m);
    const json = await cli.json<BillingGroupSpendView[]>(['usage', 'billing-groups', ...RANGE, '--sort', 'requests', '--order', 'asc']);
    expect(json.map((g) => [g.billing_group, g.cost_usd])).toEqual([[null, 0.1], ['web', 1.75]]);
  });

  it('lists sessions and shows one with its subagent under its parent', async ({ skip }) => {
    if (!cli) return skip();
    const sessions = await cli.json<SessionSpendView[]>(['usage', 'sessions', ...RANGE, '--sort', 'cost_usd']);
    expect(sessions.map((s) => [s.session_id, s.agents, s.cost_usd, s.subagent_cost_usd])).toEqual([['s-1', 2, 1.75, 0.25], ['s-2', 1, 0.1, 0]]);
    const detail = await cli.json<SessionDetailView>(['usage', 'session', 's-1', ...RANGE]);
    expect(detail.agents.map((a) => [a.agent_id, a.parent_agent_id, a.cost_usd])).toEqual([[null, null, 1.5], ['explore-1', 'main', 0.25]]);
    const table = await cli.ccag(['usage', 'session', 's-1', ...RANGE]);
    expect(table.stdout).toMatch(/^Session s-1 .*: 2 requests, 1\.75 USD/m);
    expect(table.stdout).toMatch(/^explore-1 +main +1 /m);
    const missing = await cli.ccag(['usage', 'session', 'nope', ...RANGE]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no requests of session nope in the range/);
  });
});
