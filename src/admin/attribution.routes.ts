/**
 * /admin/analytics/billing-groups and /admin/analytics/sessions: spend by the request `tags`
 * billing group and by Claude Code session with its agent breakdown (docs/attribution.md).
 * Members may ask too; the access policy narrows every answer to their own requests, so a member
 * naming another user's session gets 404 like a session that does not exist.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import { analyticsScope } from '../identity/access-policy.js';
import { BILLING_GROUP_SORTS, SESSION_SORTS, type AttributionRange, type AttributionReports } from '../spend/analytics/attribution-reports.js';
import { resolveRange } from '../spend/analytics/range.js';
import { instant } from './analytics.routes.js';
import { callerOf, selfService } from './caller.js';
import { envelope, listQuery } from './list-query.js';
import { validate } from './validate.js';

const rangeFields = { from: instant.optional(), to: instant.optional(), user_id: z.string().trim().min(1).max(200).optional() };
const range = z.object(rangeFields);
const billingGroupsQuery = listQuery(BILLING_GROUP_SORTS, 'cost_usd', rangeFields);
const sessionsQuery = listQuery(SESSION_SORTS, 'last_at', rangeFields);

/** The range (7 days to now by default, at most 400 days) and the caller's scope. */
function rangeOf(request: FastifyRequest, query: z.output<typeof range>): AttributionRange {
  const { from, to } = resolveRange({ from: query.from, to: query.to }, Date.now());
  return { from, to, userId: analyticsScope(callerOf(request), { userId: query.user_id }).userId };
}

export function registerAttributionRoutes(app: FastifyInstance, deps: { attribution: AttributionReports }): void {
  const reports = deps.attribution;

  app.get('/analytics/billing-groups', selfService, async (request) => {
    const query = validate(billingGroupsQuery, request.query);
    const page = await reports.billingGroups(rangeOf(request, query), query);
    return envelope(page.data, page.total, query);
  });

  app.get('/analytics/sessions', selfService, async (request) => {
    const query = validate(sessionsQuery, request.query);
    const page = await reports.sessions(rangeOf(request, query), query);
    return envelope(page.data, page.total, query);
  });

  app.get<{ Params: { id: string } }>('/analytics/sessions/:id', selfService, async (request) => {
    const session = await reports.session(request.params.id, rangeOf(request, validate(range, request.query)));
    if (!session) throw new ApiError('not_found', `no requests of session ${request.params.id} in the range`);
    return session;
  });
}

export type BillingGroupSpendView = Awaited<ReturnType<AttributionReports['billingGroups']>>['data'][number];
export type SessionSpendView = Awaited<ReturnType<AttributionReports['sessions']>>['data'][number];
export type SessionDetailView = NonNullable<Awaited<ReturnType<AttributionReports['session']>>>;
