/**
 * `ccag web-search` as a user runs it: the built executable against a real gateway and the mock
 * search providers, on SQLite and PostgreSQL (run `npx tsc -p tsconfig.json` first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCcag, startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import { startMockSearchProvider, type MockSearchProvider } from '../support/mock-search-provider.js';

describe.each(['sqlite', 'postgres'] as const)('ccag web-search on %s', (database) => {
  let cli: LoggedInCli | undefined;
  let search: MockSearchProvider;

  beforeAll(async () => {
    search = await startMockSearchProvider();
    cli = await startLoggedInCli(database);
  });
  afterAll(async () => {
    await cli?.close();
    await search?.close();
  });

  const withStdin = (args: string[], input: string) => runCcag(args, { configDir: cli!.configDir, input, env: { CCAG_URL: cli!.gateway.url } });

  it('shows, sets with a key from stdin, and tests the gateway provider', async ({ skip }) => {
    if (!cli) return skip();
    const shown = await cli.ccag(['web-search', 'show']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Mode: +disabled$/m);
    expect(shown.stdout).toMatch(/^Provider: +\(none\)$/m);

    const set = await withStdin(['web-search', 'set', '--mode', 'global', '--provider', 'serper', '--api-key-stdin', '--base-url', `${search.url}/serper`, '--max-results', '3', '--json'], `${search.key}\n`);
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ mode: 'global', provider: { type: 'serper', base_url: `${search.url}/serper`, max_results: 3, key_set: true } });
    expect(set.stdout).not.toContain(search.key);

    const tested = await cli.ccag(['web-search', 'test', '--query', 'ccag']);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toMatch(/^The search answered in \d+ ms with 3 result\(s\):$/m);
    expect(tested.stdout).toMatch(/CCAG documentation +https:\/\/docs\.example\.com\/ccag/);
    expect(search.requests.at(-1)).toMatchObject({ provider: 'serper', body: { q: 'ccag', num: 3 } });

    const human = await cli.ccag(['web-search', 'show']);
    expect(human.stdout).toMatch(/^API key: +set$/m);
    expect(human.stdout).toMatch(/^Price per search \(USD\): +0\.01$/m);
  });

  it('refuses what cannot work with a clear error', async ({ skip }) => {
    if (!cli) return skip();
    const nothing = await cli.ccag(['web-search', 'set']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    const noKey = await cli.ccag(['web-search', 'set', '--provider', 'tavily']);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/Tavily needs an API key.*\(HTTP 400, invalid_request\)/);
    const badType = await cli.ccag(['web-search', 'set', '--provider', 'bing']);
    expect(badType.code).toBe(2);
  });

  it('mine: an own provider for per-user mode', async ({ skip }) => {
    if (!cli) return skip();
    const set = await cli.json<{ provider: { type: string; key_set: boolean } }>(['web-search', 'mine', 'set', '--provider', 'searxng', '--base-url', `${search.url}/searxng`]);
    expect(set.provider).toMatchObject({ type: 'searxng', key_set: false });
    const tested = await cli.json<{ ok: boolean; results: unknown[] }>(['web-search', 'mine', 'test']);
    expect(tested).toMatchObject({ ok: true });
    expect(search.requests.at(-1)).toMatchObject({ provider: 'searxng', query: { q: 'Claude Code', format: 'json' } });
    const removed = await cli.ccag(['web-search', 'mine', 'remove']);
    expect(removed.stdout).toBe('Removed your search provider.\n');
    expect(await cli.json(['web-search', 'mine', 'show'])).toEqual({ mode: 'global', provider: null });
  });
});
