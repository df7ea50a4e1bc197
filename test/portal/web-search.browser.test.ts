/**
 * The Web search page and the Settings section in Chromium against a real gateway (issue 11):
 * an admin saves a custom search provider (the key field empty again afterwards: re-enter to
 * change) and the global mode in Settings, reads the setup on the Web search page and runs a test
 * search that reaches the provider with the key; a failing provider's error is shown. In per-user
 * mode a member sets, tests and removes their own provider and sees no admin controls. Each stage
 * passes axe-core and is photographed (test-artifacts/portal/).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';
import { launchChromium, openTab, type PortalTab, screenshot, seriousAxeViolations, signInWithIdp, signInWithPassword, visit } from '../support/portal-browser.js';

const BROWSER_TEST_MS = 180_000;

interface SearchRequest {
  headers: IncomingHttpHeaders;
  body: { query: string; max_results: number };
}

/** A "custom" search provider (POST {query, max_results, …} → {results: [{title, url, snippet, page_age}]}): records each search, answers `status`. */
async function startSearchProvider() {
  const searches: SearchRequest[] = [];
  const state = { status: 200 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as SearchRequest['body'];
      searches.push({ headers: request.headers, body });
      response.statusCode = state.status;
      response.setHeader('content-type', 'application/json');
      if (state.status !== 200) return response.end(JSON.stringify({ error: 'search backend down' }));
      const results = [1, 2, 3, 4].slice(0, body.max_results).map((n) => ({ title: `Result ${n} for ${body.query}`, url: `https://docs.example.com/${n}`, snippet: `snippet ${n}`, page_age: null }));
      response.end(JSON.stringify({ results }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/search`,
    searches,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the Web search page in Chromium', () => {
  let provider: Awaited<ReturnType<typeof startSearchProvider>>;
  let idp: TestIdp;
  let gw: TestGateway | undefined;
  let browser: Browser;
  const tabs: PortalTab[] = [];
  const findings: Record<string, unknown> = {};

  beforeAll(async () => {
    provider = await startSearchProvider();
    idp = await startOidcIdp();
    gw = await startGateway({ database: 'sqlite' });
    if (!gw) return;
    await idp.setRedirectUris([`${gw.url}/auth/oidc/callback`]);
    expect((await gw.admin('POST', '/idps', { name: 'corp', display_name: 'Corp SSO', issuer: idp.issuer, client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET })).status).toBe(201);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await idp?.close();
    await provider?.close();
  });

  async function tab(): Promise<Page> {
    const opened = await openTab(browser);
    tabs.push(opened);
    return opened.page;
  }

  async function check(page: Page, name: string): Promise<void> {
    const violations = await seriousAxeViolations(page);
    if (violations.length > 0) findings[name] = violations;
    await screenshot(page, name);
  }

  test(
    'an admin saves a global custom provider in Settings, then tests it on the Web search page; a failing provider’s error is shown',
    async (ctx) => {
      if (!gw) return ctx.skip();
      const page = await tab();
      await signInWithPassword(page, `${gw.url}/portal/`, gw.adminUsername, gw.adminPassword);

      // The Web search page says what the gateway does, before anything is set.
      await visit(page, 'Web search');
      await page.getByRole('heading', { level: 2, name: 'How it works on Bedrock' }).waitFor();
      await page.getByText(/encrypted_content/).first().waitFor();
      await page.getByText(/Search queries can carry context from the conversation/).waitFor();
      await page.getByText('No global provider is saved.').waitFor();
      await check(page, 'admin-web-search-unset');

      await visit(page, 'Settings');
      const global = page.getByRole('form', { name: 'Global provider' });
      await global.getByLabel('Provider', { exact: true }).selectOption('custom');
      await global.getByLabel('Base URL').fill(provider.url);
      await global.getByLabel('API key').fill('search-key-1');
      await global.getByLabel('Max results').fill('3');
      await global.getByRole('button', { name: 'Save provider' }).click();
      await global.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      // The key is never shown again: the field is empty and keeps it when left blank.
      expect(await global.getByLabel('API key').inputValue()).toBe('');
      expect(await global.getByLabel('API key').getAttribute('placeholder')).toBe('leave blank to keep');

      const mode = page.getByRole('group', { name: 'Mode' });
      await mode.getByLabel(/^Global/).check();
      await page.getByRole('button', { name: 'Save mode' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved: web search is global.' }).waitFor();
      await check(page, 'admin-settings-web-search');

      // The Web search page: the setup, and a test search through the saved provider. Regression:
      // it showed the mode from before the change, kept in the portal's cache for 15 seconds.
      await page.getByRole('link', { name: 'Web search', exact: true }).last().click();
      await page.getByRole('heading', { level: 1, name: 'Web search' }).waitFor();
      const setup = page.getByRole('region', { name: 'Current setup', exact: true });
      await setup.getByText('Global', { exact: true }).waitFor();
      await setup.getByText(/Custom HTTP endpoint · up to 3 results · .* · API key set/).waitFor();
      const testing = page.getByRole('region', { name: 'Test a search', exact: true });
      await testing.getByLabel('Search query').fill('ccag gateway');
      await testing.getByRole('button', { name: 'Run test search' }).click();
      await testing.getByRole('status').filter({ hasText: '3 results in' }).waitFor();
      const results = testing.getByRole('list', { name: 'Test search results' });
      await results.getByRole('link', { name: 'Result 1 for ccag gateway' }).waitFor();
      await results.getByText('https://docs.example.com/3').waitFor();
      const search = provider.searches.at(-1)!;
      expect(search.body).toMatchObject({ query: 'ccag gateway', max_results: 3 });
      expect(search.headers.authorization).toBe('Bearer search-key-1');
      await check(page, 'admin-web-search-tested');

      provider.state.status = 500;
      await testing.getByRole('button', { name: 'Run test search' }).click();
      await testing.getByRole('status').filter({ hasText: 'The search failed' }).waitFor();
      provider.state.status = 200;
      await check(page, 'admin-web-search-failed');
      expect(findings).toEqual({});
    },
    BROWSER_TEST_MS,
  );

  test(
    'in per-user mode a member sets, tests and removes their own provider, and sees no admin controls',
    async (ctx) => {
      if (!gw) return ctx.skip();
      expect((await gw.admin('PUT', '/web-search', { mode: 'per_user' })).status).toBe(200);
      idp.setAccount('rita', { email: 'rita@example.com', email_verified: true, name: 'Rita' });
      const page = await tab();
      await signInWithIdp(page, `${gw.url}/portal/web-search`, 'Corp SSO', 'rita');
      await page.getByRole('heading', { level: 1, name: 'Web search' }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Change in Settings' }).count()).toBe(0);
      const setup = page.getByRole('region', { name: 'Current setup', exact: true });
      await setup.getByText('Per user', { exact: true }).waitFor();
      const mine = page.getByRole('region', { name: 'Your provider', exact: true });
      await mine.getByText(/You have no provider yet/).waitFor();
      await check(page, 'member-web-search-unset');

      const form = page.getByRole('form', { name: 'Your provider' });
      await form.getByLabel('Provider', { exact: true }).selectOption('custom');
      await form.getByLabel('Base URL').fill(provider.url);
      await form.getByLabel('API key').fill('rita-key');
      await form.getByLabel('Max results').fill('2');
      await form.getByRole('button', { name: 'Save provider' }).click();
      await setup.getByText(/Custom HTTP endpoint · up to 2 results · .* · API key set/).waitFor();
      await mine.getByText(/You have no provider yet/).waitFor({ state: 'detached' });

      const testing = page.getByRole('region', { name: 'Test a search', exact: true });
      await testing.getByLabel('Search query').fill('my own search');
      await testing.getByRole('button', { name: 'Run test search' }).click();
      await testing.getByRole('status').filter({ hasText: '2 results in' }).waitFor();
      expect(provider.searches.at(-1)!.headers.authorization).toBe('Bearer rita-key');
      await check(page, 'member-web-search-tested');

      await form.getByRole('button', { name: 'Remove my provider' }).click();
      await page.getByRole('dialog', { name: 'Remove my provider?' }).getByRole('button', { name: 'Remove my provider' }).click();
      await mine.getByText(/You have no provider yet/).waitFor();
      expect(findings).toEqual({});
    },
    BROWSER_TEST_MS,
  );

  test('nothing went wrong in any tab: no script errors, CSP violations or failed requests', () => {
    expect(tabs.flatMap((opened) => opened.problems)).toEqual([]);
  });
});
