/**
 * GET /admin/analytics/anthropic-reconciliation (admins): per UTC day, the ledger's cost on
 * `anthropic` endpoints beside Anthropic's cost report (docs/admin-api.md#anthropic-reconciliation).
 * Only a replica with ANTHROPIC_ADMIN_API_KEY can ask Anthropic; the others answer
 * `configured: false`, which is how the portal knows to leave the section out.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../errors.js';
import type { AnthropicReconciliation, ReconciledDay, ReconciledFigures } from '../telemetry/admin-api-collector/anthropic-reconciliation.js';
import { AdminApiError } from '../telemetry/admin-api-collector/client.js';
import { DAY_MS, utcDayStart } from '../telemetry/admin-api-collector/reconcile.js';
import { instant } from './analytics.routes.js';
import { validate } from './validate.js';

const DEFAULT_DAYS = 7;
/** The cost report pages 31 days at a time; a quarter is three or four requests. */
const MAX_DAYS = 92;

const query = z.object({ from: instant.optional(), to: instant.optional() });

export interface AnthropicReconciliationView {
  /** Whether this replica reads Anthropic's Admin API (ANTHROPIC_ADMIN_API_KEY). */
  configured: boolean;
  /** The first UTC day's start and the last UTC day's end (ISO 8601). */
  from: string;
  to: string;
  days: ReconciledDay[];
  /** The range's sums; null when not configured. */
  total: ReconciledFigures | null;
}

/**
 * The whole UTC days a range touches, up to today: by default the last seven (today included).
 * Days after today have no cost yet, so a range reaching into the future stops at today.
 */
export function reconciliationDays(range: { from?: number | undefined; to?: number | undefined }, now: number): { fromDay: number; toDay: number } {
  const endOfToday = utcDayStart(now) + DAY_MS;
  const toDay = Math.min(range.to === undefined ? endOfToday : Math.ceil(range.to / DAY_MS) * DAY_MS, endOfToday);
  const fromDay = range.from === undefined ? toDay - DEFAULT_DAYS * DAY_MS : utcDayStart(range.from);
  if (fromDay >= toDay) throw new ApiError('invalid_request', 'from: must be before to, and not after today');
  const days = (toDay - fromDay) / DAY_MS;
  if (days > MAX_DAYS) throw new ApiError('invalid_request', `from, to: the range is ${days} days; at most ${MAX_DAYS} are allowed`);
  return { fromDay, toDay };
}

export function registerReconciliationRoutes(app: FastifyInstance, deps: { anthropicReconciliation?: AnthropicReconciliation | undefined }): void {
  app.get('/analytics/anthropic-reconciliation', async (request): Promise<AnthropicReconciliationView> => {
    const { fromDay, toDay } = reconciliationDays(validate(query, request.query), Date.now());
    const range = { from: new Date(fromDay).toISOString(), to: new Date(toDay).toISOString() };
    if (!deps.anthropicReconciliation) return { configured: false, ...range, days: [], total: null };
    try {
      const { days, total } = await deps.anthropicReconciliation.daily(fromDay, toDay);
      return { configured: true, ...range, days, total };
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      // The provider's answer (status and message) tells the admin what to fix; it holds no secret.
      throw new ApiError('upstream_unreachable', `Anthropic's Admin API could not be read: ${error.message}`);
    }
  });
}
