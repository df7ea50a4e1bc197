/**
 * The notifications admin API's wire shapes (docs/admin-api.md, "Notifications"). Declared here
 * until the server's own types are shared through src/cli/admin-types.ts like the other areas'.
 */

export const DESTINATION_TYPES = ['webhook', 'sns', 'eventbridge'] as const;
export type DestinationType = (typeof DESTINATION_TYPES)[number];

export type NotificationCategory = 'budget' | 'rate_limit';
export type AwsAuth = 'default' | 'static';

/** The active destination or the draft; fields another type does not use are null. */
export interface Destination {
  type: DestinationType;
  name: string | null;
  categories: NotificationCategory[];
  url: string | null;
  topic_arn: string | null;
  event_bus_name: string | null;
  source: string | null;
  region: string | null;
  endpoint_url: string | null;
  auth: AwsAuth | null;
  access_key_id: string | null;
  /** A webhook signing secret or an AWS secret access key is stored (never returned). */
  secret_set: boolean;
  tested_at: string | null;
  test_ok: boolean | null;
  test_error: string | null;
  updated_at: string;
  /** The last test succeeded after the last change. */
  can_activate: boolean;
}

export interface OutboxSummary {
  pending: number;
  retrying: number;
  dead: number;
  delivered_24h: number;
}

/** GET /admin/notifications */
export interface NotificationsState {
  active: Destination | null;
  draft: Destination | null;
  interval_seconds: number;
  categories: NotificationCategory[];
  outbox: OutboxSummary;
}

/** PUT /admin/notifications/draft; an omitted secret keeps the stored one when the type is unchanged. */
export interface DraftInput {
  type: DestinationType;
  name?: string;
  categories?: NotificationCategory[];
  url?: string;
  signing_secret?: string;
  topic_arn?: string;
  event_bus_name?: string;
  source?: string;
  region?: string;
  endpoint_url?: string;
  auth?: AwsAuth;
  access_key_id?: string;
  secret_access_key?: string;
}

export interface SavedDraft {
  draft: Destination;
  /** A webhook signing secret the gateway generated: shown once. */
  signing_secret?: string;
}

/** POST /admin/notifications/draft/test */
export interface TestDeliveryResult {
  ok: boolean;
  status: string;
  duration_ms: number | null;
  http_status: number | null;
  error: string | null;
}

/** POST /admin/notifications/deliver */
export interface DeliverResult {
  held_lease: boolean;
  delivered: number;
  failed: number;
  dead: number;
  skipped: number;
}

/** A row of GET /admin/notifications/deliveries: one delivery attempt. */
export interface DeliveryAttempt {
  id: string;
  attempted_at: string;
  event_id: string | null;
  event_type: string;
  destination_type: DestinationType;
  status: 'delivered' | 'failed';
  duration_ms: number | null;
  http_status: number | null;
  error: string | null;
  test: boolean;
  attempt: number;
}

export type OutboxStatus = 'pending' | 'delivered' | 'dead' | 'skipped';

/** A row of GET /admin/notifications/events: one event in the outbox. */
export interface OutboxEvent {
  id: string;
  created_at: string;
  category: NotificationCategory;
  event_type: string;
  severity: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string | null;
  delivered_at: string | null;
  last_error: string | null;
  body: unknown;
}
