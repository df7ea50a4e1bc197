/**
 * Replicas agree in about a second (issue 13, spec §12): three real `ccag serve` processes share
 * one PostgreSQL database and one Redis (reached through a TCP proxy the test can cut). A change
 * saved on replica A (a key revoked, a user deactivated, a budget, a rate limit, an endpoint, a
 * user deprovisioned over SCIM) is in force on B and C within 1 s, through the change bus. With the channel cut, changes still
 * arrive by polling, within the poll interval; once it is restored, again within 1 s. Without
 * Redis, PostgreSQL LISTEN/NOTIFY carries them. Each propagation time is printed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHANGE_POLL_MS } from '../../src/lifecycle.js';
import { openRedis } from '../../src/store/redis.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startDiscoveryServer, type DiscoveryServer } from '../support/discovery-server.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { lastUserText } from '../support/mock-script.js';
import { sampleValue } from '../support/prometheus-text.js';
import { CLI, ReplicaEnvironments, startServe, type ServeProcess } from '../support/serve-process.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { until } from '../support/until.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const REDIS_URL = process.env.CCAG_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_PASSWORD = 'a-long-enough-password';
const AGREE_MS = 1_000;
/** While the channel is cut: the poll interval, plus one round of the replica's own queries. */
const POLLED_MS = CHANGE_POLL_MS + 1_000;

/** Talks to the replicas over HTTP: the admin API on the first, probes on any. */
class Cluster {
  readonly replicas: ServeProcess[] = [];
  private token = '';

  /**
   * Starts three replicas one at a time (the first migrates and creates the admin and the
   * endpoint; starting them together only slows each start on a busy machine), then signs in.
   */
  async start(env: () => Record<string, string>): Promise<void> {
    for (let i = 0; i < 3; i++) this.replicas.push(await startServe(env()));
    const response = await fetch(`${this.replicas[0]!.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    this.token = ((await response.json()) as { token: string }).token;
  }

  /** An admin call on replica A; fails the test unless it succeeds. */
  async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.replicas[0]!.url}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Whether the key authenticates on a replica (listing models neither counts nor spends). */
  async authenticates(replica: number, key: string): Promise<boolean> {
    const response = await fetch(`${this.replicas[replica]!.url}/v1/models`, { headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } });
    await response.text();
    return response.status === 200;
  }

  /** One Messages call through a replica; its status. */
  async ask(replica: number, key: string, text = 'hi', maxTokens = 16): Promise<number> {
    const response = await fetch(`${this.replicas[replica]!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, max_tokens: maxTokens, messages: [{ role: 'user', content: text }] }),
    });
    await response.text();
    return response.status;
  }

  /** A SCIM call on replica A, as an IdP makes it. */
  async scim<T>(token: string, method: string, path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.replicas[0]!.url}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, `SCIM ${method} ${path}: ${text}`).toBeLessThan(300);
    return JSON.parse(text) as T;
  }

  async metric(replica: number, series: string): Promise<number | undefined> {
    return sampleValue(await (await fetch(`${this.replicas[replica]!.url}/metrics`)).text(), series);
  }

  async createKey(email: string): Promise<{ key: string; id: string }> {
    const created = await this.admin<{ key: string; id: string }>('POST', '/keys', { user_email: email });
    // Setup, not the measure: every replica knows the new key before the change under test.
    await until(async () => (await Promise.all(this.replicas.map((_, i) => this.authenticates(i, created.key)))).every(Boolean), 5_000, 'new key on every replica');
    return created;
  }

  /**
   * Makes a change on A, then measures how long until `holds` is true on B and C, probing each
   * continuously; prints the figures and checks them against `limitMs`.
   */
  async propagation(what: string, change: () => Promise<unknown>, holds: (replica: number) => Promise<boolean>, limitMs: number): Promise<number[]> {
    await change();
    const times = await Promise.all([1, 2].map((replica) => until(() => holds(replica), limitMs + 2_000, `${what} on replica ${replica}`)));
    console.log(`[propagation] ${what}: replica B ${times[0]!.toFixed(0)} ms, replica C ${times[1]!.toFixed(0)} ms (limit ${limitMs} ms)`);
    for (const time of times) expect(time, what).toBeLessThan(limitMs);
    return times;
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) replica.child.kill('SIGTERM');
    await Promise.all(this.replicas.map((replica) => replica.exited));
  }
}

