/**
 * GET /api/oauth/usage: the caller's spending cap as Claude Code's `/usage` shows it (spec §13).
 * With budgets: `extra_usage` from the most constraining one (cents, whole percent) and one
 * `limits` entry per budget, whose `resets_at` is the instant of the `-reset` header. Without:
 * `limits: []`, and the caller's spend this UTC day, week and month under `spend`.
 */
import type { FastifyInstance } from 'fastify';
import { renderAnthropicError } from '../../gateway/error-renderer.js';
import type { Authenticator } from '../../identity/authenticator.js';
import type { SpendTotals } from '../../spend/spend-totals.js';
import { periodWindow, type BudgetPeriod } from '../budget-period.js';
import type { Reservations } from '../contracts.js';
import type { BudgetBook } from './budget-book.js';
import type { BudgetView } from './budget-headers.js';
import { speakerOf, standingsOf } from './budget-standing.js';

export interface UsageRouteDeps {
  readonly authenticator: Authenticator;
  readonly book: Pick<BudgetBook, 'applicable'>;
  readonly reservations: Pick<Reservations, 'standing'>;
  readonly spend: SpendTotals;
  readonly clock?: () => number;
}

const cents = (micros: number) => Math.round(micros / 10_000);
const SEVERITY = { ok: 'normal', warning: 'warning', shaped: 'warning', blocked: 'critical' } as const;

function limitOf(view: BudgetView, speaking: boolean) {
  return {
    kind: 'spend',
    group: view.period,
    percent: Number.isFinite(view.percent) ? Math.round(view.percent) : 100,
    resets_at: new Date(Math.ceil(view.window.end / 1000) * 1000).toISOString(),
    severity: SEVERITY[view.status],
    is_active: speaking,
  };
}

export async function usageRoute(app: FastifyInstance, deps: UsageRouteDeps): Promise<void> {
  const clock = deps.clock ?? Date.now;
  app.setErrorHandler(renderAnthropicError);

  app.get('/api/oauth/usage', async (request) => {
    const principal = await deps.authenticator.authenticate(request.headers);
    const now = clock();
    const standings = await standingsOf(deps.book.applicable(principal), deps.spend, deps.reservations, now);
    if (standings.length === 0) {
      const subject = { type: 'user', id: principal.userId } as const;
      const spentIn = async (period: BudgetPeriod) => {
        const window = periodWindow(period, 'UTC', now);
        const micros = await deps.spend.spentBetween(subject, window.start, window.end);
        return { usd: micros / 1e6, since: new Date(window.start).toISOString() };
      };
      const [day, week, month] = await Promise.all([spentIn('daily'), spentIn('weekly'), spentIn('monthly')]);
      return {
        extra_usage: { is_enabled: false, monthly_limit: null, used_credits: Math.round(month.usd * 100), utilization: null, currency: 'USD' },
        limits: [],
        spend: { day, week, month },
      };
    }
    const views = standings.map((item) => item.view);
    const speaker = speakerOf(views);
    const view = views[speaker]!;
    return {
      extra_usage: {
        is_enabled: true,
        monthly_limit: cents(view.limitMicros),
        used_credits: cents(view.committedMicros),
        utilization: Number.isFinite(view.percent) ? Math.floor(view.percent) : 100,
        currency: 'USD',
      },
      limits: views.map((item, index) => limitOf(item, index === speaker)),
    };
  });
}
