/**
 * GET /admin/budget-events: the budget thresholds crossed (docs/budgets.md#budget-events), newest
 * first. The events table belongs to the budgets area and holds ids only; emails, team names and
 * key prefixes come from the identity area, a page at a time, and so does a search by name.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SubjectNames } from '../identity/subject-names.repo.js';
import type { DeliveryState } from '../notify/notifications-admin.js';
import type { BudgetEventRow } from '../limits/budgets/budget-events.repo.js';
import { BUDGET_EVENT_TYPES, type BudgetEventDetail, type BudgetEventType } from '../limits/budgets/threshold-events.js';
import { envelope, listQuery } from './list-query.js';
import { iso, isoOrNull } from './wire-format.js';
import type { AdminDeps } from './plugin.js';
import { validate } from './validate.js';

const instant = z.iso.datetime({ offset: true });

const eventsQuery = listQuery({ created_at: 'desc', threshold_percent: 'desc', event_type: 'asc' }, 'created_at', {
  /** Inclusive. */
  from: instant.optional(),
  /** Exclusive. */
  to: instant.optional(),
  event_type: z.enum(BUDGET_EVENT_TYPES).optional(),
  subject_type: z.enum(['user', 'team', 'key']).optional(),
});

export function presentBudgetEvent(row: BudgetEventRow, names: SubjectNames, notification: { delivery: DeliveryState; delivered_at: number | null } | undefined) {
  const detail = JSON.parse(row.detail) as BudgetEventDetail;
  return {
    id: row.id,
    created_at: iso(row.created_at),
    // The column holds only what threshold-events.ts writes: one of BUDGET_EVENT_TYPES.
    event_type: row.event_type as BudgetEventType,
    severity: row.severity,
    subject_type: row.subject_type,
    subject_id: row.subject_id,
    subject_name: names[row.subject_type].get(row.subject_id) ?? null,
    user_id: row.user_id,
    user_email: row.user_id === null ? null : (names.user.get(row.user_id) ?? null),
    team_id: row.team_id,
    team_name: row.team_id === null ? null : (names.team.get(row.team_id) ?? null),
    threshold_percent: row.threshold_percent,
    spend_usd: detail.spend_usd,
    limit_usd: detail.limit_usd,
    percent: detail.percent,
    period: detail.period,
    period_start: iso(row.period_start),
    /** What became of the event's notification (docs/notifications.md); not_configured when none was queued. */
    delivery: notification?.delivery ?? ('not_configured' as DeliveryState),
    delivered_at: isoOrNull(notification?.delivered_at ?? null),
  };
}

/** A budget event as the admin API shows it (shared with the CLI). */
export type BudgetEventView = ReturnType<typeof presentBudgetEvent>;

/** Every id a page of events names, by kind. */
function idsNamedBy(rows: readonly BudgetEventRow[]) {
  const ids = { user: new Set<string>(), team: new Set<string>(), key: new Set<string>() };
  for (const row of rows) {
    ids[row.subject_type].add(row.subject_id);
    if (row.user_id !== null) ids.user.add(row.user_id);
    if (row.team_id !== null) ids.team.add(row.team_id);
  }
  return { user: [...ids.user], team: [...ids.team], key: [...ids.key] };
}

export function registerBudgetEventRoutes(app: FastifyInstance, deps: AdminDeps): void {
  app.get('/budget-events', async (request) => {
    const query = validate(eventsQuery, request.query);
    const { rows, total } = await deps.budgetEvents.list({
      ...query,
      from: query.from === undefined ? undefined : Date.parse(query.from),
      to: query.to === undefined ? undefined : Date.parse(query.to),
      eventType: query.event_type,
      subjectType: query.subject_type,
      subjects: query.q === undefined ? undefined : await deps.names.matching(query.q),
    });
    const [names, notifications] = await Promise.all([deps.names.of(idsNamedBy(rows)), deps.notifications.deliveryOf(rows.map((row) => row.id))]);
    return envelope(rows.map((row) => presentBudgetEvent(row, names, notifications.get(row.id))), total, query);
  });
}
