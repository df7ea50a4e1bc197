/**
 * The endpoint pool end to end on PostgreSQL: three mock Anthropic accounts (A, B, C, each with its
 * own API key and URL) behind one in-process gateway, and a mock Bedrock runtime. Each case routes
 * its own team over them with a strategy; which account served a request is read from the mocks'
 * recorded requests (the message text carries a unique marker) and from the ledger's endpoint_id.
 *
 * Health is per endpoint, shared by every team: cases that throttle an endpoint leave it healthy
 * again (`heal`), and least_utilized runs before any throttle, whose heat would lower headroom.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SpendLedgerTable } from '../../src/store/schema.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockBedrock, type MockBedrock } from '../support/mock-bedrock.js';
import { lastUserText, sleep } from '../support/mock-script.js';

const MODEL = 'claude-sonnet-4-5-20250929';
/** retry-after of a throttled mock: the cooldown it asks for. */
const RETRY_AFTER_S = 2;
/** 99.9% critical value of chi-square with 2 degrees of freedom. */
const CHI2_999_DF2 = 13.82;
const FAILOVER_REASONS = ['throttled', 'overloaded', 'unreachable', 'server_error'] as const;

type Name = 'A' | 'B' | 'C';
const NAMES: readonly Name[] = ['A', 'B', 'C'];
type Json = Record<string, any>;

interface Answer {
  status: number;
  requestId: string;
  text: string;
}

