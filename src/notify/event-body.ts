/**
 * The notification event body (spec §8), one shape for every destination: a webhook POSTs it, SNS
 * publishes it as the message, EventBridge carries it as the event's detail. Bodies are rendered
 * once, when the event is enqueued, with the names known then (a later rename does not rewrite
 * history, and every retry sends the same bytes the receiver may already have seen).
 */
import type { BudgetEventRow } from '../limits/budgets/budget-events.repo.js';
import { WINDOW_MS } from '../limits/rate-limits/backend.js';
import type { RateLimitHit } from '../limits/rate-limits/rate-limiter.js';

export const NOTIFICATION_CATEGORIES = ['budget', 'rate_limit'] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

/** What a delivery of the draft sends: not queued, never retried. */
export const TEST_EVENT_TYPE = 'notification_test';

export interface EventBody {
  readonly id: string;
  readonly source: 'ccag';
  readonly version: '1';
  readonly category: NotificationCategory | 'test';
  readonly event_type: string;
  readonly severity: string;
  readonly user_identity: string | null;
  readonly team_id: string | null;
  readonly team_name: string | null;
  readonly detail: Record<string, unknown>;
  readonly timestamp: string;
}

/** An outbox row before it is stored: the body and what the worker and the admin API filter on. */
export interface OutboxEntry {
  readonly id: string;
  /** Unique in the outbox: how "once" is kept across replicas. */
  readonly dedupeKey: string;
  readonly sourceId: string | null;
  readonly category: NotificationCategory;
  readonly eventType: string;
  readonly severity: string;
  readonly body: string;
  readonly createdAt: number;
}

/** Names resolved at enqueue by the caller (the identity area owns them). */
export interface EventNames {
  readonly userEmail: string | null;
  readonly teamName: string | null;
}

export function budgetEventEntry(event: BudgetEventRow, names: EventNames): OutboxEntry {
  const body: EventBody = {
    id: event.id,
    source: 'ccag',
    version: '1',
    category: 'budget',
    event_type: event.event_type,
    severity: event.severity,
    user_identity: names.userEmail,
    team_id: event.team_id,
    team_name: names.teamName,
    detail: JSON.parse(event.detail) as Record<string, unknown>,
    timestamp: new Date(event.created_at).toISOString(),
  };
  // The outbox id is the budget event's: receivers and the admin API see one id for one event.
  return { id: event.id, dedupeKey: `budget:${event.id}`, sourceId: event.id, category: 'budget', eventType: event.event_type, severity: event.severity, body: JSON.stringify(body), createdAt: event.created_at };
}

/**
 * The minute a refusal falls in: "once per window" counts a refusal storm of any length as one
 * event a minute per subject and limit (concurrency has no window of its own; it shares the minute).
 */
export function rateLimitWindowStart(at: number): number {
  return Math.floor(at / WINDOW_MS) * WINDOW_MS;
}

export function rateLimitDedupeKey(hit: RateLimitHit): string {
  return `rate_limit:${hit.scope}:${hit.subjectId}:${hit.kind}:${rateLimitWindowStart(hit.at)}`;
}

export function rateLimitEntry(id: string, hit: RateLimitHit, names: EventNames): OutboxEntry {
  const windowStart = rateLimitWindowStart(hit.at);
  const body: EventBody = {
    id,
    source: 'ccag',
    version: '1',
    category: 'rate_limit',
    event_type: 'rate_limit_hit',
    severity: 'warning',
    user_identity: names.userEmail,
    team_id: hit.principal.teamId,
    team_name: names.teamName,
    detail: {
      scope: hit.scope,
      limit: hit.kind,
      limit_value: hit.limit,
      window_seconds: WINDOW_MS / 1000,
      window_start: new Date(windowStart).toISOString(),
      key_prefix: hit.principal.keyPrefix,
    },
    timestamp: new Date(hit.at).toISOString(),
  };
  return { id, dedupeKey: rateLimitDedupeKey(hit), sourceId: null, category: 'rate_limit', eventType: 'rate_limit_hit', severity: 'warning', body: JSON.stringify(body), createdAt: hit.at };
}

/** The body a test delivery sends, so a receiver can be wired up before any real event exists. */
export function testEventBody(id: string, at: number): EventBody {
  return {
    id,
    source: 'ccag',
    version: '1',
    category: 'test',
    event_type: TEST_EVENT_TYPE,
    severity: 'info',
    user_identity: null,
    team_id: null,
    team_name: null,
    detail: { message: 'A test delivery from CCAG: the destination is reachable and accepts events.' },
    timestamp: new Date(at).toISOString(),
  };
}
