/**
 * The admin portal in Debian's Chromium (spec §10, issue 9): an admin signs in with a password,
 * builds a team, a user and a budget in the UI, creates a key there and uses it with the
 * Anthropic SDK, then sees the traffic on the Dashboard and Usage pages; a member signs in
 * through the test identity provider and sees only their own pages while the admin API refuses
 * them; on the Endpoints page an admin reads the pool health and the statistics, edits, validates
 * and tries to delete an endpoint, and gives a team its own routing and takes it back; every page
 * passes an axe-core scan and is photographed (test-artifacts/portal/), with no
 * script error or Content-Security-Policy violation along the way.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { createEndpointEventsRepo } from '../../src/routing/endpoint-events.repo.js';
import { crossDemoBudgets, seedDemoTraffic } from '../support/demo-traffic.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { startMockAwsPricing, type MockAwsPricing } from '../support/mock-aws-pricing.js';
import { IDP_CLIENT_ID, IDP_CLIENT_SECRET, startOidcIdp, type TestIdp } from '../support/oidc-idp.js';
import { eventually, fetchInPage, launchChromium, openTab, type PortalTab, screenshot, seriousAxeViolations, signInWithIdp, signInWithPassword, visit } from '../support/portal-browser.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const MEMBER_PAGES = ['Dashboard', 'Usage', 'Connect', 'Keys', 'Budgets', 'Attribution', 'Web search'];
const BROWSER_TEST_MS = 180_000;

describe('the portal in Chromium', () => {
  let mock: MockAnthropic;
  let awsPricing: MockAwsPricing;
  let idp: TestIdp;
  let gw: TestGateway | undefined;
  let browser: Browser;
  const tabs: PortalTab[] = [];

  beforeAll(async () => {
    mock = await startMockAnthropic();
    // "Refresh from AWS" on the Pricing page reads this mock Price List with these credentials.
    awsPricing = await startMockAwsPricing();
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    idp = await startOidcIdp();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_AWS_PRICING_ENDPOINT: awsPricing.url } });
    if (!gw) return;
    await idp.setRedirectUris([`${gw.url}/auth/oidc/callback`]);
    const created = await gw.admin('POST', '/idps', { name: 'corp', display_name: 'Corp SSO', issuer: idp.issuer, client_id: IDP_CLIENT_ID, client_secret: IDP_CLIENT_SECRET });
    expect(created.status).toBe(201);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await idp?.close();
    await mock?.close();
    await awsPricing?.close();
    vi.unstubAllEnvs();
  });

  async function tab(options?: Parameters<typeof openTab>[1]): Promise<PortalTab> {
    const opened = await openTab(browser, options);
    tabs.push(opened);
    return opened;
  }

  test(
    'an admin signs in with a password, builds a team, a user, a budget and a key in the UI; the key works with the SDK; Dashboard and Usage show the traffic',
    async (ctx) => {
      if (!gw) return ctx.skip();
      const { page } = await tab();
      await signInWithPassword(page, `${gw.url}/portal/`, gw.adminUsername, gw.adminPassword);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

      await visit(page, 'Teams');
      await page.getByRole('button', { name: 'Create team' }).first().click();
      let dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('Mobile');
      await dialog.getByRole('button', { name: 'Create team' }).click();
      await page.getByRole('table', { name: 'Teams' }).getByRole('cell', { name: 'Mobile', exact: true }).waitFor();

      await visit(page, 'Users');
      await page.getByRole('button', { name: 'Add user' }).first().click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel('Email').fill('dev@example.com');
      await dialog.getByLabel('Team').selectOption({ label: 'Mobile' });
      await dialog.getByRole('button', { name: 'Add user' }).click();
      await page.getByRole('table', { name: 'Users' }).getByText('dev@example.com').waitFor();

      await visit(page, 'Budgets');
      await page.getByRole('button', { name: 'Set a budget' }).first().click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel('Budget for').selectOption('user');
      await dialog.getByLabel('User email').fill('dev@example.com');
      await dialog.getByLabel('Amount (USD)').fill('25');
      await dialog.getByRole('button', { name: 'Set budget' }).click();
      const budgets = page.getByRole('table', { name: 'Budgets' });
      await budgets.getByText('dev@example.com').waitFor();
      await expect(budgets.getByRole('row', { name: /dev@example\.com/ }).textContent()).resolves.toContain('$25.00');

      await visit(page, 'Keys');
      await page.getByRole('button', { name: 'Create key' }).first().click();
      dialog = page.getByRole('dialog');
      await dialog.getByLabel('User email').fill('dev@example.com');
      await dialog.getByLabel('Name', { exact: true }).fill('laptop');
      await dialog.getByRole('button', { name: 'Create key' }).click();
      const key = (await dialog.getByLabel('key', { exact: true }).textContent())!.trim();
      expect(key).toMatch(/^sk-ccag-[0-9a-f]{64}$/);
      await screenshot(page, 'keys-created');
      await dialog.getByRole('button', { name: 'Done' }).click();
      await page.getByRole('table', { name: 'Keys' }).getByRole('cell', { name: 'laptop', exact: true }).waitFor();

      const client = new Anthropic({ apiKey: key, baseURL: gw.url, maxRetries: 0 });
      for (const content of ['hello [[usage in=1200 out=300 cr=4000]]', 'search [[tool mcp__github__search_issues]]', 'run [[tool Bash]]']) {
        const message = await client.messages.create({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content }] });
        expect(message.model).toBe(MODEL);
      }

      await visit(page, 'Dashboard');
      await eventually(page, async () => {
        const models = page.getByRole('table', { name: 'Cost by model' });
        await models.getByRole('cell', { name: MODEL }).waitFor({ timeout: 5_000 });
        // Model | Requests | Cost | Avg Latency: three requests so far.
        expect(await models.getByRole('row', { name: new RegExp(MODEL) }).getByRole('cell').nth(1).textContent()).toBe('3');
        await page.getByRole('table', { name: 'Tool usage' }).getByRole('cell', { name: 'mcp__github__search_issues' }).waitFor({ timeout: 5_000 });
      });

      await visit(page, 'Usage');
      await eventually(page, async () => {
        const row = page.getByRole('table', { name: 'Usage by user' }).getByRole('row', { name: /dev@example\.com/ });
        await row.waitFor({ timeout: 5_000 });
        expect(await row.textContent()).toContain('Mobile');
      });
    },
    BROWSER_TEST_MS,
  );

  test(
    'a member signs in through the identity provider and sees only their own pages; the admin API refuses them whatever the UI shows',
    async (ctx) => {
      if (!gw) return ctx.skip();
      idp.setAccount('alice', { email: 'alice@example.com', email_verified: true, name: 'Alice' });
      const { page } = await tab();
      await signInWithIdp(page, `${gw.url}/portal/keys`, 'Corp SSO', 'alice');
      // Back where she asked to go, signed in as a member.
      await page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor();
      await expect(page.getByText('alice@example.com').first().isVisible()).resolves.toBe(true);

      const nav = page.getByRole('navigation', { name: 'Portal' });
      expect(await nav.getByRole('link').allTextContents()).toEqual(MEMBER_PAGES);

      await page.goto(`${gw.url}/portal/users`);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      for (const [method, path, body] of [
        ['GET', '/admin/users'],
        ['GET', '/admin/system'],
        ['GET', '/admin/analytics/summary?team_id=anything'],
        ['POST', '/admin/teams', { name: 'rogue' }],
        ['PATCH', '/admin/settings', { session_ttl_hours: 8760 }],
      ] as const) {
        const answer = await fetchInPage(page, method, path, body);
        expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      }
      // Her own data is hers to read.
      expect((await fetchInPage(page, 'GET', '/admin/me/budgets')).status).toBe(200);
      expect((await fetchInPage(page, 'GET', '/admin/analytics/summary')).status).toBe(200);
    },
    BROWSER_TEST_MS,
  );

  test('Pricing: Refresh from AWS pulls Bedrock prices, says what changed and shows them as source aws', async (ctx) => {
    if (!gw) return ctx.skip();
    const { page } = await tab();
    await signInWithPassword(page, `${gw.url}/portal/`, gw.adminUsername, gw.adminPassword);
    await visit(page, 'Pricing');
    await page.getByRole('button', { name: 'Refresh from AWS' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Refreshed 4 models from the AWS Price List (us-east-1)' }).textContent()).resolves.toMatch(/26 rows updated|added/);
    await page.getByLabel('Source').selectOption('aws');
    const row = page.getByRole('table', { name: 'Pricing' }).getByRole('row', { name: /global\.anthropic\.claude-opus-5/ });
    await row.getByText('aws', { exact: true }).waitFor();
  }, BROWSER_TEST_MS);

  test(
    'Endpoints: pool health, statistics with the pool events, endpoint controls, and a team routing edited and cleared',
    async (ctx) => {
      if (!gw) return ctx.skip();
      const team = (await gw.admin<{ id: string }>('POST', '/teams', { name: 'Routing team' })).body;
      await gw.addEndpoint({ kind: 'anthropic', name: 'spare', api_key: mock.apiKey, base_url: mock.url, priority: 200 });
      const main = (await gw.admin<{ data: Array<{ id: string; name: string }> }>('GET', '/endpoints')).body.data.find((e) => e.name === 'anthropic')!;
      const hourAgo = Date.now() - 3_600_000;
      await createEndpointEventsRepo(gw.store.db).insertMany([
        { endpointId: main.id, kind: 'throttle', reason: 'throttled', durationMs: null, at: hourAgo },
        { endpointId: main.id, kind: 'throttle', reason: 'throttled', durationMs: null, at: hourAgo + 1000 },
        { endpointId: main.id, kind: 'cooldown', reason: 'throttled', durationMs: 30_000, at: hourAgo + 1000 },
        { endpointId: main.id, kind: 'failover', reason: 'throttled', durationMs: null, at: hourAgo + 1000 },
      ]);
      const { page } = await tab();
      await signInWithPassword(page, `${gw.url}/portal/`, gw.adminUsername, gw.adminPassword);
      await visit(page, 'Endpoints');

      // Statistics: every endpoint has a row; the seeded pool events are counted.
      const stats = page.getByRole('table', { name: 'Endpoint statistics' });
      const cells = async (name: string) => (await stats.getByRole('row').filter({ hasText: name }).first().locator('th, td').allTextContents()).map((text) => text.trim());
      await stats.waitFor();
      expect((await cells('anthropic')).slice(6, 9)).toEqual(['2', '1', '1']);
      expect((await cells('spare')).slice(1, 3)).toEqual(['0', '0']);
      // Pool health: each endpoint with its state written out.
      const health = page.getByRole('table', { name: 'Pool health' });
      await health.waitFor();
      expect(await health.getByRole('row').filter({ hasText: 'spare' }).first().textContent()).toMatch(/healthy|probing/);

      // Edit: the priority changes; blank secrets are kept.
      await page.getByRole('button', { name: 'Edit spare' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit spare' });
      await edit.getByLabel('Priority').fill('300');
      expect(await edit.getByLabel('API key').inputValue()).toBe('');
      await screenshot(page, 'admin-endpoints-edit');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await edit.waitFor({ state: 'hidden' });
      await page.getByRole('table', { name: 'Configured endpoints' }).getByRole('row').filter({ hasText: 'spare' }).filter({ hasText: '300' }).waitFor();

      // Validate: the checks, each with its time.
      await page.getByRole('button', { name: 'Validate spare' }).click();
      const checks = page.getByRole('dialog', { name: 'Checks of spare' });
      for (const check of ['Credentials', 'Reachability', 'Model discovery']) await checks.getByText(check, { exact: true }).waitFor();
      await checks.getByRole('button', { name: 'Close' }).last().click();

      // Routing: the team gets its own strategy and endpoints.
      const routing = page.getByRole('table', { name: 'Routing' });
      await routing.getByRole('button', { name: /\(Routing team\)$/ }).click();
      const editor = page.getByRole('dialog', { name: 'Routing of Routing team' });
      await editor.getByLabel('Strategy').selectOption('priority');
      await editor.getByText('fails over in the order listed').waitFor();
      // A team without its own routing starts from the default's list, which may hold spare already.
      if ((await editor.getByRole('button', { name: 'Remove spare' }).count()) === 0) {
        await editor.getByLabel('Add an endpoint').selectOption({ label: 'spare' });
        await editor.getByRole('button', { name: 'Add', exact: true }).click();
        // Added last; moved up, it goes first.
        expect(await editor.getByRole('listitem').last().textContent()).toContain('spare');
      }
      while (await editor.getByRole('button', { name: 'Move spare up' }).isEnabled()) await editor.getByRole('button', { name: 'Move spare up' }).click();
      expect(await editor.getByRole('listitem').first().textContent()).toContain('spare');
      const editorFindings = await seriousAxeViolations(page);
      await screenshot(page, 'admin-endpoints-routing');
      await editor.getByRole('button', { name: 'Save routing' }).click();
      await editor.waitFor({ state: 'hidden' });
      const teamRow = routing.getByRole('row').filter({ hasText: 'Routing team' });
      await teamRow.filter({ hasText: 'own routing' }).filter({ hasText: 'spare' }).waitFor();
      expect((await gw.admin<{ teams: Array<{ team_id: string; strategy: string; custom: boolean }> }>('GET', '/routing')).body.teams.find((t) => t.team_id === team.id)).toMatchObject({
        strategy: 'priority',
        custom: true,
      });

      // Deleting an endpoint a team routes to is refused, naming the team.
      await page.getByRole('button', { name: 'Delete spare' }).click();
      const confirm = page.getByRole('dialog', { name: 'Delete spare?' });
      await confirm.getByRole('button', { name: 'Delete endpoint' }).click();
      await expect(confirm.getByRole('alert').textContent()).resolves.toContain('Routing team');
      await screenshot(page, 'admin-endpoints-delete-refused');
      await confirm.getByRole('button', { name: 'Cancel' }).click();

      // "Use the default routing" clears the team's own.
      await routing.getByRole('button', { name: /\(Routing team\)$/ }).click();
      await page.getByRole('dialog', { name: 'Routing of Routing team' }).getByRole('button', { name: 'Use the default routing' }).click();
      await teamRow.filter({ hasText: 'uses the default' }).waitFor();
      expect(editorFindings).toEqual([]);
      expect(await seriousAxeViolations(page)).toEqual([]);
      await screenshot(page, 'admin-endpoints-sections');
    },
    BROWSER_TEST_MS,
  );

  test(
    'every page, for admins and members, in light and dark: no serious or critical axe findings, a screenshot each',
    async (ctx) => {
      if (!gw) return ctx.skip();
      // A month of traffic and crossed budgets, so every chart and table has something to show.
      const demo = await seedDemoTraffic(gw);
      await crossDemoBudgets(gw, demo, MODEL);
      const findings: Record<string, unknown> = {};
      const admin = await tab();
      await signInWithPassword(admin.page, `${gw.url}/portal/`, gw.adminUsername, gw.adminPassword);
      const adminPages = await admin.page.getByRole('navigation', { name: 'Portal' }).getByRole('link').allTextContents();
      expect(adminPages.length).toBeGreaterThanOrEqual(15);
      for (const label of adminPages) {
        await visit(admin.page, label);
        await admin.page.waitForLoadState('networkidle');
        const violations = await seriousAxeViolations(admin.page);
        if (violations.length > 0) findings[`admin ${label}`] = violations;
        await screenshot(admin.page, `admin-${slug(label)}`);
      }

      const dark = await tab({ colorScheme: 'dark' });
      await signInWithPassword(dark.page, `${gw.url}/portal/`, gw.adminUsername, gw.adminPassword);
      for (const label of adminPages) {
        await visit(dark.page, label);
        await dark.page.waitForLoadState('networkidle');
        const violations = await seriousAxeViolations(dark.page);
        if (violations.length > 0) findings[`dark ${label}`] = violations;
      }
      await screenshot(dark.page, 'admin-dark-system');

      idp.setAccount('maria', { email: 'maria@example.com', email_verified: true, name: 'Maria' });
      const member = await tab();
      await signInWithIdp(member.page, `${gw.url}/portal/`, 'Corp SSO', 'maria');
      for (const label of MEMBER_PAGES) {
        await visit(member.page, label);
        await member.page.waitForLoadState('networkidle');
        // Regression: the Dashboard cached her budgets in another shape under the same key, and
        // the Budgets page, opened after it, then said that no budget applies to her.
        if (label === 'Budgets') await member.page.getByRole('heading', { level: 2, name: 'Your budget' }).waitFor({ timeout: 5_000 });
        const violations = await seriousAxeViolations(member.page);
        if (violations.length > 0) findings[`member ${label}`] = violations;
        await screenshot(member.page, `member-${slug(label)}`);
      }

      const signInTab = await tab();
      await signInTab.page.goto(`${gw.url}/portal/`);
      await signInTab.page.getByRole('heading', { name: 'Sign in to continue' }).waitFor();
      const violations = await seriousAxeViolations(signInTab.page);
      if (violations.length > 0) findings['sign-in'] = violations;
      await screenshot(signInTab.page, 'sign-in');

      expect(findings).toEqual({});
    },
    BROWSER_TEST_MS * 2,
  );

  test('nothing went wrong in any tab: no script errors, CSP violations or failed requests', () => {
    expect(tabs.flatMap((opened) => opened.problems)).toEqual([]);
  });
});

const slug = (label: string) => label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