describe('routing over three Anthropic endpoints (postgres)', () => {
  const mocks = {} as Record<Name, MockAnthropic>;
  let bedrock: MockBedrock;
  let gw: TestGateway | undefined;
  const ids = {} as Record<Name | 'bedrock', string>;
  /** A key whose team routes to that endpoint alone (warm-ups, probes). */
  const soloKeys = {} as Record<Name, string>;

  beforeAll(async () => {
    for (const name of NAMES) mocks[name] = await startMockAnthropic({ apiKey: `sk-ant-mock-${name}` });
    bedrock = await startMockBedrock();
    gw = await startGateway({
      database: 'postgres',
      // A 2 s retry-after cools for 2 s; the bounds let a midstream overload cool for only 0.5 s.
      env: { CCAG_COOLDOWN_MIN_MS: '500', CCAG_COOLDOWN_MAX_MS: '10000' },
    });
    if (!gw) return;
    for (const name of NAMES) {
      ids[name] = (await gw.addEndpoint({ kind: 'anthropic', name, api_key: mocks[name].apiKey, base_url: mocks[name].url })).id;
    }
    for (const name of NAMES) soloKeys[name] = await keyIn((await team(`solo ${name}`, 'priority', [name])).id);
  }, 30_000);

  afterAll(async () => {
    await gw?.close();
    for (const name of NAMES) await mocks[name]?.close();
    await bedrock?.close();
  });

  async function team(name: string, strategy: string, endpoints: readonly (Name | 'bedrock')[]): Promise<{ id: string; name: string }> {
    const created = await gw!.admin<{ id: string }>('POST', '/teams', { name });
    expect(created.status).toBe(201);
    const routed = await gw!.admin<Json>('PUT', `/teams/${created.body.id}/routing`, { strategy, endpoint_ids: endpoints.map((e) => ids[e]) });
    expect(routed.status, JSON.stringify(routed.body)).toBe(200);
    expect(routed.body).toMatchObject({ strategy, custom: true, endpoints: endpoints.map((e) => ({ id: ids[e] })) });
    return { id: created.body.id, name };
  }

  async function keyIn(teamId: string): Promise<string> {
    return (await gw!.createKey(`user-${randomUUID()}@example.com`, { team_id: teamId })).key;
  }

  async function ask(key: string, text: string, options: { stream?: boolean; model?: string } = {}): Promise<Answer> {
    const response = await fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: options.model ?? MODEL, max_tokens: 64, stream: options.stream ?? false, messages: [{ role: 'user', content: text }] }),
    });
    return { status: response.status, requestId: response.headers.get('x-ccag-request-id') ?? '', text: await response.text() };
  }

  /** Messages calls a mock received whose text carries `marker`. */
  const callsWith = (mock: MockAnthropic, marker: string) =>
    mock.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/messages') && r.body !== undefined && lastUserText(r.body).includes(marker)).length;

  /** The endpoints (by name, in A, B, C order, not the order of the calls) that received a Messages call carrying `marker`, once per call. */
  const servedBy = (marker: string): Name[] => NAMES.flatMap((name) => Array<Name>(callsWith(mocks[name], marker)).fill(name));

  const messagesCalls = (mock: MockAnthropic) => mock.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v1/messages')).length;

  /** The ledger rows of these requests, once all are written. */
  async function ledgerOf(requestIds: readonly string[]): Promise<SpendLedgerTable[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const rows = await gw!.store.db.selectFrom('spend_ledger').selectAll().where('request_id', 'in', requestIds).execute();
      if (rows.length >= requestIds.length || Date.now() > deadline) return rows;
      await sleep(25);
    }
  }

  async function health(): Promise<Record<string, Json>> {
    const answer = await gw!.admin<{ data: Json[] }>('GET', '/endpoints/health');
    expect(answer.status).toBe(200);
    return Object.fromEntries(answer.body.data.map((row) => [row.name, row]));
  }

  async function metrics(): Promise<string> {
    const response = await fetch(`${gw!.url}/metrics`, { headers: { authorization: `Bearer ${await gw!.adminToken()}` } });
    expect(response.status).toBe(200);
    return response.text();
  }

  /** One sample by metric name and labels, whatever the label order; 0 when absent. */
  function sample(text: string, name: string, labels: Record<string, string>): number {
    const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
    return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  /** Waits out an endpoint's cooldown, then sends the probe through its solo team so it is healthy again. */
  async function heal(name: Name): Promise<void> {
    for (let i = 0; i < 200 && (await health())[name]!.state === 'cooling'; i++) await sleep(50);
    if ((await health())[name]!.state === 'probing') expect((await ask(soloKeys[name], `heal ${name} ${randomUUID()}`)).status).toBe(200);
    expect((await health())[name]).toMatchObject({ state: 'healthy', consecutive_throttles: 0 });
  }

  test('round_robin: 300 requests over three accounts, each served once by its own account, an even spread', async ({ skip }) => {
    if (!gw) return skip();
    const key = await keyIn((await team('round robin', 'round_robin', NAMES)).id);
    const run = randomUUID();
    const answers: Answer[] = [];
    // Ten at a time: the rotation is per request, so concurrency must not skew it.
    for (let batch = 0; batch < 30; batch++) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => ask(key, `rr ${run} #${batch * 10 + i}.`)))));
    }
    expect(answers.every((a) => a.status === 200)).toBe(true);

    // Each request reached exactly one account, with that account's own API key.
    const served = answers.map((_, i) => servedBy(`rr ${run} #${i}.`));
    expect(served.every((s) => s.length === 1)).toBe(true);
    for (const name of NAMES) {
      const mine = mocks[name].requests.filter((r) => r.body !== undefined && lastUserText(r.body).includes(`rr ${run} `));
      expect(mine.every((r) => r.headers['x-api-key'] === `sk-ant-mock-${name}`)).toBe(true);
    }
    const counts = NAMES.map((name) => served.filter((s) => s[0] === name).length);
    const expected = answers.length / 3;
    const chi2 = counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    console.info(`round_robin: ${counts.join('/')} over A/B/C, chi-square ${chi2.toFixed(3)}`);
    expect(chi2).toBeLessThan(CHI2_999_DF2);
    expect(counts).toEqual([100, 100, 100]);

    // The ledger says the same, request by request.
    const rows = await ledgerOf(answers.map((a) => a.requestId));
    expect(rows).toHaveLength(300);
    const endpointOf = new Map(rows.map((row) => [row.request_id, row.endpoint_id]));
    answers.forEach((answer, i) => expect(endpointOf.get(answer.requestId)).toBe(ids[served[i]![0]!]));
  });

  test('least_utilized follows the rate-limit headers: the most headroom wins, and the choice follows a change', async ({ skip }) => {
    if (!gw) return skip();
    const share = (name: Name, remaining: number) => {
      for (const limits of Object.values(mocks[name].rateLimits)) limits.remaining = Math.round(limits.limit * remaining);
    };
    share('A', 0.2);
    share('B', 0.9);
    share('C', 0.5);
    try {
      // Warm-up: one reply from each account tells the gateway its headroom.
      for (const name of NAMES) expect((await ask(soloKeys[name], `warm ${randomUUID()}`)).status).toBe(200);
      const key = await keyIn((await team('least utilized', 'least_utilized', NAMES)).id);
      const run = randomUUID();
      const send = async (label: string, count: number) => {
        const served: Name[] = [];
        for (let i = 0; i < count; i++) {
          const marker = `lu ${run} ${label}#${i}.`;
          expect((await ask(key, marker)).status).toBe(200);
          served.push(...servedBy(marker));
        }
        return served;
      };
      // B has 90% left, C 50%, A 20%.
      expect(await send('first', 10)).toEqual(Array(10).fill('B'));
      const utilization = (await health()).B!.utilization as Record<string, number>;
      expect(Math.max(...Object.values(utilization))).toBeCloseTo(0.1, 2);

      // B runs low (10% left) and C frees up (95%): B's next reply says so, then C takes over.
      share('B', 0.1);
      share('C', 0.95);
      expect(await send('after', 10)).toEqual(['B', ...Array(9).fill('C')]);
    } finally {
      for (const name of NAMES) share(name, 0.8);
    }
  });

  test('a model no endpoint of the team serves: 404 not_found_error naming the model and the team', async ({ skip }) => {
    if (!gw) return skip();
    const routed = await team('Model Scouts', 'sticky_user', NAMES);
    const key = await keyIn(routed.id);
    const before = NAMES.map((name) => messagesCalls(mocks[name]));
    const answer = await ask(key, 'which model?', { model: 'gpt-4o' });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error', message: 'model: gpt-4o is not served by any endpoint of team Model Scouts.' },
    });
    expect(NAMES.map((name) => messagesCalls(mocks[name]))).toEqual(before);
  });

  test('no failover after the first byte: a stream that fails midway reaches the client as an error event, billed to A', async ({ skip }) => {
    if (!gw) return skip();
    const key = await keyIn((await team('midstream', 'priority', NAMES)).id);
    const failovers = (scrape: string) => FAILOVER_REASONS.map((reason) => sample(scrape, 'ccag_failovers_total', { reason }));
    const failoversBefore = failovers(await metrics());
    const marker = `midstream ${randomUUID()}`;
    const answer = await ask(key, `${marker} [[midstream-error]] [[usage in=50 out=9]] [[text partial output here]]`, { stream: true });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('event: content_block_delta');
    expect(answer.text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error"/);
    expect(servedBy(marker)).toEqual(['A']);

    const [row] = await ledgerOf([answer.requestId]);
    expect(row).toMatchObject({ endpoint_id: ids.A, status: 200, error_type: 'overloaded_error', input_tokens: 50, usage_estimated: 1, streaming: 1 });
    expect(row!.output_tokens).toBeGreaterThanOrEqual(1);
    // Sonnet 4.5: $3 per million input tokens, $15 per million output tokens.
    expect(row!.cost_micros).toBe(50 * 3 + row!.output_tokens * 15);
    expect(failovers(await metrics())).toEqual(failoversBefore);
    // The overload still tells routing about A (it cools down briefly); leave it healthy for the next cases.
    await heal('A');
  });

  test('failover on a throttle before the first byte: A answers 429, the client gets B; A cools, is avoided, then probed back', async ({ skip }) => {
    if (!gw) return skip();
    const key = await keyIn((await team('failover', 'priority', NAMES)).id);
    const before = await metrics();
    const run = randomUUID();
    mocks.A.throttleFor(60_000, RETRY_AFTER_S);
    const throttledAt = Date.now();
    const answer = await ask(key, `fo ${run} first`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ type: 'message', model: MODEL });
    // A was asked once (and answered 429), B served it, C was not needed.
    expect(servedBy(`fo ${run} first`)).toEqual(['A', 'B']);
    const rows = await ledgerOf([answer.requestId]);
    await sleep(100);
    expect(await gw.store.db.selectFrom('spend_ledger').selectAll().where('request_id', '=', answer.requestId).execute()).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endpoint_id: ids.B, status: 200, error_type: null });

    const cooling = (await health()).A!;
    expect(cooling).toMatchObject({ state: 'cooling', consecutive_throttles: 1 });
    const until = Date.parse(cooling.cooling_until);
    expect(until).toBeGreaterThanOrEqual(throttledAt + RETRY_AFTER_S * 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + RETRY_AFTER_S * 1000);

    // While A cools, the next requests go straight to B: A is not asked again.
    const callsToA = messagesCalls(mocks.A);
    for (let i = 0; i < 5; i++) expect((await ask(key, `fo ${run} next#${i}.`)).status).toBe(200);
    expect(messagesCalls(mocks.A)).toBe(callsToA);
    expect(Array.from({ length: 5 }, (_, i) => servedBy(`fo ${run} next#${i}.`))).toEqual(Array(5).fill(['B']));

    const during = await metrics();
    expect(sample(during, 'ccag_failovers_total', { reason: 'throttled' }) - sample(before, 'ccag_failovers_total', { reason: 'throttled' })).toBe(1);
    expect(sample(during, 'ccag_endpoint_cooldowns_total', { endpoint_id: ids.A }) - sample(before, 'ccag_endpoint_cooldowns_total', { endpoint_id: ids.A })).toBe(1);
    expect(sample(during, 'ccag_endpoint_healthy', { endpoint_id: ids.A })).toBe(0);
    expect(sample(during, 'ccag_endpoint_healthy', { endpoint_id: ids.B })).toBe(1);

    // A recovers; once the cooldown is over the next request is the probe, A serves it, A is healthy.
    mocks.A.throttleFor(0);
    for (let i = 0; i < 100 && (await health()).A!.state === 'cooling'; i++) await sleep(50);
    expect(Date.now()).toBeGreaterThanOrEqual(until);
    expect((await health()).A!.state).toBe('probing');
    const back = await ask(key, `fo ${run} back`);
    expect(back.status).toBe(200);
    expect(servedBy(`fo ${run} back`)).toEqual(['A']);
    expect((await ledgerOf([back.requestId]))[0]!.endpoint_id).toBe(ids.A);
    expect((await health()).A).toMatchObject({ state: 'healthy', cooling_until: null, consecutive_throttles: 0 });
    expect(sample(await metrics(), 'ccag_endpoint_healthy', { endpoint_id: ids.A })).toBe(1);
  });

  test('priority: the first healthy endpoint in the listed order; when it is throttled the second serves, then the third', async ({ skip }) => {
    if (!gw) return skip();
    // Listed C, A, B: the order is the team's, not the endpoints' creation order.
    const key = await keyIn((await team('priority', 'priority', ['C', 'A', 'B'])).id);
    const run = randomUUID();
    const send = async (label: string, count: number) => {
      const served: Name[][] = [];
      for (let i = 0; i < count; i++) {
        const marker = `pr ${run} ${label}#${i}.`;
        expect((await ask(key, marker)).status).toBe(200);
        served.push(servedBy(marker));
      }
      return served;
    };
    try {
      expect(await send('calm', 5)).toEqual(Array(5).fill(['C']));
      mocks.C.throttleFor(60_000, 1);
      // The first request meets C's 429 and fails over to A; the next ones skip C while it cools.
      expect(await send('c-throttled', 4)).toEqual([['A', 'C'], ['A'], ['A'], ['A']]);
      mocks.A.throttleFor(60_000, 1);
      expect(await send('both-throttled', 3)).toEqual([['A', 'B'], ['B'], ['B']]);
    } finally {
      mocks.C.throttleFor(0);
      mocks.A.throttleFor(0);
    }
    await heal('C');
    await heal('A');
    expect(await send('recovered', 2)).toEqual([['C'], ['C']]);
  });

  test('a Bedrock endpoint throttling fails over to an Anthropic one, and back; the reply names the client\'s model', async ({ skip }) => {
    if (!gw) return skip();
    ids.bedrock = (
      await gw.addEndpoint({ kind: 'bedrock', name: 'bedrock-us', region: 'us-east-1', auth: 'static', access_key_id: 'AKIDTEST', secret_access_key: 'secret', endpoint_url: bedrock.url })
    ).id;
    const before = sample(await metrics(), 'ccag_failovers_total', { reason: 'throttled' });
    const invokes = () => bedrock.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/model/')).length;

    const toAnthropic = await keyIn((await team('bedrock first', 'priority', ['bedrock', 'A'])).id);
    const invokesBefore = invokes();
    const marker = `bedrock throttled ${randomUUID()}`;
    const answer = await ask(toAnthropic, `${marker} [[bedrock-error ThrottlingException Rate exceeded]]`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ type: 'message', model: MODEL });
    expect(invokes() - invokesBefore).toBe(1);
    expect(servedBy(marker)).toEqual(['A']);
    expect((await ledgerOf([answer.requestId]))[0]).toMatchObject({ endpoint_id: ids.A, model: MODEL, status: 200 });
    expect((await health())['bedrock-us']).toMatchObject({ state: 'cooling', consecutive_throttles: 1 });

    // The other way: A throttled, Bedrock serves, and the reply still carries the client's model name.
    const toBedrock = await keyIn((await team('anthropic first', 'priority', ['A', 'bedrock'])).id);
    mocks.A.throttleFor(60_000, 1);
    try {
      const second = `anthropic throttled ${randomUUID()}`;
      const reply = await ask(toBedrock, second);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.text)).toMatchObject({ type: 'message', model: MODEL });
      expect(servedBy(second)).toEqual(['A']);
      const [row] = await ledgerOf([reply.requestId]);
      expect(row).toMatchObject({ endpoint_id: ids.bedrock, model: MODEL, status: 200 });
      expect(row!.upstream_model).not.toBe(MODEL);
    } finally {
      mocks.A.throttleFor(0);
    }
    expect(sample(await metrics(), 'ccag_failovers_total', { reason: 'throttled' }) - before).toBe(2);
    await heal('A');
  });
});
