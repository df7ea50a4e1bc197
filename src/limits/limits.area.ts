/**
 * Limits: rate limits (per key, user and team) and budgets, behind one governor that admits each
 * proxied request. Counters live in Redis when replicas share one, else in memory; overrides and
 * the budget book are mirrored in memory and polled.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Store } from '../store/database.js';
import type { RedisClient } from '../store/redis.js';
import type { SpendTotals } from '../spend/spend-totals.js';
import { BudgetBook } from './budgets/budget-book.js';
import { createBudgetEventsRepo, type BudgetEventRow } from './budgets/budget-events.repo.js';
import { createBudgetGate } from './budgets/budget-gate.js';
import { createBudgetOverview } from './budgets/budget-overview.js';
import { createBudgetsRepo } from './budgets/budgets.repo.js';
import { createBudgetsService, type BudgetsServiceDeps } from './budgets/budgets.service.js';
import { createGovernor, type Gate } from './governor.js';
import { createMemoryBackend } from './rate-limits/memory-backend.js';
import { createOverridesRepo } from './rate-limits/overrides.repo.js';
import { defaultsFromSettings, RateLimitOverrides } from './rate-limits/overrides.service.js';
import { createRateLimiter, type RateLimitHit } from './rate-limits/rate-limiter.js';
import { createRedisBackend } from './rate-limits/redis-backend.js';
import { createRpmThrottle } from './rate-limits/rpm-throttle.js';
import { createMemoryReservations } from './reservations/memory.js';
import { createRedisReservations } from './reservations/redis.js';

export interface LimitsDeps {
  readonly settings: Settings;
  readonly store: Store;
  readonly redis: RedisClient | undefined;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  /** What budgets count against: the ledger's spend (the spend area's query). */
  readonly spend: SpendTotals;
  /** Who the budgets belong to (identity's services). */
  readonly subjects: Pick<BudgetsServiceDeps, 'users' | 'teams' | 'keys'>;
  readonly onRateLimited: (scope: string, kind: string) => void;
  /** Each rate-limit decision, allowed or not (requests no limit applies to are not decisions). */
  readonly onRateLimitDecision?: (allowed: boolean) => void;
  /** Each rate-limit refusal, with whose limit it was (notifications' `rate_limit_hit`). */
  readonly onRateLimitHit?: (hit: RateLimitHit) => void;
  /** Each budget event this replica recorded (notifications enqueue it). */
  readonly onBudgetEvent?: (event: BudgetEventRow) => void;
  /** Wraps the budget gate so each decision is counted. */
  readonly countBudgetOutcomes: (gate: Gate) => Gate;
}

export async function createLimits(deps: LimitsDeps) {
  const { settings, store, redis, lifecycle, log } = deps;
  const rateLimits = await lifecycle.polled('rate-limit overrides', new RateLimitOverrides(createOverridesRepo(store.db), defaultsFromSettings(settings)));
  const backend = redis ? createRedisBackend(redis, settings.redisPrefix) : createMemoryBackend();
  const rateLimiter = createRateLimiter({
    backend,
    overrides: rateLimits,
    slotTtlMs: settings.reservationTtlMs,
    log,
    onRefused: (hit) => {
      deps.onRateLimited(hit.scope, hit.kind);
      deps.onRateLimitHit?.(hit);
    },
    onDecision: deps.onRateLimitDecision,
  });
  // Budgets: the book in memory (polled), reservations shared through Redis when there is one.
  const budgetsRepo = createBudgetsRepo(store.db);
  const book = await lifecycle.polled('budget book', new BudgetBook(budgetsRepo));
  const reservations = redis ? createRedisReservations(redis, settings.redisPrefix) : createMemoryReservations();
  const budgetEvents = createBudgetEventsRepo(store.db);
  const budgetGate = createBudgetGate({
    book,
    reservations,
    throttle: createRpmThrottle(backend),
    spend: deps.spend,
    events: budgetEvents,
    contact: settings.budgetContact,
    reservationTtlMs: settings.reservationTtlMs,
    onError: (error) => log.warn({ err: error }, 'budget reservation store failed'),
    onEvent: deps.onBudgetEvent,
  });
  return {
    rateLimits,
    book,
    reservations,
    budgetEvents,
    budgets: createBudgetsService({ repo: budgetsRepo, book, spend: deps.spend, ...deps.subjects, defaultTimeZone: settings.budgetTimeZone }),
    budgetOverview: createBudgetOverview({ book, spend: deps.spend, reservations }),
    /** Rate limits, then budgets: every proxied request passes here before an endpoint is chosen. */
    governor: createGovernor([rateLimiter, deps.countBudgetOutcomes(budgetGate)]),
  };
}

export type Limits = Awaited<ReturnType<typeof createLimits>>;
