/**
 * `ccag notifications`: the notification destination (docs/notifications.md). Save a draft with
 * `set-webhook`, `set-sns` or `set-eventbridge`, `test` it, `activate` it; `deactivate`, `discard`;
 * look at the outbox (`events`), the history (`deliveries`), `retry` a dead event, `deliver` now.
 */
import { Option, type Command } from 'commander';
import { gatewayOptions, runGatewayCommand, type GatewayContext } from '../context.js';
import { CliError, UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { NotificationsClient, type DestinationRecord, type DraftInput, type NotificationDeliveryView, type NotificationEventView, type NotificationsOverview, type SavedDraft } from '../notifications-client.js';
import { formatTime, type Column } from '../output.js';

const CATEGORIES = ['budget', 'rate_limit'] as const;

/** Where a destination sends: the URL, topic or bus. */
const target = (destination: DestinationRecord) => destination.url ?? destination.topic_arn ?? destination.event_bus_name ?? '-';

function describe(destination: DestinationRecord | null): string {
  if (!destination) return 'none';
  return `${destination.type} ${target(destination)} (${destination.name}; ${destination.categories.join(', ')})`;
}

function testState(draft: DestinationRecord | null): string {
  if (!draft) return '-';
  if (draft.tested_at === null) return 'not tested since the last change';
  const when = formatTime(draft.tested_at);
  return draft.test_ok ? `delivered at ${when}` : `failed at ${when}: ${draft.test_error ?? 'unknown error'}`;
}

const OVERVIEW: readonly Column<NotificationsOverview>[] = [
  { header: 'Active', value: (view) => describe(view.active) },
  { header: 'Draft', value: (view) => describe(view.draft) },
  { header: 'Draft test', value: (view) => testState(view.draft) },
  { header: 'Can activate', value: (view) => view.draft?.can_activate ?? false },
  { header: 'Delivery every', value: (view) => `${view.interval_seconds} s` },
  { header: 'Outbox', value: (view) => `${view.outbox.pending} pending, ${view.outbox.retrying} retrying, ${view.outbox.dead} dead, ${view.outbox.delivered_24h} delivered in 24 h` },
];

const DESTINATION: readonly Column<DestinationRecord>[] = [
  { header: 'Type', value: (d) => d.type },
  { header: 'Name', value: (d) => d.name },
  { header: 'Target', value: target },
  { header: 'Region', value: (d) => d.region },
  { header: 'Categories', value: (d) => d.categories.join(', ') },
  { header: 'Secret set', value: (d) => d.secret_set },
  { header: 'Updated', value: (d) => formatTime(d.updated_at) },
];

const DELIVERY_COLUMNS: readonly Column<NotificationDeliveryView>[] = [
  { header: 'Time', value: (row) => formatTime(row.attempted_at) },
  { header: 'Event', value: (row) => row.event_type },
  { header: 'Destination', value: (row) => row.destination_type },
  { header: 'Status', value: (row) => row.status },
  { header: 'Attempt', value: (row) => (row.test ? 'test' : row.attempt), align: 'right' },
  { header: 'Duration', value: (row) => `${row.duration_ms} ms`, align: 'right' },
  { header: 'HTTP', value: (row) => row.http_status },
  { header: 'Error', value: (row) => row.error },
];

const EVENT_COLUMNS: readonly Column<NotificationEventView>[] = [
  { header: 'ID', value: (row) => row.id },
  { header: 'Time', value: (row) => formatTime(row.created_at) },
  { header: 'Event', value: (row) => row.event_type },
  { header: 'Status', value: (row) => (row.status === 'pending' && row.attempts > 0 ? 'retrying' : row.status) },
  { header: 'Attempts', value: (row) => row.attempts, align: 'right' },
  { header: 'Next attempt', value: (row) => formatTime(row.next_attempt_at) },
  { header: 'Last error', value: (row) => row.last_error },
];

function parseCategories(raw: string): Array<(typeof CATEGORIES)[number]> {
  const names = raw.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(CATEGORIES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`--categories: give a comma-separated list of ${CATEGORIES.join(', ')}`);
  return names as Array<(typeof CATEGORIES)[number]>;
}

interface CommonOptions {
  name?: string;
  categories?: string;
}

interface AwsOptions extends CommonOptions {
  region?: string;
  endpointUrl?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

function commonFields(options: CommonOptions) {
  return { ...(options.name ? { name: options.name } : {}), ...(options.categories ? { categories: parseCategories(options.categories) } : {}) };
}

function awsFields(options: AwsOptions) {
  if ((options.accessKeyId === undefined) !== (options.secretAccessKey === undefined)) {
    throw new UsageError('--access-key-id and --secret-access-key go together (without them the gateway uses its default AWS credentials)');
  }
  return {
    ...commonFields(options),
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpointUrl ? { endpoint_url: options.endpointUrl } : {}),
    ...(options.accessKeyId ? { auth: 'static' as const, access_key_id: options.accessKeyId, secret_access_key: options.secretAccessKey } : {}),
  };
}

/** Prints the saved draft; a generated signing secret is shown once, in both modes. */
function printSaved(context: GatewayContext, saved: SavedDraft): void {
  if (context.out.json) {
    // The JSON renderer redacts fields named like secrets; this answer exists to hand a generated one over.
    context.io.stdout.write(`${JSON.stringify(saved, null, 2)}\n`);
    return;
  }
  context.out.record(saved.draft, DESTINATION, 'Saved the draft destination. Next: ccag notifications test, then ccag notifications activate.');
  if (saved.signing_secret) {
    context.out.text(`\n    Signing secret:  ${saved.signing_secret}\n`);
    context.out.warn('this is the only time the signing secret is shown; store it with your receiver now (docs/notifications.md shows how to verify signatures)');
  }
}

/** Registers a `set-*` command that saves a draft built from its argument and options. */
function registerSetCommand(parent: Command, io: CliIo, name: string, build: (command: Command) => Command, input: (argument: string, options: AwsOptions & { secret?: string; source?: string }) => DraftInput): void {
  const command = build(gatewayOptions(parent.command(name)))
    .option('--name <name>', 'a name for the destination (default: the host, topic or bus)')
    .option('--categories <list>', `which events to send, comma-separated: ${CATEGORIES.join(', ')} (default: both)`);
  command.action((argument: string, options: AwsOptions & { secret?: string; source?: string }, self: Command) =>
    runGatewayCommand(io, self, async (context) => printSaved(context, await new NotificationsClient(context.client).saveDraft(input(argument, options)))),
  );
}

function awsOptions(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region (default: the one in the ARN)')
    .option('--endpoint-url <url>', 'another service endpoint (a VPC endpoint, a proxy)')
    .option('--access-key-id <id>', "a static access key, instead of the gateway's default AWS credentials")
    .option('--secret-access-key <secret>', 'its secret (stored encrypted)');
}

export function registerNotificationsCommands(program: Command, io: CliIo): void {
  const notifications = program.command('notifications').description('where budget and rate-limit events are delivered: a webhook, Amazon SNS or Amazon EventBridge');
  const run = (command: Command, work: (client: NotificationsClient, context: GatewayContext) => Promise<void>) =>
    runGatewayCommand(io, command, (context) => work(new NotificationsClient(context.client), context));

  gatewayOptions(notifications.command('show'))
    .description('the active destination, the draft, and the outbox')
    .action((_options: unknown, command: Command) => run(command, async (client, { out }) => out.record(await client.show(), OVERVIEW)));

  registerSetCommand(
    notifications,
    io,
    'set-webhook',
    (command) => command.description('save a webhook draft (HTTPS POST, signed)').argument('<url>', 'https URL (http only to 127.0.0.1 or localhost)').option('--secret <secret>', 'the signing secret (default: keep the current one, else generate one)'),
    (url, options) => ({ type: 'webhook', url, ...commonFields(options), ...(options.secret ? { signing_secret: options.secret } : {}) }),
  );
  registerSetCommand(
    notifications,
    io,
    'set-sns',
    (command) => awsOptions(command.description('save an Amazon SNS draft (sns:Publish)').argument('<topic-arn>', 'arn:aws:sns:<region>:<account>:<topic>')),
    (topicArn, options) => ({ type: 'sns', topic_arn: topicArn, ...awsFields(options) }),
  );
  registerSetCommand(
    notifications,
    io,
    'set-eventbridge',
    (command) =>
      awsOptions(command.description('save an Amazon EventBridge draft (events:PutEvents)').argument('<bus>', 'event bus name, or its ARN').option('--source <source>', 'the events\' Source (default: ccag)')),
    (bus, options) => ({ type: 'eventbridge', event_bus_name: bus, ...awsFields(options), ...(options.source ? { source: options.source } : {}) }),
  );

  gatewayOptions(notifications.command('test'))
    .description('deliver a notification_test event to the draft now (exit 1 if it fails)')
    .action((_options: unknown, command: Command) =>
      run(command, async (client, { out }) => {
        const report = await client.testDraft();
        out.done(report.ok ? `Test delivered in ${report.duration_ms} ms. Next: ccag notifications activate.` : `Test failed after ${report.duration_ms} ms.`, report);
        if (!report.ok) throw new CliError(`the test delivery failed: ${report.error ?? 'unknown error'}`);
      }),
    );

  gatewayOptions(notifications.command('activate'))
    .description('make the tested draft the active destination')
    .action((_options: unknown, command: Command) => run(command, async (client, { out }) => out.record((await client.activate()).active, DESTINATION, 'The destination is active.')));

  gatewayOptions(notifications.command('deactivate'))
    .description('stop deliveries; the active destination becomes the draft')
    .action((_options: unknown, command: Command) =>
      run(command, async (client, { out }) => {
        const answer = await client.deactivate();
        if (out.json) out.done('', answer);
        else out.record(answer.draft, DESTINATION, 'Deliveries stopped; the destination is the draft again (ccag notifications activate brings it back).');
      }),
    );

  gatewayOptions(notifications.command('discard'))
    .description('delete the draft')
    .action((_options: unknown, command: Command) =>
      run(command, async (client, { out }) => {
        await client.discardDraft();
        out.done('Discarded the draft.', { discarded: true });
      }),
    );

  gatewayOptions(notifications.command('deliveries'))
    .description('the delivery history, newest first')
    .addOption(new Option('--status <status>', 'only delivered or failed attempts').choices(['delivered', 'failed']))
    .option('--test', 'only test deliveries')
    .action((options: { status?: 'delivered' | 'failed'; test?: boolean }, command: Command) =>
      run(command, async (client, { out }) => {
        const rows = await client.deliveries({ status: options.status, test: options.test });
        out.list(rows, DELIVERY_COLUMNS, 'No delivery history yet. Events are delivered once a destination is active: ccag notifications set-webhook <url>.');
      }),
    );

  gatewayOptions(notifications.command('events'))
    .description('the outbox: queued events and what became of them, newest first')
    .addOption(new Option('--status <status>', 'only events in this state').choices(['pending', 'delivered', 'dead', 'skipped']))
    .addOption(new Option('--category <category>', 'only budget or rate_limit events').choices([...CATEGORIES]))
    .action((options: { status?: NotificationEventView['status']; category?: NotificationEventView['category'] }, command: Command) =>
      run(command, async (client, { out }) => {
        const rows = await client.events(options);
        out.list(rows, EVENT_COLUMNS, options.status || options.category ? 'No notification events match.' : 'No notification events yet. Budget thresholds crossed and rate limits hit are queued here.');
      }),
    );

  gatewayOptions(notifications.command('retry'))
    .description('send a dead or skipped event again (due now, with a fresh retry schedule)')
    .argument('<event-id>', 'the event id (ccag notifications events)')
    .action((id: string, _options: unknown, command: Command) =>
      run(command, async (client, { out }) => {
        const event = await client.retry(id);
        out.done(`Event ${event.id} is pending again; it goes out at the next delivery (or run ccag notifications deliver).`, event);
      }),
    );

  gatewayOptions(notifications.command('deliver'))
    .description('run one delivery pass now (if this gateway replica holds the delivery lease)')
    .action((_options: unknown, command: Command) =>
      run(command, async (client, { out }) => {
        const pass = await client.deliverNow();
        const summary = pass.held_lease
          ? `Delivered ${pass.delivered}, failed ${pass.failed} (to be retried), dead ${pass.dead}, skipped ${pass.skipped}.`
          : 'Another replica holds the delivery lease and delivers; nothing was done here.';
        out.done(summary, pass);
      }),
    );
}
