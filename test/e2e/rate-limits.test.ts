/**
 * Rate limits through a real gateway, on SQLite and PostgreSQL: requests per minute, tokens per
 * minute and concurrency of keys, users and teams, set through the admin API and the CLI; the
 * strictest applicable limit refuses, with a 429 `rate_limit_error`, `retry-after` and
 * `anthropic-ratelimit-*` headers, and is counted in `ccag.rate_limits.total`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCcag } from '../support/cli-process.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

const MODEL = 'claude-sonnet-4-5-20250929';

describe.each(['sqlite', 'postgres'] as const)('rate limits (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let configDir: string;
  let subjectCounter = 0;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({
      database,
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_RATE_LIMIT_USER_RPM: '1000' },
    });
    configDir = mkdtempSync(join(tmpdir(), 'ccag-limits-'));
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  const ask = (key: string, text = 'hi', extra: Record<string, unknown> = {}) =>
    fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: text }], ...extra }),
    });

  const newUserKey = async (extra: Record<string, unknown> = {}) => {
    const email = `rl-${++subjectCounter}-${database}@example.com`;
    const created = await gw!.createKey(email, extra);
    return { ...created, email };
  };

  const setLimit = async (scope: string, id: string, body: Record<string, unknown>) => {
    const response = await gw!.admin('PUT', `/rate-limits/${scope}/${id}`, body);
    expect(response.status).toBe(200);
    return response.body;
  };

  const ccag = async (args: string[]) =>
    runCcag([...args, '--url', gw!.url, '--token', await gw!.adminToken()], { configDir });

  const refusal = async (response: Response) => {
    expect(response.status).toBe(429);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('rate_limit_error');
    expect(response.headers.get('x-should-retry')).toBe('true');
    return body.error.message;
  };

  test('requests per minute of a key: headers on every answer, then a 429 that says which limit and when', async (ctx) => {
    if (!gw) return ctx.skip();
    const { key, id } = await newUserKey();
    const override = await setLimit('key', id, { rpm: 2 });
    expect(override).toMatchObject({ subject_type: 'key', subject_id: id, subject_name: key.slice(0, 'sk-ccag-'.length + 6), rpm: 2, tpm: null, effective: { rpm: 2, tpm: null, concurrency: null } });

    const first = await ask(key);
    expect(first.status).toBe(200);
    expect(first.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('1');
    expect(Date.parse(first.headers.get('anthropic-ratelimit-requests-reset')!)).toBeGreaterThan(Date.now());
    const second = await ask(key);
    expect(second.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const upstreamBefore = mock.requests.length;

    const third = await ask(key);
    const retryAfter = Number(third.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(third.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(await refusal(third)).toBe(`Rate limit: 2 requests per minute for your key; retry in ${retryAfter} s.`);
    expect(mock.requests.length).toBe(upstreamBefore);

    // Lifting the limit applies at once on this replica.
    expect((await gw.admin('DELETE', `/rate-limits/key/${id}`)).status).toBe(204);
    const lifted = await ask(key);
    expect(lifted.status).toBe(200);
    // Back on the user default (1000 per minute, from CCAG_RATE_LIMIT_USER_RPM).
    expect(lifted.headers.get('anthropic-ratelimit-requests-limit')).toBe('1000');

    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${await gw.adminToken()}` } })).text();
    expect(metrics).toMatch(/ccag_rate_limits_total\{(?=[^}]*kind="rpm")(?=[^}]*scope="key")[^}]*\} 1\b/);
  });

  test('the strictest of key, user and team refuses; "unlimited" on the key does not lift the team limit', async (ctx) => {
    if (!gw) return ctx.skip();
    const team = await gw.admin<{ id: string }>('POST', '/teams', { name: `rl-team-${database}` });
    expect(team.status).toBe(201);
    const member = await newUserKey({ team_id: team.body.id });
    const user = (await gw.admin<{ data: { id: string; email: string }[] }>('GET', '/users')).body.data.find((row) => row.email === member.email)!;
    await setLimit('user', user.id, { rpm: 5 });
    await setLimit('team', team.body.id, { rpm: 1 });
    await setLimit('key', member.id, { rpm: 'unlimited' });

    const first = await ask(member.key);
    expect(first.status).toBe(200);
    // The tightest line is reported: the team's, with nothing left.
    expect(first.headers.get('anthropic-ratelimit-requests-limit')).toBe('1');
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(await refusal(await ask(member.key))).toMatch(/^Rate limit: 1 requests per minute for your team; retry in \d+ s\.$/);

    // Without the team limit, the user's 5 applies (one request already counted against it).
    expect((await gw.admin('DELETE', `/rate-limits/team/${team.body.id}`)).status).toBe(204);
    for (let i = 0; i < 4; i++) expect((await ask(member.key)).status).toBe(200);
    expect(await refusal(await ask(member.key))).toMatch(/^Rate limit: 5 requests per minute for your account;/);

    const listed = await gw.admin<{ defaults: Record<string, unknown>; data: { subject_type: string; subject_id: string; rpm: unknown }[] }>('GET', '/rate-limits');
    expect(listed.body.defaults).toEqual({
      key: { rpm: null, tpm: null, concurrency: null },
      user: { rpm: 1000, tpm: null, concurrency: null },
      team: { rpm: null, tpm: null, concurrency: null },
    });
    expect(listed.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subject_type: 'key', subject_id: member.id, rpm: 'unlimited' }),
        expect.objectContaining({ subject_type: 'user', subject_id: user.id, subject_name: member.email, rpm: 5 }),
      ]),
    );
    expect(listed.body.data.some((row) => row.subject_id === team.body.id)).toBe(false);
  });

  test('tokens per minute, set with the CLI: charged as estimated, corrected to the billed tokens', async (ctx) => {
    if (!gw) return ctx.skip();
    const { key, email } = await newUserKey();
    const set = await ccag(['limits', 'set', 'user', email, '--tpm', '1k', '--json']);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ subject_type: 'user', tpm: 1000, effective: { rpm: 1000, tpm: 1000 } });

    const first = await ask(key, 'hi [[usage in=900 out=300]]');
    expect(first.status).toBe(200);
    expect(first.headers.get('anthropic-ratelimit-tokens-limit')).toBe('1000');
    await first.text();
    // Settled at 1200 tokens: the window is over its limit until the first request ages out.
    let refused: Response | undefined;
    for (let attempt = 0; attempt < 50 && !refused; attempt++) {
      const next = await ask(key);
      if (next.status === 429) refused = next;
      else await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refused).toBeDefined();
    expect(await refusal(refused!)).toMatch(/^Rate limit: 1000 tokens per minute for your account; retry in \d+ s\.$/);
    expect(refused!.headers.get('anthropic-ratelimit-tokens-remaining')).toBe('0');

    const human = await ccag(['limits', 'list']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^Defaults \(from settings\):/);
    expect(human.stdout).toMatch(new RegExp(`user\\s+${email}\\s+default\\s+1000\\s+default`));
  });

  test('concurrent requests of a key, set with the CLI: a slot is held until the stream ends', async (ctx) => {
    if (!gw) return ctx.skip();
    const { key, id } = await newUserKey();
    // What `ccag keys list` shows: sk-ccag- and six characters.
    const prefix = key.slice(0, 'sk-ccag-'.length + 6);
    const set = await ccag(['limits', 'set', 'key', prefix, '--concurrency', '1']);
    expect(set.stderr).toBe('');
    expect(set.stdout).toContain(`Set the rate limits of key ${prefix}.`);

    const streaming = await ask(key, 'hi [[pause 1500]]', { stream: true });
    expect(streaming.status).toBe(200);
    const message = await refusal(await ask(key));
    expect(message).toBe('Rate limit: 1 concurrent requests for your key; retry when one of them finishes.');
    await streaming.text();
    expect((await ask(key)).status).toBe(200);

    const cleared = await ccag(['limits', 'clear', 'key', id, '--json']);
    expect(JSON.parse(cleared.stdout)).toEqual({ subject_type: 'key', subject_id: id, cleared: true });
    const [a, b] = await Promise.all([ask(key, 'hi [[pause 300]]', { stream: true }), ask(key)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await a.text();
  });

  test('the admin API refuses bad limits and unknown subjects', async (ctx) => {
    if (!gw) return ctx.skip();
    const { id } = await newUserKey();
    expect((await gw.admin('PUT', `/rate-limits/key/${id}`, { rpm: 0 })).status).toBe(400);
    expect((await gw.admin('PUT', `/rate-limits/key/${id}`, { burst: 3 })).status).toBe(400);
    expect((await gw.admin('PUT', `/rate-limits/org/${id}`, { rpm: 3 })).status).toBe(400);
    expect((await gw.admin('PUT', '/rate-limits/team/no-such-team', { rpm: 3 })).status).toBe(404);
    const bad = await ccag(['limits', 'set', 'key', id, '--rpm', 'lots']);
    expect(bad.code).toBe(2);
    const none = await ccag(['limits', 'set', 'key', id]);
    expect(none.stderr).toBe('error: give at least one of --rpm, --tpm, --concurrency\n');
  });
});
