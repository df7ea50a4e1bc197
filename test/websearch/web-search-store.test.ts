/**
 * Web search settings on SQLite and PostgreSQL: keys sealed at rest and never in a view, a key
 * kept when left out ("re-enter to change"), members' own providers, another replica's mirror
 * following every change (removals too), and test searches through saved and unsaved providers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSecretBox } from '../../src/config/secret-box.js';
import type { Store } from '../../src/store/database.js';
import { WebSearchMirror } from '../../src/websearch/web-search-mirror.js';
import { createWebSearchRepo } from '../../src/websearch/web-search.repo.js';
import { createWebSearchService } from '../../src/websearch/web-search.service.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { startMockSearchProvider, type MockSearchProvider } from '../support/mock-search-provider.js';
import { loopbackOutbound } from '../support/outbound.js';

const signal = new AbortController().signal;

describe.each(databaseKinds)('web search settings on %s', (kind) => {
  let database: TestDatabase | undefined;
  let store: Store;
  let search: MockSearchProvider;
  /** The key the mock providers accept. */
  let KEY: string;
  const box = createSecretBox(Buffer.alloc(32, 7));
  let clock = 1_000_000;

  const serviceOn = (mirror: WebSearchMirror) =>
    createWebSearchService({ repo: createWebSearchRepo(store.db), mirror, seal: box.seal, open: box.open, fetch, outbound: loopbackOutbound, pricePerSearchUsd: 0.01, now: () => clock });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    if (!database) return;
    store = await database.open();
    search = await startMockSearchProvider();
    KEY = search.key;
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    await search?.close();
  });

  test('the gateway provider: sealed at rest, kept when left out, refused without what it needs', async ({ skip }) => {
    if (!database) return skip();
    const mirror = new WebSearchMirror(createWebSearchRepo(store.db));
    await mirror.refresh();
    const service = serviceOn(mirror);
    expect(service.state()).toMatchObject({ mode: 'disabled', provider: null, price_per_search_usd: 0.01, users_configured: 0 });
    expect(service.state().providers.map((p) => p.type)).toEqual(['tavily', 'brave', 'serper', 'exa', 'searxng', 'custom']);

    const view = await service.update({ mode: 'global', provider: { type: 'tavily', api_key: KEY, base_url: `${search.url}/tavily`, max_results: 3 } });
    expect(view).toMatchObject({ mode: 'global', provider: { type: 'tavily', base_url: `${search.url}/tavily`, max_results: 3, key_set: true } });
    expect(JSON.stringify(view)).not.toContain(KEY);
    const row = await store.db.selectFrom('web_search_providers').selectAll().where('owner', '=', 'global').executeTakeFirstOrThrow();
    expect(row.api_key_sealed).not.toContain(KEY);
    expect(box.open(row.api_key_sealed!)).toBe(KEY);

    clock += 1;
    await service.update({ provider: { type: 'tavily', max_results: 4 } });
    const kept = await store.db.selectFrom('web_search_providers').selectAll().where('owner', '=', 'global').executeTakeFirstOrThrow();
    expect(box.open(kept.api_key_sealed!)).toBe(KEY);
    expect(kept).toMatchObject({ max_results: 4, base_url: `${search.url}/tavily` });

    await expect(service.update({ provider: { type: 'brave' } })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/Brave Search needs an API key/) });
    await expect(service.update({ provider: { type: 'searxng' } })).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/needs the URL/) });
  });

  test('tests run through the saved provider, or an unsaved one using the saved key', async ({ skip }) => {
    if (!database) return skip();
    const mirror = new WebSearchMirror(createWebSearchRepo(store.db));
    await mirror.refresh();
    const service = serviceOn(mirror);
    const saved = await service.test({ query: 'ccag' }, signal);
    expect(saved).toMatchObject({ ok: true, error: null, results: [{ title: 'CCAG documentation', url: 'https://docs.example.com/ccag' }, expect.anything(), expect.anything()] });
    expect(search.requests.at(-1)!.body).toMatchObject({ query: 'ccag', max_results: 4 });
    const unsaved = await service.test({ provider: { type: 'tavily', max_results: 1 } }, signal);
    expect(unsaved.ok).toBe(true);
    expect(search.requests.at(-1)!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(search.requests.at(-1)!.body).toMatchObject({ query: 'Claude Code', max_results: 1 });
    const wrong = await service.test({ provider: { type: 'tavily', api_key: 'tvly-wrong' } }, signal);
    expect(wrong).toMatchObject({ ok: false, results: [], error: expect.stringContaining('HTTP 401') });
  });

  test("members' providers, and another replica's mirror following each change, removals included", async ({ skip }) => {
    if (!database) return skip();
    const here = new WebSearchMirror(createWebSearchRepo(store.db));
    const there = new WebSearchMirror(createWebSearchRepo(store.db));
    await Promise.all([here.refresh(), there.refresh()]);
    const service = serviceOn(here);
    clock += 1;
    await service.update({ mode: 'per_user' });
    const mine = await service.setMine('user-1', { type: 'custom', base_url: `${search.url}/custom/hook` });
    expect(mine).toEqual({ mode: 'per_user', provider: { type: 'custom', base_url: `${search.url}/custom/hook`, max_results: 5, key_set: false, updated_at: expect.any(String) } });
    expect(service.state().users_configured).toBe(1);

    await there.refresh();
    expect(there.mode()).toBe('per_user');
    expect(there.provider('user-1')?.type).toBe('custom');
    expect(there.usersConfigured()).toBe(1);

    expect(await service.removeMine('user-1')).toEqual({ mode: 'per_user', provider: null });
    await there.refresh();
    expect(there.provider('user-1')).toBeUndefined();
    clock += 1;
    await service.update({ provider: null });
    await there.refresh();
    expect(there.provider('global')).toBeUndefined();
  });
});
