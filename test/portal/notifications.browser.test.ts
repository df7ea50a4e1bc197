/**
 * The Notifications page in Chromium against a real gateway (issue 11): an admin configures a
 * webhook, saves it as a draft (the generated signing secret is shown once), sees a failed test
 * keep Activate disabled, tests again and activates; a budget alert crossed by a real request
 * fails delivery for good, is listed among the failed events, retried from the page and arrives
 * signed; Budget alerts says where each alert's notification stands (with a link to set
 * notifications up for one that was never queued); deactivate and discard end the workflow.
 * Each stage passes axe-core and is photographed (test-artifacts/portal/).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { periodWindow } from '../../src/limits/budget-period.js';
import { startGateway, type TestGateway } from '../support/gateway.js';
import { startMockAnthropic, type MockAnthropic } from '../support/mock-anthropic.js';
import { eventually, launchChromium, openTab, type PortalTab, screenshot, seriousAxeViolations, signInWithPassword, visit } from '../support/portal-browser.js';

const MODEL = 'claude-sonnet-4-5-20250929';
const BROWSER_TEST_MS = 180_000;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback (plain http is allowed there): records each request, answers `status`. */
async function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = state.status;
      response.end(state.status < 300 ? 'ok' : 'receiver down');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The documented check: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>, in constant time. */
