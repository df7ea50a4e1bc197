/**
 * Policies on two gateway replicas sharing one PostgreSQL database: a policy saved on one replica
 * is enforced by the other after its poll (its mirror, never a read per request), a reorder and a
 * mode change follow the same way, and sessions one replica saw reach the other's drift report.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { sleep } from '../support/mock-script.js';

const OPUS = 'claude-opus-4-6';

describe('policies across two replicas (postgres)', () => {
  let mock: MockAnthropic;
  let a: TestGateway | undefined;
  let b: TestGateway | undefined;
  let key = '';

  beforeAll(async () => {
    mock = await startMockAnthropic();
    const env = { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url };
    a = await startGateway({ database: 'postgres', env, keepDatabase: true });
    if (!a) return;
    b = await startGateway({ database: 'postgres', env, existing: { database: a.database, dataDir: a.dataDir } });
    key = (await a.createKey('replica-dev@example.com')).key;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await a?.database.drop();
    if (a) rmSync(a.dataDir, { recursive: true, force: true });
    await mock?.close();
  });

  const status = async (gw: TestGateway, model: string, headers: Record<string, string> = {}) =>
    (
      await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers },
        body: JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
      })
    ).status;

  /** The poll interval is two seconds; give it a few. */
  async function until(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 8_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('the other replica did not follow within 8 s');
      await sleep(100);
    }
  }

  test('a policy saved on A is enforced on B; a change and a deletion follow', { timeout: 60_000 }, async (ctx) => {
    if (!a || !b) return ctx.skip();
    await until(async () => (await status(b!, OPUS)) === 200);
    const created = await a.admin<{ id: string }>('POST', '/policies', { name: 'No opus', match: { domains: ['example.com'] }, allowed_models: ['claude-sonnet-4*'] });
    expect(created.status).toBe(201);
    await until(async () => (await status(b!, OPUS)) === 400);

    expect((await a.admin('PATCH', `/policies/${created.body.id}`, { allowed_models: ['claude-opus-4*'] })).status).toBe(200);
    await until(async () => (await status(b!, OPUS)) === 200 && (await status(b!, 'claude-sonnet-4-5')) === 400);

    // Sessions B saw are in A's report once B has written them (B's report writes them at once).
    expect(await status(b, OPUS, { 'x-claude-code-session-id': 'on-replica-b', 'x-claude-code-managed-settings-checksum': 'sha256:elsewhere' })).toBe(200);
    expect((await b.admin<{ summary: { stale: number } }>('GET', '/policies/drift')).body.summary.stale).toBe(1);
    expect((await a.admin<{ sessions: { session_id: string }[] }>('GET', '/policies/drift')).body.sessions.map((s) => s.session_id)).toEqual(['on-replica-b']);

    expect((await a.admin('DELETE', `/policies/${created.body.id}`)).status).toBe(204);
    await until(async () => (await status(b!, 'claude-sonnet-4-5')) === 200);
  });
});
