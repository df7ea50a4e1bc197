/**
 * The Policies page in Chromium: the empty state says what to do first; a policy is created in the
 * editor (its settings JSON, a warning for an unknown key shown after the save), listed with its
 * matches, models, default model and order; the mode switch; a drifted session listed; no serious
 * axe findings. Needs `node scripts/build-portal.mjs` first.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { launchChromium, openTab, screenshot, seriousAxeViolations, signInWithPassword, type PortalTab } from '../support/portal-browser.js';

describe('the Policies page in Chromium', () => {
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

  test('empty state, create with a warning, list, mode, drift, accessibility', { timeout: 90_000 }, async (ctx) => {
    if (!gw) return ctx.skip();
    await gw.admin('POST', '/teams', { name: 'Mobile' });
    const { key } = await gw.createKey('dev@example.com');
    tab = await openTab(browser);
    const { page, problems } = tab;
    await signInWithPassword(page, `${gw.url}/portal/`, gw.adminUsername, gw.adminPassword);
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Policies', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Policies' }).waitFor();
    await page.getByText('No policies yet.').waitFor();
    expect(await page.getByText('Start with a base policy for everyone').count()).toBe(1);
    await page.getByText('No session is on stale or unknown settings.').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policies-empty');

    await page.getByRole('button', { name: 'New policy' }).first().click();
    const editor = page.getByRole('dialog', { name: 'New policy' });
    await editor.getByLabel('Name').fill('Engineers');
    await editor.getByLabel('Team Mobile').check();
    await editor.getByLabel('Email domains').fill('example.com');
    await editor.getByLabel('Allowed models').fill('claude-sonnet-4*, claude-haiku-4*');
    await editor.getByLabel('Default model').fill('claude-sonnet-4-5');
    await editor.getByLabel('Managed settings (managed-settings.json)').fill('{"env": {"CLAUDE_CODE_GATEWAY_HINT_HEADERS": "1"}, "cleanupPeriodDay": 7}');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policies-editor');
    await editor.getByRole('button', { name: 'Create policy' }).click();
    await editor.getByText('settings.cleanupPeriodDay').waitFor();
    await editor.getByRole('button', { name: 'Done' }).click();
    await editor.waitFor({ state: 'hidden' });

    const row = page.getByRole('table', { name: 'Policies' }).getByRole('row').filter({ hasText: 'Engineers' });
    await row.waitFor();
    const cells = (await row.locator('th, td').allTextContents()).map((text) => text.trim());
    expect(cells.slice(0, 5)).toEqual(['Engineers', 'Team Mobile, @example.com', 'claude-sonnet-4*, claude-haiku-4*', 'claude-sonnet-4-5', '1']);

    // A wrong type is refused with the API's message, in the editor.
    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit policy Engineers' });
    await edit.getByLabel('Managed settings (managed-settings.json)').fill('{"cleanupPeriodDays": "soon"}');
    await edit.getByRole('button', { name: 'Save policy' }).click();
    await edit.getByRole('alert').filter({ hasText: 'settings.cleanupPeriodDays' }).waitFor();
    await edit.getByRole('button', { name: 'Cancel' }).click();

    await page.getByLabel('How policies combine').selectOption('layered');
    await page.getByText('Every matching policy applies, in order').waitFor();
    expect((await gw.admin<{ mode: string }>('GET', '/policies/settings')).body.mode).toBe('layered');

    // A session reporting an old checksum shows in the drift section.
    const sent = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'x-claude-code-session-id': 'browser-session-1', 'x-claude-code-managed-settings-checksum': 'sha256:old' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5-20250929', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(sent.status).toBe(200);
    await page.reload();
    const drift = page.getByRole('table', { name: 'Sessions on stale or unknown settings' });
    await drift.getByRole('row').filter({ hasText: 'browser-session-1' }).filter({ hasText: 'stale' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-policies');
    expect(problems).toEqual([]);
  });
});
