/**
 * `ccag notifications` as a user runs it: the built executable against a real gateway on SQLite
 * and PostgreSQL (run `npm run build` first), a local webhook receiver, and an SNS draft whose
 * secret never comes back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedInCli, type LoggedInCli } from '../support/cli-process.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

describe.each(['sqlite', 'postgres'] as const)('ccag notifications on %s', (database) => {
  let cli: LoggedInCli | undefined;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    cli = await startLoggedInCli(database);
  });
  afterAll(async () => {
    await cli?.close();
    await receiver?.close();
  });

  it('saves a webhook draft (secret shown once), refuses to activate it untested, tests and activates it', async ({ skip }) => {
    if (!cli) return skip();
    const empty = await cli.ccag(['notifications', 'show']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^Active: +none$/m);
    expect(empty.stdout).toMatch(/^Outbox: +0 pending, 0 retrying, 0 dead, 0 delivered in 24 h$/m);

    const saved = await cli.ccag(['notifications', 'set-webhook', receiver.url, '--categories', 'budget']);
    expect(saved.code).toBe(0);
    const secret = /Signing secret: +(whsec_\S+)/.exec(saved.stdout)?.[1];
    expect(secret).toBeDefined();
    expect(saved.stderr).toMatch(/^warning: this is the only time the signing secret is shown/);
    expect(saved.stdout).toMatch(/^Categories: +budget$/m);

    receiver.answerWith(503);
    const failed = await cli.ccag(['notifications', 'test']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('error: the test delivery failed: HTTP 503: receiver says 503\n');
    const refused = await cli.ccag(['notifications', 'activate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no successful test since its last change.*\(HTTP 409, conflict\)/);

    receiver.answerWith(204);
    expect(await cli.json(['notifications', 'test'])).toMatchObject({ ok: true, status: 'delivered', http_status: 204 });
    const activated = await cli.ccag(['notifications', 'activate']);
    expect(activated.stdout).toMatch(/^The destination is active\./);
    const shown = await cli.json<{ active: { url: string; secret_set: boolean }; draft: null }>(['notifications', 'show']);
    expect(shown).toMatchObject({ active: { url: receiver.url, secret_set: true }, draft: null });
    expect(JSON.stringify(shown)).not.toContain(secret!);
  }, 120_000);

  it('lists the history and the outbox, delivers now, deactivates and discards', async ({ skip }) => {
    if (!cli) return skip();
    const deliveries = await cli.ccag(['notifications', 'deliveries']);
    expect(deliveries.stdout).toMatch(/^TIME +EVENT +DESTINATION +STATUS +ATTEMPT +DURATION +HTTP +ERROR$/m);
    expect(deliveries.stdout).toMatch(/notification_test +webhook +failed +test +\d+ ms +503 +HTTP 503: receiver says 503/);
    expect(await cli.json<unknown[]>(['notifications', 'deliveries', '--status', 'delivered', '--test'])).toHaveLength(1);

    expect((await cli.ccag(['notifications', 'events'])).stdout).toBe('No notification events yet. Budget thresholds crossed and rate limits hit are queued here.\n');
    expect(await cli.json(['notifications', 'deliver'])).toEqual({ held_lease: true, delivered: 0, failed: 0, dead: 0, skipped: 0 });
    const retry = await cli.ccag(['notifications', 'retry', 'no-such-event']);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/no notification event with id no-such-event \(HTTP 404, not_found\)/);

    const deactivated = await cli.ccag(['notifications', 'deactivate']);
    expect(deactivated.stdout).toMatch(/^Deliveries stopped/);
    expect(await cli.json(['notifications', 'discard'])).toEqual({ discarded: true });
    expect(await cli.json(['notifications', 'show'])).toMatchObject({ active: null, draft: null });
  }, 120_000);

  it('saves SNS and EventBridge drafts; a static secret is stored but never printed', async ({ skip }) => {
    if (!cli) return skip();
    const sns = await cli.json<{ draft: Record<string, unknown> }>(['notifications', 'set-sns', 'arn:aws:sns:eu-west-1:123456789012:ccag-alerts', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE', '--secret-access-key', 'wJalrXUtnFEMIEXAMPLEKEY']);
    expect(sns.draft).toMatchObject({ type: 'sns', topic_arn: 'arn:aws:sns:eu-west-1:123456789012:ccag-alerts', region: 'eu-west-1', auth: 'static', access_key_id: 'AKIAIOSFODNN7EXAMPLE', secret_set: true });
    expect(JSON.stringify(sns)).not.toContain('wJalrXUtnFEMIEXAMPLEKEY');

    const bus = await cli.json<{ draft: Record<string, unknown> }>(['notifications', 'set-eventbridge', 'ccag-events', '--region', 'us-east-2', '--source', 'acme.ccag']);
    expect(bus.draft).toMatchObject({ type: 'eventbridge', event_bus_name: 'ccag-events', source: 'acme.ccag', region: 'us-east-2', auth: 'default', secret_set: false });

    const halfKey = await cli.ccag(['notifications', 'set-sns', 'arn:aws:sns:eu-west-1:123456789012:x', '--access-key-id', 'AKIAIOSFODNN7EXAMPLE']);
    expect(halfKey.code).toBe(2);
    const badCategory = await cli.ccag(['notifications', 'set-webhook', receiver.url, '--categories', 'budget,weather']);
    expect(badCategory).toMatchObject({ code: 2, stderr: 'error: --categories: give a comma-separated list of budget, rate_limit\n' });
    expect((await cli.ccag(['notifications', 'events', '--status', 'lost'])).code).toBe(2);
  }, 120_000);
});
