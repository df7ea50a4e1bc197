/**
 * Fleet policies over HTTP on both databases: the admin API (validation, warnings, reorder, mode,
 * resolve), allowlists enforced on /v1/messages and count_tokens, /v1/models filtered,
 * GET /managed/settings with its checksum, quoted ETag and 304, and settings drift recorded from
 * the hint header Claude Code sends.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { settingsChecksum } from '../../src/policy/checksum.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';

interface PolicyRecord {
  id: string;
  name: string;
  position: number;
  warnings?: string[];
  match: { teams: { id: string; name: string | null }[] };
}
interface ErrorBody {
  error: { code: string; message: string };
}
interface DriftBody {
  summary: Record<string, number>;
  users: { email: string; stale: number; unknown: number; current: number; policies: string[] }[];
  sessions: { session_id: string; status: string; checksum: string | null; expected_checksum: string | null }[];
}

const SONNET = 'claude-sonnet-4-5-20250929';
const OPUS = 'claude-opus-4-6';
const SETTINGS = { env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', GREETING: 'grüß dich' }, permissions: { deny: ['WebFetch'] }, cleanupPeriodDays: 14 };

describe.each(['sqlite', 'postgres'] as const)('fleet policies (%s)', (database) => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let devKey = '';
  let outsiderKey = '';
  let frontendKey = '';
  let teamId = '';
  let policyId = '';

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database, env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    if (!gw) return;
    devKey = (await gw.createKey('dev@example.com')).key;
    outsiderKey = (await gw.createKey('someone@elsewhere.test')).key;
    teamId = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'Frontend' })).body.id;
    frontendKey = (await gw.createKey('fe@elsewhere.test', { team_id: teamId })).key;
  });

  afterAll(async () => {
    await gw?.close();
    await mock?.close();
  });

  const messages = (key: string, model: string, headers: Record<string, string> = {}, path = '/v1/messages') =>
    fetch(`${gw!.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': key, ...headers },
      body: JSON.stringify({ model, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
  const managed = (key: string, headers: Record<string, string> = {}) => fetch(`${gw!.url}/managed/settings`, { headers: { authorization: `Bearer ${key}`, ...headers } });

  test('saving: wrong types are refused with 400 naming the field, unknown keys are saved with warnings', async (ctx) => {
    if (!gw) return ctx.skip();
    const bad = await gw.admin<ErrorBody>('POST', '/policies', { name: 'bad', match: { domains: ['example.com'] }, settings: { cleanupPeriodDays: 'fourteen' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('settings.cleanupPeriodDays');
    const nowhere = await gw.admin<ErrorBody>('POST', '/policies', { name: 'nowhere', settings: {} });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.message).toContain('match');
    const outside = await gw.admin<ErrorBody>('POST', '/policies', { name: 'x', match: { everyone: true }, allowed_models: ['claude-haiku-*'], default_model: SONNET });
    expect(outside.status).toBe(400);
    expect(outside.body.error.message).toContain('default_model');

    const created = await gw.admin<PolicyRecord>('POST', '/policies', {
      name: 'Example engineers',
      match: { domains: ['Example.com'], teams: [teamId] },
      allowed_models: ['claude-sonnet-4*'],
      default_model: 'claude-sonnet-4-5',
      settings: { ...SETTINGS, notARealSetting: true },
    });
    expect(created.status).toBe(201);
    expect(created.body.warnings).toEqual([expect.stringContaining('settings.notARealSetting')]);
    expect(created.body.match.teams).toEqual([{ id: teamId, name: 'Frontend' }]);
    policyId = created.body.id;
    // The unknown key was a test of the warning; the rest of the suite works with the clean document.
    expect((await gw.admin('PATCH', `/policies/${policyId}`, { settings: SETTINGS })).status).toBe(200);
  });

  test('allowlist: a refused model is a 400 invalid_request_error naming the model and the policy, on messages and count_tokens', async (ctx) => {
    if (!gw || !policyId) return ctx.skip();
    const refused = await messages(devKey, OPUS);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(body.error.message).toContain(`"${OPUS}"`);
    expect(body.error.message).toContain('"Example engineers"');
    expect((await messages(frontendKey, OPUS)).status).toBe(400);
    expect((await messages(devKey, OPUS, {}, '/v1/messages/count_tokens')).status).toBe(400);
    expect((await messages(devKey, SONNET)).status).toBe(200);
    expect((await messages(devKey, 'claude-sonnet-4-5[1m]')).status).not.toBe(400);
    // No policy applies to this caller: nothing is restricted.
    expect((await messages(outsiderKey, OPUS)).status).toBe(200);
    expect(mock.requests.some((request) => (request.body as { model?: string }).model === OPUS && request.headers['x-api-key'] !== undefined)).toBe(true);
  });

  test('/v1/models lists only what the policy allows', async (ctx) => {
    if (!gw || !policyId) return ctx.skip();
    const list = async (key: string) =>
      ((await (await fetch(`${gw!.url}/v1/models?limit=1000`, { headers: { 'x-api-key': key } })).json()) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(await list(devKey)).toEqual([SONNET]);
    expect((await list(outsiderKey)).sort()).toEqual([SONNET, 'claude-haiku-4-5-20251001', OPUS].sort());
  });

  test('GET /managed/settings: {uuid, checksum, settings}, quoted ETag, 304 on a match, 404 without a policy, 401 without a credential', async (ctx) => {
    if (!gw || !policyId) return ctx.skip();
    const response = await managed(devKey);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { uuid: string; checksum: string; settings: Record<string, unknown> };
    const expectedSettings = { ...SETTINGS, model: 'claude-sonnet-4-5' };
    expect(body.settings).toEqual(expectedSettings);
    expect(body.checksum).toBe(settingsChecksum(expectedSettings));
    expect(body.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('etag')).toBe(`"${body.checksum}"`);

    const notModified = await managed(devKey, { 'if-none-match': `"${body.checksum}"` });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(`"${body.checksum}"`);
    expect(await notModified.text()).toBe('');
    expect((await managed(devKey, { 'if-none-match': '"sha256:0000"' })).status).toBe(200);
    // The same credential as an x-api-key works too.
    expect((await fetch(`${gw.url}/managed/settings`, { headers: { 'x-api-key': frontendKey } })).status).toBe(200);

    const none = await managed(outsiderKey);
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
    expect((await fetch(`${gw.url}/managed/settings`)).status).toBe(401);
  });

  test('drift: sessions on the current, a stale and no checksum are told apart, and a policy change makes current sessions stale', async (ctx) => {
    if (!gw || !policyId) return ctx.skip();
    const current = ((await (await managed(devKey)).json()) as { checksum: string }).checksum;
    const hint = (session: string, checksum?: string) => ({ 'x-claude-code-session-id': session, ...(checksum ? { 'x-claude-code-managed-settings-checksum': checksum } : {}) });
    expect((await messages(devKey, SONNET, hint(`current-${database}`, current))).status).toBe(200);
    expect((await messages(devKey, SONNET, hint(`stale-${database}`, 'sha256:an-older-document'))).status).toBe(200);
    expect((await messages(devKey, SONNET, hint(`unknown-${database}`))).status).toBe(200);

    const drift = await gw.admin<DriftBody>('GET', '/policies/drift');
    expect(drift.status).toBe(200);
    expect(drift.body.summary).toMatchObject({ current: 1, stale: 1, unknown: 1 });
    expect(drift.body.sessions.map((s) => [s.session_id, s.status]).sort()).toEqual([
      [`stale-${database}`, 'stale'],
      [`unknown-${database}`, 'unknown'],
    ]);
    expect(drift.body.users).toEqual([expect.objectContaining({ email: 'dev@example.com', stale: 1, unknown: 1, current: 1, policies: ['Example engineers'] })]);

    expect((await gw.admin('PATCH', `/policies/${policyId}`, { settings: { ...SETTINGS, cleanupPeriodDays: 30 } })).status).toBe(200);
    const after = await gw.admin<DriftBody>('GET', '/policies/drift?all=true');
    expect(after.body.sessions.find((s) => s.session_id === `current-${database}`)).toMatchObject({ status: 'stale', checksum: current });
    expect(after.body.summary).toMatchObject({ current: 0, stale: 2, unknown: 1 });
  });

  test('layered mode: a base policy for everyone plus the matching one; allowlists narrow, settings merge; resolve explains it', async (ctx) => {
    if (!gw || !policyId) return ctx.skip();
    const base = await gw.admin<PolicyRecord>('POST', '/policies', {
      name: 'Base',
      match: { everyone: true },
      allowed_models: ['claude-*-4-5*'],
      settings: { env: { BASE: 'yes', GREETING: 'hello' }, companyAnnouncements: ['Managed by CCAG'] },
    });
    expect(base.body.position).toBe(2);
    const moved = await gw.admin<{ data: PolicyRecord[] }>('POST', `/policies/${base.body.id}/move`, { position: 1 });
    expect(moved.body.data.map((p) => [p.name, p.position])).toEqual([['Base', 1], ['Example engineers', 2]]);

    // first_match: the base policy now matches first for everyone.
    const first = await gw.admin<{ mode: string; matching: { name: string }[]; effective: { policies: { name: string }[] } }>('GET', '/policies/resolve?user=dev@example.com');
    expect(first.body.mode).toBe('first_match');
    expect(first.body.matching.map((p) => p.name)).toEqual(['Base', 'Example engineers']);
    expect(first.body.effective.policies.map((p) => p.name)).toEqual(['Base']);
    expect((await messages(devKey, 'claude-haiku-4-5-20251001')).status).toBe(200);

    expect((await gw.admin('PUT', '/policies/settings', { mode: 'layered' })).body).toMatchObject({ mode: 'layered' });
    const layered = await gw.admin<{ effective: { allowlists: { policy: string; models: string[] }[]; settings: { env: Record<string, string> } } }>('GET', '/policies/resolve?user=dev@example.com');
    expect(layered.body.effective.allowlists.map((a) => a.policy)).toEqual(['Base', 'Example engineers']);
    expect(layered.body.effective.settings.env).toEqual({ BASE: 'yes', GREETING: 'grüß dich', CLAUDE_CODE_ENABLE_TELEMETRY: '1' });
    // Haiku 4.5 passes the base list but not the engineers' list; the message names the narrower policy.
    const refused = await messages(devKey, 'claude-haiku-4-5-20251001');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('"Example engineers"');
    // The outsider gets the base policy alone now.
    const outsider = (await (await managed(outsiderKey)).json()) as { settings: Record<string, unknown> };
    expect(outsider.settings).toEqual({ env: { BASE: 'yes', GREETING: 'hello' }, companyAnnouncements: ['Managed by CCAG'] });
    expect((await messages(outsiderKey, OPUS)).status).toBe(400);

    // Layered defaults: a default the base (everyone) layer refuses cannot be saved; a base list that
    // refuses another policy's default warns, and resolution drops that default and says so.
    const unusable = await gw.admin<ErrorBody>('POST', '/policies', { name: 'Opus fans', match: { domains: ['example.com'] }, default_model: OPUS });
    expect(unusable.status).toBe(400);
    expect(unusable.body.error.message).toContain('not allowed by policy "Base"');
    const narrowed = await gw.admin<PolicyRecord>('PATCH', `/policies/${base.body.id}`, { allowed_models: ['claude-haiku-4*'] });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.warnings).toEqual([expect.stringContaining('policy "Example engineers" has default_model "claude-sonnet-4-5"')]);
    const dropped = await gw.admin<{ effective: { default_model: string | null; dropped_default_models: unknown[]; settings: Record<string, unknown> } }>(
      'GET',
      '/policies/resolve?user=dev@example.com',
    );
    expect(dropped.body.effective).toMatchObject({ default_model: null, dropped_default_models: [{ model: 'claude-sonnet-4-5', policy: 'Example engineers', refused_by: 'Base' }] });
    expect(dropped.body.effective.settings).not.toHaveProperty('model');

    expect((await gw.admin('GET', '/policies/resolve?user=nobody@nowhere.test')).status).toBe(404);
    const listed = await gw.admin<{ data: PolicyRecord[]; total: number; mode: string }>('GET', '/policies');
    expect(listed.body).toMatchObject({ total: 2, mode: 'layered' });
    expect((await gw.admin('DELETE', `/policies/${base.body.id}`)).status).toBe(204);
    expect((await gw.admin<{ data: PolicyRecord[] }>('GET', '/policies')).body.data.map((p) => [p.name, p.position])).toEqual([['Example engineers', 1]]);
    expect((await messages(outsiderKey, OPUS)).status).toBe(200);
  });
});
