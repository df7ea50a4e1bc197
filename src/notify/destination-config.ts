/**
 * What a notification destination is: the admin API's input (PUT /admin/notifications/draft), the
 * stored form (non-secret settings as JSON, the one secret sealed beside them), and the view the
 * API returns, which says whether a secret is set but never what it is.
 */
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { NotificationDestinationsTable } from '../store/schema.js';
import { NOTIFICATION_CATEGORIES, type NotificationCategory } from './event-body.js';

export const DESTINATION_TYPES = ['webhook', 'sns', 'eventbridge'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];
export type AwsAuth = 'default' | 'static';

/** The non-secret settings, as stored in the `config` column; fields of other types are absent. */
export interface DestinationSettings {
  readonly url?: string;
  readonly topic_arn?: string;
  readonly event_bus_name?: string;
  readonly source?: string;
  readonly region?: string;
  readonly endpoint_url?: string;
  readonly auth?: AwsAuth;
  readonly access_key_id?: string;
}

/** A destination ready to deliver to: its settings and its secret, opened. */
export interface OpenDestination {
  readonly type: DestinationType;
  readonly settings: DestinationSettings;
  /** The webhook signing secret, or the AWS secret access key of static auth. */
  readonly secret: string | null;
}

const FIELDS_OF: Record<DestinationType, readonly string[]> = {
  webhook: ['url', 'signing_secret'],
  sns: ['topic_arn', 'region', 'endpoint_url', 'auth', 'access_key_id', 'secret_access_key'],
  eventbridge: ['event_bus_name', 'source', 'region', 'endpoint_url', 'auth', 'access_key_id', 'secret_access_key'],
};

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const EVENT_BUS_ARN = /^arn:aws[a-z-]*:events:([a-z0-9-]+):\d{12}:event-bus\/[A-Za-z0-9._\-/]+$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const draftInputSchema = z.object({
  type: z.enum(DESTINATION_TYPES),
  name: z.string().trim().min(1).max(100).optional(),
  categories: z.array(z.enum(NOTIFICATION_CATEGORIES)).min(1, 'name at least one category').optional(),
  url: z.url().optional(),
  signing_secret: z.string().min(16, 'must be at least 16 characters').max(256).optional(),
  topic_arn: z.string().regex(SNS_TOPIC_ARN, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)').optional(),
  event_bus_name: z.string().trim().min(1).max(1600).optional(),
  source: z.string().trim().min(1).max(256).refine((value) => !value.startsWith('aws.'), 'EventBridge reserves sources that start with aws.').optional(),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1').optional(),
  endpoint_url: z.url().optional(),
  auth: z.enum(['default', 'static']).optional(),
  access_key_id: z.string().trim().min(16).max(128).optional(),
  secret_access_key: z.string().min(1).max(256).optional(),
});
export type DraftInput = z.infer<typeof draftInputSchema>;

/** Plain http only to this machine (a local relay, tests); anything leaving it must be TLS. */
export function assertWebhookUrl(url: string): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return;
  const loopback = LOOPBACK_HOSTS.has(parsed.hostname) || /^127\.\d+\.\d+\.\d+$/.test(parsed.hostname);
  if (parsed.protocol === 'http:' && loopback) return;
  throw new ApiError('invalid_request', 'url: a webhook must use https (plain http is accepted only for loopback addresses such as 127.0.0.1)');
}

function required<T>(value: T | undefined, field: string, type: DestinationType): T {
  if (value === undefined) throw new ApiError('invalid_request', `${field}: required for ${type} destinations`);
  return value;
}

/** The region an ARN names, when the input has none. */
function regionOf(input: DraftInput): string | undefined {
  if (input.region) return input.region;
  const arn = input.type === 'sns' ? input.topic_arn : input.event_bus_name;
  return arn ? (SNS_TOPIC_ARN.exec(arn)?.[1] ?? EVENT_BUS_ARN.exec(arn)?.[1]) : undefined;
}

/** Validates the input for its type and returns the settings to store (secrets apart). */
export function settingsFromInput(input: DraftInput): DestinationSettings {
  const misplaced = Object.keys(input).filter((field) => !['type', 'name', 'categories', ...FIELDS_OF[input.type]].includes(field));
  if (misplaced.length > 0) throw new ApiError('invalid_request', `${misplaced.join(', ')}: not a setting of ${input.type} destinations`);
  if (input.type === 'webhook') {
    const url = required(input.url, 'url', 'webhook');
    assertWebhookUrl(url);
    return { url };
  }
  const auth = input.auth ?? 'default';
  if (auth === 'default' && (input.access_key_id || input.secret_access_key)) throw new ApiError('invalid_request', 'access_key_id, secret_access_key: only with auth "static"');
  const aws: DestinationSettings = {
    region: required(regionOf(input), 'region', input.type),
    auth,
    ...(input.endpoint_url ? { endpoint_url: input.endpoint_url } : {}),
    ...(auth === 'static' ? { access_key_id: required(input.access_key_id, 'access_key_id', input.type) } : {}),
  };
  if (input.type === 'sns') return { topic_arn: required(input.topic_arn, 'topic_arn', 'sns'), ...aws };
  return { event_bus_name: required(input.event_bus_name, 'event_bus_name', 'eventbridge'), source: input.source ?? 'ccag', ...aws };
}

/** The secret the input brings, if any (webhook signing secret or AWS secret access key). */
export function secretFromInput(input: DraftInput): string | undefined {
  return input.type === 'webhook' ? input.signing_secret : input.secret_access_key;
}

/** Whether a destination of these settings needs a secret to deliver. */
export function needsSecret(type: DestinationType, settings: DestinationSettings): boolean {
  return type === 'webhook' || settings.auth === 'static';
}

/** A readable default name: the webhook's host, the topic's or the bus's name. */
export function defaultName(type: DestinationType, settings: DestinationSettings): string {
  if (type === 'webhook') return new URL(settings.url!).host;
  if (type === 'sns') return settings.topic_arn!.split(':').at(-1)!;
  return settings.event_bus_name!.split('/').at(-1)!;
}

type DestinationRow = NotificationDestinationsTable;

/** A draft may be activated once its last test succeeded after its last change. */
export const canActivate = (row: DestinationRow): boolean => row.slot === 'draft' && row.test_ok === 1 && row.tested_at !== null && row.tested_at >= row.updated_at;

/** The destination as the admin API shows it: every field present (null when unused), no secret. */
export function presentDestination(row: DestinationRow) {
  const settings = JSON.parse(row.config) as DestinationSettings;
  return {
    type: row.type,
    name: row.name,
    categories: JSON.parse(row.categories) as NotificationCategory[],
    url: settings.url ?? null,
    topic_arn: settings.topic_arn ?? null,
    event_bus_name: settings.event_bus_name ?? null,
    source: settings.source ?? null,
    region: settings.region ?? null,
    endpoint_url: settings.endpoint_url ?? null,
    auth: settings.auth ?? null,
    access_key_id: settings.access_key_id ?? null,
    secret_set: row.secret_sealed !== null,
    tested_at: row.tested_at === null ? null : new Date(row.tested_at).toISOString(),
    test_ok: row.test_ok === null ? null : row.test_ok === 1,
    test_error: row.test_error,
    updated_at: new Date(row.updated_at).toISOString(),
    can_activate: canActivate(row),
  };
}

export type DestinationView = ReturnType<typeof presentDestination>;
