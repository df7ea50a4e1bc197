/**
 * The Notifications page's rules in words: the destination form and the body it sends, the
 * workflow's progress, and how deliveries read. Pure, so test/portal/notification-logic.test.ts
 * pins them; the server checks everything again and has the last word.
 */
import type { AwsAuth, DeliverResult, Destination, DestinationType, DraftInput, NotificationCategory, NotificationsState } from './types.js';

export const TYPE_LABEL: Record<DestinationType, string> = { webhook: 'Webhook', sns: 'Amazon SNS', eventbridge: 'Amazon EventBridge' };
export const CATEGORY_LABEL: Record<NotificationCategory, string> = { budget: 'Budget alerts', rate_limit: 'Rate limits' };

export interface DestinationForm {
  type: DestinationType;
  name: string;
  categories: NotificationCategory[];
  url: string;
  signingSecret: string;
  topicArn: string;
  eventBusName: string;
  source: string;
  region: string;
  endpointUrl: string;
  auth: AwsAuth;
  accessKeyId: string;
  secretAccessKey: string;
}

export type DestinationFormErrors = Partial<Record<keyof DestinationForm, string>>;

/** The form for a destination (the draft, else a copy of the active one), or a blank webhook. Secrets always start empty. */
export function formOf(destination: Destination | null, categories: readonly NotificationCategory[]): DestinationForm {
  return {
    type: destination?.type ?? 'webhook',
    name: destination?.name ?? '',
    categories: destination ? [...destination.categories] : [...categories],
    url: destination?.url ?? '',
    signingSecret: '',
    topicArn: destination?.topic_arn ?? '',
    eventBusName: destination?.event_bus_name ?? '',
    source: destination?.source ?? 'ccag',
    region: destination?.region ?? '',
    endpointUrl: destination?.endpoint_url ?? '',
    auth: destination?.auth ?? 'default',
    accessKeyId: destination?.access_key_id ?? '',
    secretAccessKey: '',
  };
}

/**
 * Whether a blank secret field keeps a stored secret: the server keeps the draft's, else the
 * active destination's (pass `draft ?? active`), and only while the type stays the same.
 */
export function keepsSecret(form: Pick<DestinationForm, 'type'>, previous: Destination | null): boolean {
  return previous !== null && previous.type === form.type && previous.secret_set;
}

/** What PUT accepts for a signing secret of your own. */
export const SIGNING_SECRET_MIN = 16;

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

function webhookUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'A full URL, such as https://hooks.example.com/ccag.';
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return undefined;
  return 'Use https:// (plain http:// only to this machine, for testing).';
}

/** What must be fixed before the draft can be saved; empty when nothing. */
export function formProblems(form: DestinationForm, keep: boolean): DestinationFormErrors {
  const errors: DestinationFormErrors = {};
  if (form.categories.length === 0) errors.categories = 'Choose at least one kind of event.';
  if (form.type === 'webhook') {
    errors.url = form.url.trim() === '' ? 'Required.' : webhookUrlProblem(form.url.trim());
    if (form.signingSecret !== '' && form.signingSecret.length < SIGNING_SECRET_MIN) errors.signingSecret = `At least ${SIGNING_SECRET_MIN} characters, or leave it blank.`;
    return prune(errors);
  }
  if (form.type === 'sns' && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/.test(form.topicArn.trim())) errors.topicArn = 'A topic ARN, such as arn:aws:sns:us-east-1:123456789012:ccag-events.';
  if (form.type === 'eventbridge' && form.eventBusName.trim() === '') errors.eventBusName = 'Required: default, a bus name or its ARN.';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(form.region.trim())) errors.region = 'An AWS region, such as us-east-1.';
  if (form.endpointUrl.trim() !== '' && !/^https?:\/\/\S+$/.test(form.endpointUrl.trim())) errors.endpointUrl = 'A full URL, or leave it empty.';
  if (form.auth === 'static') {
    if (form.accessKeyId.trim() === '') errors.accessKeyId = 'Required with static keys.';
    if (form.secretAccessKey === '' && !keep) errors.secretAccessKey = 'Required with static keys.';
  }
  return prune(errors);
}

function prune(errors: DestinationFormErrors): DestinationFormErrors {
  return Object.fromEntries(Object.entries(errors).filter(([, value]) => value !== undefined));
}

