/**
 * /admin/notifications (docs/notifications.md, docs/admin-api.md#notifications): the destination
 * workflow (draft → test → activate), the outbox and delivery history, retrying a dead event and
 * delivering now. Admins only. Secrets never leave: a destination says `secret_set`, and a
 * generated webhook signing secret is returned once, by the PUT that created it.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { draftInputSchema } from '../notify/destination-config.js';
import type { DeliveryRow } from '../notify/deliveries.repo.js';
import { NOTIFICATION_CATEGORIES } from '../notify/event-body.js';
import type { OutboxRow } from '../notify/outbox.repo.js';
import { envelope, listQuery } from './list-query.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';
import { iso, isoOrNull } from './wire-format.js';

const deliveriesQuery = listQuery({ attempted_at: 'desc', event_type: 'asc', duration_ms: 'desc' }, 'attempted_at', {
  status: z.enum(['delivered', 'failed']).optional(),
  event_type: z.string().trim().min(1).max(100).optional(),
  test: z.enum(['true', 'false']).optional(),
});

const eventsQuery = listQuery({ created_at: 'desc', event_type: 'asc', status: 'asc' }, 'created_at', {
  status: z.enum(['pending', 'delivered', 'dead', 'skipped']).optional(),
  category: z.enum(NOTIFICATION_CATEGORIES).optional(),
});

function presentDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    attempted_at: iso(row.attempted_at),
    event_id: row.event_id,
    event_type: row.event_type,
    destination_type: row.destination_type,
    status: row.status,
    duration_ms: row.duration_ms,
    http_status: row.http_status,
    error: row.error,
    test: row.test === 1,
    attempt: row.attempt,
  };
}

function presentEvent(row: OutboxRow) {
  return {
    id: row.id,
    created_at: iso(row.created_at),
    category: row.category,
    event_type: row.event_type,
    severity: row.severity,
    status: row.status,
    attempts: row.attempts,
    // Only a pending event has a next attempt.
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    delivered_at: isoOrNull(row.delivered_at),
    last_error: row.last_error,
    body: JSON.parse(row.body) as Record<string, unknown>,
  };
}

/** A delivery attempt and an outbox event as the admin API shows them (shared with the CLI). */
export type NotificationDeliveryView = ReturnType<typeof presentDelivery>;
export type NotificationEventView = ReturnType<typeof presentEvent>;

type ById = { Params: { id: string } };

export function registerNotificationRoutes(app: FastifyInstance, deps: AdminDeps): void {
  const notifications = deps.notifications;

  app.get('/notifications', async () => notifications.overview());

  app.put('/notifications/draft', async (request) => notifications.putDraft(validate(draftInputSchema, request.body), request.adminUser?.email ?? null));

  app.post('/notifications/draft/test', async () => notifications.testDraft());

  app.post('/notifications/draft/activate', async () => notifications.activate());

  app.post('/notifications/deactivate', async () => notifications.deactivate());

  app.delete('/notifications/draft', async (_request, reply) => {
    await notifications.discard();
    return reply.code(204).send();
  });

  app.get('/notifications/deliveries', async (request) => {
    const query = validate(deliveriesQuery, request.query);
    const { rows, total } = await notifications.deliveries({ ...query, eventType: query.event_type, test: query.test === undefined ? undefined : query.test === 'true' });
    return envelope(rows.map(presentDelivery), total, query);
  });

  app.get('/notifications/events', async (request) => {
    const query = validate(eventsQuery, request.query);
    const { rows, total } = await notifications.events(query);
    return envelope(rows.map(presentEvent), total, query);
  });

  app.post<ById>('/notifications/events/:id/retry', async (request) => presentEvent(await notifications.retry(request.params.id)));

  app.post('/notifications/deliver', async () => notifications.deliverNow());
}