describe('changes reach every replica within a second (three replicas, postgres + redis)', () => {
  let mock: MockAnthropic;
  let moved: MockAnthropic;
  let issuer: DiscoveryServer;
  let database: TestDatabase | undefined;
  let proxy: TcpProxy;
  const cluster = new Cluster();
  const prefix = `ccag-test-${randomUUID()}:`;
  let environments: ReplicaEnvironments;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx tsc -p tsconfig.json" before these tests`);
    mock = await startMockAnthropic();
    moved = await startMockAnthropic({ apiKey: mock.apiKey });
    issuer = await startDiscoveryServer();
    database = await createTestDatabase('postgres');
    if (!database) return;
    const redis = new URL(REDIS_URL);
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    redis.port = String(proxy.port);
    environments = new ReplicaEnvironments({ databaseUrl: () => database!.databaseUrl!, redisUrl: redis.toString(), redisPrefix: prefix, adminPassword: ADMIN_PASSWORD, masterKey: 'd'.repeat(64) });
    const env = () => environments.next({ ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_METRICS_OPEN: 'true', LOG_LEVEL: 'error' });
    await cluster.start(env);
  }, 120_000);

  afterAll(async () => {
    await cluster.stop();
    await mock?.close();
    await moved?.close();
    await issuer?.close();
    await proxy?.close();
    await database?.drop();
    environments?.removeDataDirs();
    const redis = await openRedis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  test('a key revocation, a deactivation, a budget, a rate limit, an endpoint change and SCIM deprovisioning; then with the channel cut and restored', async (ctx) => {
    if (!database) return ctx.skip();
    for (const replica of [0, 1, 2]) expect(await cluster.metric(replica, 'ccag_change_bus_connected{transport="redis"}')).toBe(1);

    const revoked = await cluster.createKey('revoked@example.com');
    await cluster.propagation('key revocation', () => cluster.admin('POST', `/keys/${revoked.id}/revoke`), async (r) => !(await cluster.authenticates(r, revoked.key)), AGREE_MS);

    const leaver = await cluster.createKey('leaver@example.com');
    const { data: users } = await cluster.admin<{ data: Array<{ id: string; email: string }> }>('GET', '/users?q=leaver%40example.com');
    const leaverId = users.find((user) => user.email === 'leaver@example.com')!.id;
    await cluster.propagation('user deactivation', () => cluster.admin('POST', `/users/${leaverId}/deactivate`), async (r) => !(await cluster.authenticates(r, leaver.key)), AGREE_MS);

    // A strict budget of one cent refuses a request whose worst case (32,000 output tokens) is far above it.
    const budgeted = await cluster.createKey('budgeted@example.com');
    for (const replica of [1, 2]) expect(await cluster.ask(replica, budgeted.key, 'before the budget', 32_000)).toBe(200);
    await cluster.propagation(
      'budget change',
      () => cluster.admin('POST', '/budgets', { subject_type: 'key', subject_id: budgeted.id, amount_usd: 0.01, period: 'monthly', strict: true }),
      async (r) => (await cluster.ask(r, budgeted.key, 'under the budget', 32_000)) !== 200,
      AGREE_MS,
    );

    // One request a minute, spent; lifting the limit on A lets B and C through again.
    const limited = await cluster.createKey('limited@example.com');
    await cluster.admin('PUT', `/rate-limits/key/${limited.id}`, { rpm: 1 });
    await until(async () => (await cluster.ask(0, limited.key)) === 429, 5_000, 'the one request of the minute spent');
    await until(async () => (await cluster.ask(1, limited.key)) === 429 && (await cluster.ask(2, limited.key)) === 429, 5_000, 'limit in force on B and C');
    await cluster.propagation('rate-limit change', () => cluster.admin('PUT', `/rate-limits/key/${limited.id}`, { rpm: 'unlimited' }), async (r) => (await cluster.ask(r, limited.key)) === 200, AGREE_MS);

    // The endpoint moves to another upstream: B and C send there.
    const { data: endpoints } = await cluster.admin<{ data: Array<{ id: string }> }>('GET', '/endpoints');
    const routed = await cluster.createKey('routed@example.com');
    let probe = 0;
    const servedByMoved = async (replica: number) => {
      const marker = `endpoint probe ${replica}-${probe++}`;
      expect(await cluster.ask(replica, routed.key, marker)).toBe(200);
      return moved.requests.some((request) => request.method === 'POST' && request.body !== undefined && lastUserText(request.body) === marker);
    };
    await cluster.propagation('endpoint change', () => cluster.admin('PATCH', `/endpoints/${endpoints[0]!.id}`, { base_url: moved.url }), servedByMoved, AGREE_MS);

    // Deprovisioning by the IdP over SCIM, not through the admin API.
    await cluster.admin('POST', '/idps', { name: 'okta', issuer: issuer.issuer, client_id: 'okta-client' });
    await cluster.admin('POST', '/idps/okta/scim/enable');
    const { token: scimToken } = await cluster.admin<{ token: string }>('POST', '/idps/okta/scim/tokens');
    const provisioned = await cluster.scim<{ id: string }>(scimToken, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], active: true, userName: 'scim-leaver@example.com' });
    const scimKey = await cluster.createKey('scim-leaver@example.com');
    await cluster.propagation(
      'SCIM deprovisioning',
      () => cluster.scim(scimToken, 'PATCH', `/Users/${provisioned.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] }),
      async (r) => !(await cluster.authenticates(r, scimKey.key)),
      AGREE_MS,
    );

    // The channel is cut: every replica notices, and changes arrive by polling alone.
    const cutAt = performance.now();
    proxy.cut();
    for (const replica of [0, 1, 2]) await until(async () => (await cluster.metric(replica, 'ccag_change_bus_connected{transport="redis"}')) === 0, 5_000, 'the cut noticed');
    console.log(`[propagation] channel cut: every replica reported it within ${(performance.now() - cutAt).toFixed(0)} ms`);
    const duringCut = await cluster.createKey('during-cut@example.com');
    await cluster.propagation('key revocation, channel cut (polling)', () => cluster.admin('POST', `/keys/${duringCut.id}/revoke`), async (r) => !(await cluster.authenticates(r, duringCut.key)), POLLED_MS);

    // Restored: each replica resubscribes (and refreshes everything), then changes take a second again.
    const restoredAt = performance.now();
    proxy.restore();
    for (const replica of [0, 1, 2]) await until(async () => (await cluster.metric(replica, 'ccag_change_bus_connected{transport="redis"}')) === 1, 10_000, 'the channel back');
    console.log(`[propagation] channel restored: every replica resubscribed within ${(performance.now() - restoredAt).toFixed(0)} ms`);
    const afterRestore = await cluster.createKey('after-restore@example.com');
    await cluster.propagation('key revocation, channel restored', () => cluster.admin('POST', `/keys/${afterRestore.id}/revoke`), async (r) => !(await cluster.authenticates(r, afterRestore.key)), AGREE_MS);

    // The announcements did the work: each replica received them.
    for (const replica of [0, 1, 2]) expect(await cluster.metric(replica, 'ccag_change_bus_messages_total{transport="redis"}')).toBeGreaterThanOrEqual(10);
  }, 120_000);
});

describe('changes reach other replicas within a second without Redis (postgres LISTEN/NOTIFY)', () => {
  let mock: MockAnthropic;
  let database: TestDatabase | undefined;
  const cluster = new Cluster();
  let environments: ReplicaEnvironments;

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx tsc -p tsconfig.json" before these tests`);
    mock = await startMockAnthropic();
    database = await createTestDatabase('postgres');
    if (!database) return;
    environments = new ReplicaEnvironments({ databaseUrl: () => database!.databaseUrl!, redisUrl: '', redisPrefix: 'unused:', adminPassword: ADMIN_PASSWORD, masterKey: 'e'.repeat(64) });
    // No Redis: each process counts limits on its own (CCAG_REPLICAS=1), but configuration is shared.
    const env = () => {
      const { REDIS_URL: _none, CCAG_REDIS_PREFIX: _prefix, ...rest } = environments.next({ ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_METRICS_OPEN: 'true', CCAG_REPLICAS: '1', LOG_LEVEL: 'error' });
      return rest;
    };
    await cluster.start(env);
  }, 120_000);

  afterAll(async () => {
    await cluster.stop();
    await mock?.close();
    await database?.drop();
    environments?.removeDataDirs();
  });

  test('a key revoked on A is refused on B and C within a second', async (ctx) => {
    if (!database) return ctx.skip();
    for (const replica of [0, 1, 2]) expect(await cluster.metric(replica, 'ccag_change_bus_connected{transport="postgres"}')).toBe(1);
    const revoked = await cluster.createKey('revoked@example.com');
    await cluster.propagation('key revocation (postgres LISTEN/NOTIFY)', () => cluster.admin('POST', `/keys/${revoked.id}/revoke`), async (r) => !(await cluster.authenticates(r, revoked.key)), AGREE_MS);
    for (const replica of [1, 2]) expect(await cluster.metric(replica, 'ccag_change_bus_messages_total{transport="postgres"}')).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
