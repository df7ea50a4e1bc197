/**
 * The portal in a real browser: Debian's Chromium (installed by .ci/run) driven by
 * playwright-core, never a downloaded browser. Each page records what should never happen in the
 * portal — script errors, Content-Security-Policy violations, failed requests other than the
 * expected 401 of a signed-out session check — so a test can assert the list is empty.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'portal');

/** Flags from the machine notes: without the background-networking ones Chromium dials out at start. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

export interface PortalTab {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Script errors, CSP violations and unexpected failed requests seen so far. */
  readonly problems: string[];
}

/** A fresh browser profile (its own cookies) with one tab, watched for problems. */
export async function openTab(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<PortalTab> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: options.colorScheme ?? 'light', timezoneId: 'UTC', locale: 'en-US' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // The signed-out check (GET /auth/session → 401) and API errors a test provokes show up as
    // "Failed to load resource" lines; responses are checked below, so only keep the rest.
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) problems.push(`console: ${text}`);
    if (/Content Security Policy/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    const expected = response.status() === 401 && url.pathname === '/auth/session';
    if (response.status() >= 500 || (response.status() === 404 && url.pathname.startsWith('/portal/assets/'))) problems.push(`HTTP ${response.status()} ${url.pathname}`);
    else if (response.status() >= 400 && !expected && response.request().resourceType() !== 'fetch') problems.push(`HTTP ${response.status()} ${url.pathname}`);
  });
  return { context, page, problems };
}

export async function signInWithPassword(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email or username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * Signs in through an identity provider's button on the sign-in screen, then through the test
 * IdP's development login and consent forms (oidc-provider's devInteractions), back to the portal.
 */
export async function signInWithIdp(page: Page, url: string, providerLabel: string, login: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('link', { name: `Continue with ${providerLabel}` }).click();
  const gatewayOrigin = new URL(url).origin;
  for (let step = 0; step < 6 && new URL(page.url()).origin !== gatewayOrigin; step++) {
    const loginField = page.locator('input[name="login"]');
    if (await loginField.count()) {
      await loginField.fill(login);
      await page.locator('input[name="password"]').fill('any');
    }
    await Promise.all([page.waitForNavigation(), page.locator('button[type="submit"]').first().click()]);
  }
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's WCAG 2.1 A/AA rules on the page as it is now; only serious and critical findings
 * are returned. axe is evaluated through the DevTools protocol, which the page's CSP does not
 * govern, so the page under test keeps its real policy.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A full-page screenshot kept as a test artifact (test-artifacts/portal/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  return path;
}

/** Calls the gateway from inside the page, as the portal would, with the session's CSRF token. */
export function fetchInPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/auth/session')).json()) as { csrf_token: string };
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-ccag-csrf': session.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    { method, path, body },
  );
}

/** Opens a page through the navigation, as a person would, and waits for its heading. */
export async function visit(page: Page, label: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
}

/**
 * Reloads until `check` passes: what the gateway writes in the background (ledger, deliveries)
 * arrives within a moment. Generous bounds: on a loaded 2-core machine a reload and a chart page's
 * first render took over the 1 s a check used to wait, so every check failed until the deadline.
 */
export async function eventually(page: Page, check: () => Promise<void>, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.waitForTimeout(300);
      await page.reload();
    }
  }
}