function signatureValid(secret: string, request: Received): boolean {
  const timestamp = String(request.headers['x-ccag-timestamp']);
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`);
  const given = Buffer.from(String(request.headers['x-ccag-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('the Notifications page in Chromium', () => {
  let mock: MockAnthropic;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let gw: TestGateway | undefined;
  let browser: Browser;
  const tabs: PortalTab[] = [];

  beforeAll(async () => {
    mock = await startMockAnthropic();
    receiver = await startReceiver();
    // One attempt per event, so a failed budget alert is given up on at once and can be retried from the page.
    gw = await startGateway({
      database: 'sqlite',
      env: { ANTHROPIC_API_KEY: mock.apiKey, ANTHROPIC_UPSTREAM_URL: mock.url, CCAG_NOTIFY_INTERVAL_MS: '1000', CCAG_NOTIFY_MAX_ATTEMPTS: '1' },
    });
    if (!gw) return;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await receiver?.close();
    await mock?.close();
  });

  async function adminTab(): Promise<Page> {
    const opened = await openTab(browser);
    tabs.push(opened);
    await signInWithPassword(opened.page, `${gw!.url}/portal/`, gw!.adminUsername, gw!.adminPassword);
    return opened.page;
  }

  const findings: Record<string, unknown> = {};
  async function check(page: Page, name: string): Promise<void> {
    const violations = await seriousAxeViolations(page);
    if (violations.length > 0) findings[name] = violations;
    await screenshot(page, name);
  }

  test(
    'configure a webhook → save as draft → a failed test keeps Activate off → a good test → activate; a dead budget alert is retried from the page and arrives signed',
    async (ctx) => {
      if (!gw) return ctx.skip();
      const page = await adminTab();
      await visit(page, 'Notifications');
      const active = page.getByRole('region', { name: 'Active destination', exact: true });
      const draft = page.getByRole('region', { name: 'Draft', exact: true });
      await active.getByText('No destination is active.', { exact: true }).waitFor();
      // Regression: the JSX line break swallowed the space ("events go outevery second").
      expect(await active.textContent()).toContain('from then on events go out every second.');
      await page.getByRole('region', { name: 'Delivery history', exact: true }).getByText('No delivery history yet.').waitFor();
      await check(page, 'admin-notifications-empty');

      // Configure and save: no secret given, so the gateway generates one and shows it once.
      // Webhook is the type a blank form starts with.
      const form = page.getByRole('region', { name: 'Configure a destination', exact: true });
      await form.getByLabel('Webhook URL').fill(receiver.url);
      await form.getByRole('button', { name: 'Save as draft' }).click();
      const secret = (await page.getByLabel('webhook signing secret', { exact: true }).textContent())!.trim();
      expect(secret.length).toBeGreaterThanOrEqual(32);
      await draft.getByText('Not tested yet.').waitFor();
      await draft.getByText(receiver.url).waitFor();
      expect(await draft.getByRole('button', { name: 'Activate' }).isDisabled()).toBe(true);
      await check(page, 'admin-notifications-draft');

      // A failing receiver: the test fails, says why, and Activate stays off.
      receiver.state.status = 500;
      await draft.getByRole('button', { name: 'Test delivery' }).click();
      await draft.getByRole('status').filter({ hasText: 'The test delivery failed (HTTP 500)' }).waitFor();
      await draft.getByText(/^Failed /).waitFor();
      expect(await draft.getByRole('button', { name: 'Activate' }).isDisabled()).toBe(true);
      const history = page.getByRole('table', { name: 'Delivery history' });
      await history.getByRole('row').filter({ hasText: 'Test event' }).filter({ hasText: 'failed' }).filter({ hasText: 'HTTP 500' }).waitFor();

      // A working receiver: the test is delivered, signed with the secret shown once.
      receiver.state.status = 200;
      await draft.getByRole('button', { name: 'Test delivery' }).click();
      await draft.getByRole('status').filter({ hasText: 'The test event was delivered' }).waitFor();
      const test = receiver.received.at(-1)!;
      expect(test.headers['x-ccag-event-type']).toBe('notification_test');
      expect(signatureValid(secret, test)).toBe(true);
      await history.getByRole('row').filter({ hasText: 'Test event' }).filter({ hasText: 'delivered' }).waitFor();
      await page.getByRole('list', { name: 'Workflow' }).getByRole('listitem').filter({ hasText: 'Activate' }).filter({ hasText: 'Next' }).waitFor();
      await check(page, 'admin-notifications-tested');

      await draft.getByRole('button', { name: 'Activate' }).click();
      await active.getByText(receiver.url).waitFor();
      await draft.getByText('No draft.').waitFor();

      // A budget crossed by a real request: its alert's one delivery fails, so it is given up on.
      receiver.state.status = 503;
      const sentBefore = receiver.received.length;
      const user = (await gw.admin<{ id: string }>('POST', '/users', { email: 'spender@example.com' })).body;
      expect((await gw.admin('POST', '/budgets', { subject_type: 'user', subject_id: user.id, amount_usd: 1, period: 'monthly' })).status).toBe(201);
      const { key } = await gw.createKey('spender@example.com');
      const answer = await fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: MODEL, max_tokens: 16, messages: [{ role: 'user', content: 'refactor [[usage in=400000 out=40000]]' }] }),
      });
      expect(answer.status).toBe(200);
      const outbox = page.getByRole('region', { name: 'Outbox', exact: true });
      await eventually(page, async () => {
        await outbox.getByRole('button', { name: 'List them' }).click({ timeout: 5_000 });
      });
      expect(receiver.received.length).toBeGreaterThan(sentBefore);
      const failed = page.getByRole('table', { name: 'Outbox events' }).getByRole('row').filter({ hasText: /Budget/ }).filter({ hasText: 'Failed' });
      await failed.first().waitFor();
      await check(page, 'admin-notifications-dead');

      // Retried from the page with the receiver back: delivered, signed, with the documented body.
      receiver.state.status = 200;
      const retried = receiver.received.length;
      await failed.first().getByRole('button', { name: /^Retry / }).click();
      await outbox.getByRole('button', { name: 'Deliver now' }).click();
      await outbox.getByRole('status').waitFor();
      await expect.poll(() => receiver.received.slice(retried).some((request) => String(request.headers['x-ccag-event-type']).startsWith('budget_')), { timeout: 10_000 }).toBe(true);
      const delivered = receiver.received.slice(retried).find((request) => String(request.headers['x-ccag-event-type']).startsWith('budget_'))!;
      expect(signatureValid(secret, delivered)).toBe(true);
      expect(JSON.parse(delivered.body)).toMatchObject({ source: 'ccag', version: '1', category: 'budget', user_identity: 'spender@example.com' });

      // Budget alerts: the retried alert reads Delivered; one raised before notifications (no outbox row) links here.
      const month = periodWindow('monthly', 'UTC', Date.now());
      await gw.store.db
        .insertInto('budget_events')
        .values({
          id: randomUUID(),
          subject_type: 'user',
          subject_id: user.id,
          threshold_percent: 25,
          period_start: month.start,
          event_type: 'budget_warning',
          severity: 'warning',
          user_id: user.id,
          team_id: null,
          detail: JSON.stringify({ threshold_percent: 25, spend_usd: 0.3, limit_usd: 1, percent: 30, period: 'monthly', period_start: new Date(month.start).toISOString(), budget_id: 'b', subject_type: 'user' }),
          created_at: month.start,
        })
        .execute();
      await visit(page, 'Budget alerts');
      const alerts = page.getByRole('table', { name: 'Budget alerts' });
      await eventually(page, async () => {
        await alerts.getByRole('row').filter({ hasText: 'Delivered' }).first().waitFor({ timeout: 5_000 });
      });
      const neverQueued = alerts.getByRole('row').filter({ hasText: '25%' });
      await neverQueued.getByText('Not sent').waitFor();
      await check(page, 'admin-budget-alerts-delivery');
      await neverQueued.getByRole('link', { name: 'Set up notifications' }).click();
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();

      // Deactivate: the active settings become the draft; discard removes it.
      await active.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByRole('dialog', { name: 'Deactivate notifications?' }).getByRole('button', { name: 'Deactivate' }).click();
      await active.getByText('No destination is active.', { exact: true }).waitFor();
      await draft.getByText(receiver.url).waitFor();
      await draft.getByRole('button', { name: 'Discard draft' }).click();
      await page.getByRole('dialog', { name: 'Discard the draft?' }).getByRole('button', { name: 'Discard draft' }).click();
      await draft.getByText('No draft.').waitFor();
      await check(page, 'admin-notifications-after');

      expect(findings).toEqual({});
    },
    BROWSER_TEST_MS,
  );

  test('nothing went wrong in any tab: no script errors, CSP violations or failed requests', () => {
    expect(tabs.flatMap((opened) => opened.problems)).toEqual([]);
  });
});
