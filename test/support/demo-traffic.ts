/**
 * A month of believable traffic for the portal's screenshots and browser tests: a handful of
 * developers in three teams, a second (Bedrock) endpoint, and the analytics bench's seeded
 * generator (working hours, quiet weekends, model favourites, tool and MCP calls, a few errors)
 * spread over the last 35 days and written through the real ledger sink, so every rollup the
 * portal reads is built the way production builds it. Times are relative to now.
 */
import { spreadLedger } from '../../bench/analytics-rows.js';
import { createLedgerSink } from '../../src/spend/ledger-sink.js';
import type { TestGateway } from './gateway.js';

const DAY = 86_400_000;
const TEAMS = { Platform: ['maria@example.com', 'kenji@example.com', 'priya@example.com'], Data: ['lucas@example.com', 'amara@example.com'], Mobile: ['tom@example.com'] };

async function created<T extends { id: string }>(answer: Promise<{ status: number; body: T }>): Promise<T> {
  const { status, body } = await answer;
  if (status !== 201) throw new Error(`demo seeding failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Teams by name → id, and users by email → id. Teams or users that exist already are reused. */
export interface DemoPopulation {
  readonly teams: Record<string, string>;
  readonly users: Record<string, string>;
}

export async function seedDemoTraffic(gw: TestGateway, rows = 6_000): Promise<DemoPopulation> {
  const existingTeams = (await gw.admin<{ data: Array<{ id: string; name: string }> }>('GET', '/teams?limit=1000')).body.data;
  const teams: Record<string, string> = Object.fromEntries(existingTeams.map((team) => [team.name, team.id]));
  const users: Record<string, string> = {};
  const population: Array<{ id: string; teamId: string | null }> = [];
  for (const [name, emails] of Object.entries(TEAMS)) {
    teams[name] ??= (await created(gw.admin<{ id: string }>('POST', '/teams', { name }))).id;
    for (const email of emails) {
      users[email] = (await created(gw.admin<{ id: string }>('POST', '/users', { email, team_id: teams[name] }))).id;
      population.push({ id: users[email]!, teamId: teams[name]! });
    }
  }
  const endpoints = (await gw.admin<{ data: Array<{ id: string }> }>('GET', '/endpoints')).body.data.map((endpoint) => endpoint.id);
  // A second upstream to compare on the Endpoints page; it is never routed to (not the default).
  const bedrock = await gw.addEndpoint({ kind: 'bedrock', name: 'bedrock-us-east-1', region: 'us-east-1', auth: 'static', access_key_id: 'AKIDDEMO', secret_access_key: 'demo-secret' });
  const teamIds = Object.values(teams);

  const now = Date.now();
  const spread = spreadLedger(rows, now - 35 * DAY, now, 7, { users: population, teamIds, endpointIds: [...endpoints, bedrock.id] });
  const sink = createLedgerSink({ db: gw.store.db, timeoutMs: 30_000, log: { info() {}, warn() {}, error() {} }, quarantine: async () => {} });
  for (const batch of spread.batches(1_000)) {
    const written = await sink.write(batch.map((row) => ({ ...row, key_id: null, key_prefix: null, request_id: `req_demo_${row.request_id}` })));
    if (written.left.length > 0) throw new Error(`demo seeding left ${written.left.length} rows unwritten`);
  }
  return { teams, users };
}

interface BudgetAnswer {
  id: string;
  spent_usd: number | null;
}

/**
 * Budgets at telling levels, and threshold events made the real way: each budget is set just
 * under a threshold of what its subject already spent this month, then one request through the
 * gateway (the budget gate, settlement, the events table) takes it over: a small request by its
 * worst case (16 output tokens), whose reported usage is large. Maria crosses 80% of her own
 * budget, Tom spends past his, and the Data team crosses 80% of its team budget.
 */
export async function crossDemoBudgets(gw: TestGateway, demo: DemoPopulation, model: string): Promise<void> {
  const cases = [
    { subject: { subject_type: 'user', subject_id: demo.users['maria@example.com'] }, fraction: 0.7995, sender: 'maria@example.com' },
    { subject: { subject_type: 'user', subject_id: demo.users['tom@example.com'] }, fraction: 0.99, sender: 'tom@example.com' },
    { subject: { subject_type: 'team', subject_id: demo.teams.Data }, fraction: 0.7995, sender: 'lucas@example.com' },
  ];
  for (const { subject, fraction, sender } of cases) {
    // Set first to learn the month's spend, then move the amount to just under the threshold
    // (rounded up to the cent, so still under it).
    const first = await created(gw.admin<BudgetAnswer>('POST', '/budgets', { ...subject, amount_usd: 1_000_000, period: 'monthly' }));
    const spent = (await gw.admin<BudgetAnswer>('GET', `/budgets/${first.id}`)).body.spent_usd ?? 0;
    const changed = await gw.admin('PATCH', `/budgets/${first.id}`, { amount_usd: Math.max(1, Math.ceil((spent / fraction) * 100) / 100) });
    if (changed.status !== 200) throw new Error(`demo budget change failed: ${changed.status}`);
    const { key } = await gw.createKey(sender, { name: 'demo' });
    const answer = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model, max_tokens: 16, messages: [{ role: 'user', content: 'refactor [[usage in=400000 out=40000]]' }] }),
    });
    if (answer.status !== 200) throw new Error(`demo request failed: ${answer.status} ${await answer.text()}`);
  }
}
