/**
 * Sticky routing across three real `ccag serve` processes sharing one PostgreSQL database and one
 * Redis: a team routed `sticky_user` over three mock Anthropic accounts; every user's request
 * lands on the same account whichever replica takes it (rendezvous hashing needs no shared
 * state), the users spread over the accounts, and adding a fourth account to the team's routing
 * moves about a quarter of them, all to the new one, on every replica.
 *
 * Which account served a request is read from the mocks' recorded requests (each message carries
 * a unique marker), and the ledger's endpoint_id agrees.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { openRedis } from '../../src/store/redis.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { lastUserText, sleep } from '../support/mock-script.js';
import { CLI, ReplicaEnvironments, startServe, type ServeProcess } from '../support/serve-process.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const REDIS_URL = process.env.CCAG_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_PASSWORD = 'a-long-enough-password';
const USERS = 150;
/** Requests in flight at once while driving the users through the replicas. */
const CONCURRENCY = 24;

type Name = 'A' | 'B' | 'C' | 'D';
const NAMES: readonly Name[] = ['A', 'B', 'C', 'D'];

describe('sticky_user across three replicas (postgres + redis)', () => {
  const mocks = {} as Record<Name, MockAnthropic>;
  const ids = {} as Record<Name, string>;
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  const replicas: ServeProcess[] = [];
  const prefix = `ccag-test-${randomUUID()}:`;
  const environments = new ReplicaEnvironments({ databaseUrl: () => database!.databaseUrl!, redisUrl: REDIS_URL, redisPrefix: prefix, adminPassword: ADMIN_PASSWORD, masterKey: 'c'.repeat(64) });
  const env = () => environments.next({ CCAG_LEDGER_FLUSH_MS: '20' });
  let token = '';

  async function admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${replicas[0]!.url}/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npx tsc -p tsconfig.json" before these tests`);
    for (const name of NAMES) mocks[name] = await startMockAnthropic({ apiKey: `sk-ant-mock-${name}` });
    database = await createTestDatabase('postgres');
    if (!database) return;
    store = await database.open();
    // The first replica migrates and creates the admin; the others start once endpoints exist.
    replicas.push(await startServe(env()));
    const login = await fetch(`${replicas[0]!.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    token = ((await login.json()) as { token: string }).token;
    // All four accounts exist from the start (every replica loads them); D joins the team's routing later.
    for (const name of NAMES) {
      const created = await admin<{ id: string }>('POST', '/endpoints', { kind: 'anthropic', name, api_key: mocks[name].apiKey, base_url: mocks[name].url });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids[name] = created.body.id;
    }
    replicas.push(...(await Promise.all([startServe(env()), startServe(env())])));
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGTERM');
    await Promise.all(replicas.map((replica) => replica.exited));
    for (const name of NAMES) await mocks[name]?.close();
    await store?.close();
    await database?.drop();
    environments.removeDataDirs();
    const redis = await openRedis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const ask = async (replica: number, key: string, text: string) => {
    const response = await fetch(`${replicas[replica]!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: text }] }),
    });
    await response.text();
    return { status: response.status, requestId: response.headers.get('x-ccag-request-id') ?? '' };
  };

  /** Every Messages call each mock received, by its marker text. */
  const servedByMarker = (): Map<string, Name[]> => {
    const served = new Map<string, Name[]>();
    for (const name of NAMES) {
      for (const request of mocks[name].requests) {
        if (request.method !== 'POST' || request.body === undefined) continue;
        const marker = lastUserText(request.body);
        served.set(marker, [...(served.get(marker) ?? []), name]);
      }
    }
    return served;
  };

  /** Sends each user's request through the given replicas (CONCURRENCY at a time); who served each: [user][replica]. */
  async function drive(keys: readonly string[], replicaIndexes: readonly number[], phase: string): Promise<Name[][]> {
    const jobs = keys.flatMap((key, user) => replicaIndexes.map((replica) => ({ key, user, replica, marker: `${phase} user#${user} replica#${replica}` })));
    const requestIds: string[] = [];
    for (let start = 0; start < jobs.length; start += CONCURRENCY) {
      const answers = await Promise.all(jobs.slice(start, start + CONCURRENCY).map((job) => ask(job.replica, job.key, job.marker)));
      for (const answer of answers) {
        expect(answer.status).toBe(200);
        requestIds.push(answer.requestId);
      }
    }
    const served = servedByMarker();
    const result = keys.map(() => [] as Name[]);
    for (const job of jobs) {
      const names = served.get(job.marker) ?? [];
      // Exactly one account served each request: no failover, no retry.
      expect(names, job.marker).toHaveLength(1);
      result[job.user]![job.replica] = names[0]!;
    }
    // The ledger agrees with the mocks, request by request.
    const deadline = Date.now() + 10_000;
    let rows: { request_id: string; endpoint_id: string | null }[] = [];
    while (rows.length < requestIds.length && Date.now() < deadline) {
      rows = await store!.db.selectFrom('spend_ledger').select(['request_id', 'endpoint_id']).where('request_id', 'in', requestIds).execute();
      if (rows.length < requestIds.length) await sleep(50);
    }
    expect(rows).toHaveLength(requestIds.length);
    const endpointOf = new Map(rows.map((row) => [row.request_id, row.endpoint_id]));
    jobs.forEach((job, i) => expect(endpointOf.get(requestIds[i]!)).toBe(ids[result[job.user]![job.replica]!]));
    return result;
  }

  test(`${USERS} users keep their endpoint on every replica; adding a 4th moves about a quarter of them, all to it`, async (ctx) => {
    if (!database) return ctx.skip();
    const team = await admin<{ id: string }>('POST', '/teams', { name: 'Sticky' });
    expect(team.status).toBe(201);
    expect((await admin('PUT', `/teams/${team.body.id}/routing`, { strategy: 'sticky_user', endpoint_ids: [ids.A, ids.B, ids.C] })).status).toBe(200);
    const keys: string[] = [];
    for (let start = 0; start < USERS; start += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, USERS - start) }, async () => {
          const created = await admin<{ key: string }>('POST', '/keys', { user_email: `sticky-${randomUUID()}@example.com`, team_id: team.body.id });
          expect(created.status).toBe(201);
          return created.body.key;
        }),
      );
      keys.push(...batch);
    }

    // Every replica knows the last key (new keys reach the other replicas by polling) before the run.
    for (const replica of replicas) {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = (await fetch(`${replica.url}/v1/models`, { headers: { 'x-api-key': keys.at(-1)! } })).status;
        if (status !== 200) await sleep(100);
      }
      expect(status).toBe(200);
    }
    // Replica 0 saved the routing, so it routes by it at once; the others pick it up by polling.
    const firstOn0 = await drive(keys, [0], 'before');
    // A user away from A shows a replica has the routing (until then the default routing sends everything to A).
    const witness = firstOn0.findIndex((perReplica) => perReplica[0] !== 'A');
    await waitForReplicas(keys[witness]!, firstOn0[witness]![0]!);
    const before = merge(firstOn0, await drive(keys, [1, 2], 'before'));
    const home = before.map((perReplica) => perReplica[0]!);
    // Sticky: the same endpoint whichever replica took the request.
    expect(before.filter((perReplica) => new Set(perReplica).size !== 1)).toEqual([]);
    expect(home.filter((name) => name === 'D')).toEqual([]);
    // Not degenerate: each endpoint within 4 standard deviations of a third (binomial, n=150, p=1/3: 50 ± 23).
    const counts = (['A', 'B', 'C'] as const).map((name) => home.filter((h) => h === name).length);
    const mean = USERS / 3;
    const sigma = Math.sqrt(USERS * (1 / 3) * (2 / 3));
    const chi2 = counts.reduce((sum, observed) => sum + (observed - mean) ** 2 / mean, 0);
    console.info(`sticky_user over A/B/C: ${counts.join('/')} users (bound ${Math.ceil(mean - 4 * sigma)}..${Math.floor(mean + 4 * sigma)}), chi-square ${chi2.toFixed(2)}`);
    for (const count of counts) {
      expect(count).toBeGreaterThanOrEqual(Math.ceil(mean - 4 * sigma));
      expect(count).toBeLessThanOrEqual(Math.floor(mean + 4 * sigma));
    }

    // D joins the team's routing, saved through replica 0.
    expect((await admin('PUT', `/teams/${team.body.id}/routing`, { strategy: 'sticky_user', endpoint_ids: [ids.A, ids.B, ids.C, ids.D] })).status).toBe(200);
    const nextOn0 = await drive(keys, [0], 'after');
    const mover = nextOn0.findIndex((perReplica) => perReplica[0] === 'D');
    expect(mover).toBeGreaterThanOrEqual(0);
    await waitForReplicas(keys[mover]!, 'D');
    const after = merge(nextOn0, await drive(keys, [1, 2], 'after'));
    expect(after.filter((perReplica) => new Set(perReplica).size !== 1)).toEqual([]);
    const moved = after.map((perReplica, user) => ({ from: home[user]!, to: perReplica[0]! })).filter((m) => m.from !== m.to);
    // Rendezvous hashing: a mover can only go to the new endpoint.
    expect(moved.filter((m) => m.to !== 'D')).toEqual([]);
    // About a quarter moves: binomial n=150, p=1/4 is 37.5 ± 5.3; at most a quarter plus 3σ, at least a quarter minus 3σ.
    const quarter = USERS / 4;
    const sigmaMoved = Math.sqrt(USERS * (1 / 4) * (3 / 4));
    console.info(`adding D moved ${moved.length} of ${USERS} users, all to D (bound ${Math.ceil(quarter - 3 * sigmaMoved)}..${Math.floor(quarter + 3 * sigmaMoved)})`);
    expect(moved.length).toBeLessThanOrEqual(Math.floor(quarter + 3 * sigmaMoved));
    expect(moved.length).toBeGreaterThanOrEqual(Math.ceil(quarter - 3 * sigmaMoved));
  }, 60_000);

  /** Who served each user on replica 0 joined with who served them on replicas 1 and 2: [user][replica]. */
  function merge(on0: Name[][], on12: Name[][]): Name[][] {
    return on0.map((perReplica, user) => [perReplica[0]!, on12[user]![1]!, on12[user]![2]!]);
  }

  /**
   * Waits until replicas 1 and 2 send this user where replica 0 does (their team routing mirrors
   * poll the database every 2 s), asking with throwaway requests.
   */
  async function waitForReplicas(key: string, expected: Name): Promise<void> {
    for (const replica of [1, 2]) {
      let served: Name | undefined;
      for (let i = 0; i < 50 && served !== expected; i++) {
        const marker = `wait ${randomUUID()}`;
        expect((await ask(replica, key, marker)).status).toBe(200);
        served = servedByMarker().get(marker)?.[0];
        if (served !== expected) await sleep(100);
      }
      expect(served, `replica ${replica} never routed the witness to ${expected}`).toBe(expected);
    }
  }
});