const optional = (text: string) => (text.trim() === '' ? undefined : text.trim());

/** The PUT /admin/notifications/draft body: only the chosen type's fields; a blank secret is left out (kept, or generated for a webhook). */
export function draftInput(form: DestinationForm): DraftInput {
  const common = { type: form.type, name: optional(form.name), categories: form.categories };
  if (form.type === 'webhook') return { ...common, url: form.url.trim(), signing_secret: optional(form.signingSecret) };
  const aws = {
    region: form.region.trim(),
    endpoint_url: optional(form.endpointUrl),
    auth: form.auth,
    ...(form.auth === 'static' ? { access_key_id: form.accessKeyId.trim(), secret_access_key: form.secretAccessKey || undefined } : {}),
  };
  if (form.type === 'sns') return { ...common, ...aws, topic_arn: form.topicArn.trim() };
  return { ...common, ...aws, event_bus_name: form.eventBusName.trim(), source: optional(form.source) };
}

export type StepState = 'done' | 'current' | 'failed' | 'waiting';

export interface WorkflowStep {
  readonly title: string;
  readonly state: StepState;
  readonly note: string;
}

export const STEP_STATE_LABEL: Record<StepState, string> = { done: 'Done', current: 'Next', failed: 'Failed', waiting: 'Not yet' };

/** configure → save as draft → test delivery → activate, with where this gateway stands. */
export function workflowSteps(state: Pick<NotificationsState, 'active' | 'draft'>): WorkflowStep[] {
  const { active, draft } = state;
  if (!draft) {
    return [
      { title: 'Configure', state: active ? 'done' : 'current', note: active ? `${TYPE_LABEL[active.type]} is set up.` : 'Choose a type and fill in the form below.' },
      { title: 'Save as draft', state: active ? 'done' : 'waiting', note: active ? 'To change it, edit the form: the change becomes a draft.' : 'The draft does not receive events yet.' },
      { title: 'Test delivery', state: active ? 'done' : 'waiting', note: active ? 'It passed its test before activation.' : 'Sends one test event to the draft.' },
      { title: 'Activate', state: active ? 'done' : 'waiting', note: active ? 'Events are delivered to it.' : 'Only after a successful test.' },
    ];
  }
  const tested = draft.tested_at !== null;
  const testState: StepState = draft.can_activate ? 'done' : tested && draft.test_ok === false ? 'failed' : 'current';
  const testNote = draft.can_activate
    ? 'The last test succeeded.'
    : tested && draft.test_ok === false
      ? 'The last test failed: fix the draft and test again.'
      : tested
        ? 'The draft changed since its last test: test again.'
        : 'Send a test event to the draft.';
  return [
    { title: 'Configure', state: 'done', note: `${TYPE_LABEL[draft.type]}.` },
    { title: 'Save as draft', state: 'done', note: 'Saved; it does not receive events until activated.' },
    { title: 'Test delivery', state: testState, note: testNote },
    {
      title: 'Activate',
      state: draft.can_activate ? 'current' : 'waiting',
      note: draft.can_activate ? `Replaces ${active ? 'the active destination' : 'nothing: no destination is active yet'}.` : 'Possible once a test succeeds after the last change.',
    },
  ];
}

/** Where a destination sends: the URL, the topic or the bus. */
export function destinationTarget(destination: Destination): string {
  if (destination.type === 'webhook') return destination.url ?? '—';
  if (destination.type === 'sns') return destination.topic_arn ?? '—';
  return destination.event_bus_name ?? '—';
}

