/**
 * The Attribution page in Chromium: spend by billing group (untagged requests as their own row),
 * by Claude Code session with the subagents' share, and a session's agents with the agent that
 * started each; no serious axe findings. Needs `node scripts/build-portal.mjs` first.
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { eventually, launchChromium, openTab, screenshot, seriousAxeViolations, signInWithPassword, visit, type PortalTab } from '../support/portal-browser.js';

const SESSION = `sess-${randomUUID()}`;
const SUBAGENT = `agent-${randomUUID().slice(0, 8)}`;

describe('the Attribution page in Chromium', () => {
  let mock: MockAnthropic;
  let gw: TestGateway | undefined;
  let browser: Browser;
  let tab: PortalTab | undefined;

  beforeAll(async () => {
    mock = await startMockAnthropic();
    gw = await startGateway({ database: 'sqlite', env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url } });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await tab?.context.close();
    await browser?.close();
    await gw?.close();
    await mock?.close();
  });

  async function send(key: string, headers: Record<string, string>, tags?: Record<string, string>) {
    const response = await fetch(`${gw!.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': key, ...headers },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }], ...(tags && { tags }) }),
    });
    expect(response.status).toBe(200);
  }

  test('billing groups, sessions, a session\'s agents, accessibility', { timeout: 90_000 }, async (ctx) => {
    if (!gw) return ctx.skip();
    tab = await openTab(browser);
    const { page, problems } = tab;
    await signInWithPassword(page, `${gw.url}/portal/`, gw.adminUsername, gw.adminPassword);
    await visit(page, 'Attribution');
    await page.getByText('No Claude Code sessions in this range.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-attribution-empty');

    const { key } = await gw.createKey('dev@example.com');
    await send(key, { 'x-claude-code-session-id': SESSION }, { billing_group: 'team-a/web' });
    await send(key, { 'x-claude-code-session-id': SESSION, 'x-claude-code-agent-id': SUBAGENT }, { billing_group: 'team-a/web' });
    await send(key, {});
    await gw.ledgerRows(3);

    await eventually(page, async () => {
      await page.getByRole('table', { name: 'Spend by billing group' }).getByRole('row').filter({ hasText: 'team-a/web' }).waitFor({ timeout: 5_000 });
    });
    const groups = page.getByRole('table', { name: 'Spend by billing group' });
    const tagged = (await groups.getByRole('row').filter({ hasText: 'team-a/web' }).locator('td').allTextContents()).map((text) => text.trim());
    expect(tagged.slice(0, 2)).toEqual(['team-a/web', '2']);
    expect(await groups.getByRole('row').filter({ hasText: 'Untagged' }).count()).toBe(1);

    const session = page.getByRole('table', { name: 'Spend by session' }).getByRole('row').filter({ hasText: SESSION });
    const cells = (await session.locator('td').allTextContents()).map((text) => text.trim());
    // Session | User | Agents | Requests: the main agent and one subagent.
    expect(cells.slice(0, 4)).toEqual([SESSION, 'dev@example.com', '2', '2']);
    await session.getByRole('button', { name: `Show the agents of session ${SESSION}` }).click();

    const agents = page.getByRole('table', { name: `Agents of session ${SESSION}` });
    await agents.waitFor();
    const rows = await agents.getByRole('row').all();
    const texts = await Promise.all(rows.slice(1).map(async (row) => (await row.locator('th, td').allTextContents()).map((text) => text.trim()).slice(0, 3)));
    expect(texts).toEqual([
      ['Main agent', '—', '1'],
      [SUBAGENT, 'Main agent', '1'],
    ]);
    expect(page.url()).toContain(`session=${SESSION}`);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-attribution');
    expect(problems).toEqual([]);
  });
});
