/**
 * The budget gate (spec §4): before a request is forwarded it reserves the request's worst-case
 * cost on the counter of every budget that applies, all or nothing. Each budget admits under its
 * own rule (docs/budgets.md, "Admission rule"): by default while anything of it remains
 * uncommitted, so concurrent requests (on any replica, with Redis) overshoot its block threshold
 * by at most one request's worst case; a strict budget only when the worst case fits, so it is
 * never passed. A refused reservation is a 429 `billing_error` saying which case it was; a budget past a `shape` rule throttles its subject to the rule's RPM (the
 * throttle keys it `shape:<subject>`). When the request ends the reservation becomes its actual
 * cost, and every threshold that settle crossed is recorded as a budget event.
 */
import { ApiError } from '../../errors.js';
import type { SpendTotals } from '../../spend/spend-totals.js';
import type { CounterStanding, Reservations, RpmThrottle } from '../contracts.js';
import { OPEN_ADMISSION, type Gate } from '../governor.js';
import type { BudgetBook } from './budget-book.js';
import type { BudgetEventRow, BudgetEventsRepo } from './budget-events.repo.js';
import { admittedHeaders, blockedHeaders, type BudgetView } from './budget-headers.js';
import { measure, speakerOf, viewOf, type MeasuredBudget } from './budget-standing.js';
import { crossedThresholds } from './threshold-events.js';

export interface BudgetGateDeps {
  readonly book: Pick<BudgetBook, 'applicable'>;
  readonly reservations: Reservations;
  readonly throttle: RpmThrottle;
  readonly spend: SpendTotals;
  readonly events: Pick<BudgetEventsRepo, 'record'>;
  /** Whom a blocked caller should ask (settings.budgetContact). */
  readonly contact: string;
  readonly reservationTtlMs: number;
  /** Settling, releasing or recording an event failed after the response (logged by the caller). */
  readonly onError: (error: unknown) => void;
  /** Told of each budget event this replica recorded (not of one another replica recorded first). */
  readonly onEvent?: (event: BudgetEventRow) => void;
}

const usd = (micros: number) => `$${(micros / 1e6).toFixed(2)}`;

function whose(measured: MeasuredBudget): string {
  if (measured.subject.type === 'team') return "your team's";
  if (measured.subject.type === 'key') return "this key's";
  return 'your';
}

/**
 * Why the budget refused: it is spent (settled + reserved has reached its block threshold), or it
 * is strict and this request's worst case does not fit in what remains.
 */
function blockMessage(measured: MeasuredBudget, before: CounterStanding, worstCaseMicros: number, maxTokens: number | undefined, contact: string): string {
  const { budget, window, line } = measured;
  const resets = new Date(window.end).toISOString();
  const committed = before.spentMicros + before.reservedMicros;
  const capMicros = line.capMicros ?? Number.POSITIVE_INFINITY;
  const what = `${whose(measured)} ${budget.period} budget of ${usd(budget.amountMicros)}`;
  if (committed >= capMicros) return `Request refused: ${what} is spent until it resets at ${resets}; to raise it, ask ${contact}.`;
  const from = maxTokens === undefined ? '' : `, from max_tokens ${maxTokens}`;
  return `Request refused: this request's worst case (${usd(worstCaseMicros)}${from}) does not fit the ${usd(capMicros - committed)} that remains of ${what} until it resets at ${resets}; send a smaller max_tokens or ask ${contact} to raise the budget.`;
}

export function createBudgetGate(deps: BudgetGateDeps): Gate {
  /** Past a `shape` rule, takes one request from the subject's per-minute allowance, or refuses. */
  async function shape(measured: readonly MeasuredBudget[], views: readonly BudgetView[], now: number): Promise<void> {
    for (const [index, view] of views.entries()) {
      if (view.status !== 'shaped' || view.shapeRpm === null) continue;
      const { subject, budget } = measured[index]!;
      const taken = await deps.throttle.take(`${subject.type}:${subject.id}`, view.shapeRpm, now);
      if (taken.ok) continue;
      throw new ApiError(
        'budget_throttled',
        `Request throttled: ${whose(measured[index]!)} ${budget.period} budget is past its shaping threshold, which allows ${view.shapeRpm} requests per minute; retry in ${taken.retryAfterSeconds} s.`,
        { headers: { 'retry-after': String(taken.retryAfterSeconds), ...admittedHeaders(view) } },
      );
    }
  }

  return {
    async admit(request) {
      const applied = deps.book.applicable(request.principal);
      if (applied.length === 0) return OPEN_ADMISSION;
      const measured = applied.map((item) => measure(item, deps.spend, request.now));
      const worstCaseMicros = request.worstCaseMicros();
      const result = await deps.reservations.reserve(measured.map((item) => item.line), worstCaseMicros, deps.reservationTtlMs).catch((error: unknown) => {
        // Fail closed: forwarding without a reservation could overspend every budget at once.
        deps.onError(error);
        throw new ApiError('budgets_unavailable', 'Budgets cannot be checked right now (their shared store is unreachable); the request was not sent. Retry shortly.');
      });
      const views = measured.map((item, index) => viewOf(item, result.before[index]!));
      if (!result.ok) {
        const refused = measured[result.refusedIndex]!;
        throw new ApiError('budget_exceeded', blockMessage(refused, result.before[result.refusedIndex]!, worstCaseMicros, request.maxTokens, deps.contact), {
          headers: blockedHeaders(views[result.refusedIndex]!, request.now),
        });
      }
      const id = result.id;
      const release = () => void deps.reservations.release(id).catch(deps.onError);
      try {
        await shape(measured, views, request.now);
      } catch (error) {
        release();
        throw error;
      }
      const principal = request.principal;
      return {
        headers: admittedHeaders(views[speakerOf(views)]!),
        capped: true,
        settle(usage) {
          deps.reservations
            .settle(id, usage.costMicros)
            .then((after) => Promise.all(crossedThresholds(measured, after, usage.costMicros, principal).map((event) => deps.events.record(event))))
            .then((recorded) => recorded.forEach((event) => event && deps.onEvent?.(event)))
            .catch(deps.onError);
        },
        release,
      };
    },
  };
}