/** budget_warning → Budget warning; rate_limit_hit → Rate limit hit; notification_test → Test event. */
export function eventTypeLabel(type: string): string {
  if (type === 'notification_test') return 'Test event';
  const words = type.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** "every second", "every 30 seconds": how often delivery passes run. */
export function everyText(seconds: number): string {
  return seconds === 1 ? 'every second' : `every ${seconds.toLocaleString('en-US')} seconds`;
}

/** What a manual delivery pass did. */
export function deliverResultText(result: DeliverResult, intervalSeconds: number): string {
  if (!result.held_lease) return `Another replica is delivering right now; it sends what is due within ${intervalSeconds === 1 ? 'a second' : `${intervalSeconds} seconds`}.`;
  const parts = [`${result.delivered} delivered`, result.failed ? `${result.failed} failed (retried later)` : '', result.dead ? `${result.dead} gave up` : '', result.skipped ? `${result.skipped} skipped` : ''];
  return `Delivery pass done: ${parts.filter(Boolean).join(', ')}.`;
}

function httpNote(httpStatus: number | null): string {
  return httpStatus === null ? '' : ` (HTTP ${httpStatus})`;
}

/** A test delivery's outcome in one sentence. */
export function testResultText(result: { ok: boolean; duration_ms: number | null; http_status: number | null; error: string | null }, formatMs: (ms: number | null) => string): string {
  if (result.ok) return `The test event was delivered in ${formatMs(result.duration_ms)}${httpNote(result.http_status)}. You can activate the draft.`;
  return `The test delivery failed${httpNote(result.http_status)}: ${result.error ?? 'no reason given'}. Fix the draft, save it and test again.`;
}

/** The draft's last test, as its card shows it. */
export function lastTestText(draft: Pick<Destination, 'tested_at' | 'test_ok' | 'test_error' | 'can_activate'>, formatTime: (iso: string | null) => string): string {
  if (draft.tested_at === null) return 'Not tested yet.';
  const when = formatTime(draft.tested_at);
  if (draft.test_ok === false) return `Failed ${when}: ${draft.test_error ?? 'no reason given'}.`;
  return draft.can_activate ? `Succeeded ${when}.` : `Succeeded ${when}, but the draft changed since: test again.`;
}

/**
 * Where an event stands in the outbox, as the Budget alerts page's Delivered column and this
 * page's outbox list both say it. `retrying` is a pending event that failed at least once;
 * `not_configured` is a budget alert with no outbox entry at all.
 */
export type DeliveryState = 'not_configured' | 'pending' | 'retrying' | 'delivered' | 'dead' | 'skipped';

export const DELIVERY_LABEL: Record<DeliveryState, string> = {
  not_configured: 'Not sent',
  pending: 'Queued',
  retrying: 'Retrying',
  delivered: 'Delivered',
  dead: 'Failed',
  skipped: 'Skipped',
};

export const DELIVERY_EXPLANATION: Record<DeliveryState, string> = {
  not_configured: 'No notification was queued: no destination was set up.',
  pending: 'Waiting for the next delivery pass.',
  retrying: 'A delivery failed; it is tried again with growing delays.',
  delivered: 'The destination accepted it.',
  dead: 'Every attempt failed; it can be retried from Notifications.',
  skipped: 'No active destination took this kind of event when it was due; it can be retried.',
};

/** The badge colour (a class the stylesheet defines) for each state. */
export const DELIVERY_BADGE: Record<DeliveryState, string> = {
  not_configured: 'badge',
  pending: 'badge',
  retrying: 'badge badge-warn',
  delivered: 'badge badge-ok',
  dead: 'badge badge-danger',
  skipped: 'badge',
};

export function outboxState(event: { status: 'pending' | 'delivered' | 'dead' | 'skipped'; attempts: number }): DeliveryState {
  return event.status === 'pending' && event.attempts > 0 ? 'retrying' : event.status;
}

const TASK_ROLE = '<the gateway task role ARN>';

/**
 * The resource policy statement a bring-your-own topic or bus needs so the gateway's task role
 * may publish to it; unknown parts stay as <placeholders> to fill in.
 */
export function resourcePolicy(destination: Pick<Destination, 'type' | 'topic_arn' | 'event_bus_name' | 'region'> | null): string | undefined {
  if (!destination || destination.type === 'webhook') return undefined;
  const region = destination.region || '<region>';
  const resource =
    destination.type === 'sns'
      ? destination.topic_arn || `arn:aws:sns:${region}:<account>:<topic>`
      : destination.event_bus_name?.startsWith('arn:')
        ? destination.event_bus_name
        : `arn:aws:events:${region}:<account>:event-bus/${destination.event_bus_name || 'default'}`;
  const statement = {
    Sid: destination.type === 'sns' ? 'AllowCcagPublish' : 'AllowCcagPutEvents',
    Effect: 'Allow',
    Principal: { AWS: TASK_ROLE },
    Action: destination.type === 'sns' ? 'sns:Publish' : 'events:PutEvents',
    Resource: resource,
  };
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2);
}
