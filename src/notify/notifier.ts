/**
 * Enqueueing: turns a budget event or a rate-limit refusal into an outbox entry with the names
 * known now. Called from the data plane after the response is decided, so it never delays or
 * fails a request: writes happen in the background and failures are only reported.
 *
 * A refusal storm (a client hammering past its limit) must not write once per request: the
 * outbox's unique dedupe key keeps one event per subject, limit and minute across replicas, and a
 * bounded in-memory set of recently enqueued keys spares the database the repeated attempts.
 */
import { randomUUID } from 'node:crypto';
import type { BudgetEventRow } from '../limits/budgets/budget-events.repo.js';
import type { RateLimitHit } from '../limits/rate-limits/rate-limiter.js';
import { budgetEventEntry, rateLimitDedupeKey, rateLimitEntry, type OutboxEntry } from './event-body.js';
import type { OutboxRepo } from './outbox.repo.js';

export interface NotifierDeps {
  readonly outbox: Pick<OutboxRepo, 'enqueue'>;
  /** From the identity area: a user's email, and the names of teams. */
  readonly names: {
    readonly userEmail: (userId: string) => string | undefined;
    readonly teamNames: () => Promise<ReadonlyMap<string, string>>;
  };
  readonly onError: (error: unknown) => void;
  /** How many recent rate-limit keys to remember (default 10 000). */
  readonly recentKeys?: number;
}

/** Insertion-ordered, so the oldest key is forgotten first. */
class RecentKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly max: number) {}

  /** True when the key was new (and is now remembered). */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value!);
    return true;
  }

  forget(key: string): void {
    this.keys.delete(key);
  }
}

export function createNotifier(deps: NotifierDeps) {
  const recent = new RecentKeys(deps.recentKeys ?? 10_000);
  const writes = new Set<Promise<void>>();

  async function teamName(teamId: string | null): Promise<string | null> {
    return teamId === null ? null : ((await deps.names.teamNames()).get(teamId) ?? null);
  }

  /** A budget event's outbox entry, with the names known now. */
  async function budgetEntry(event: BudgetEventRow): Promise<OutboxEntry> {
    const userEmail = event.user_id === null ? null : (deps.names.userEmail(event.user_id) ?? null);
    return budgetEventEntry(event, { userEmail, teamName: await teamName(event.team_id) });
  }

  /** Runs the write in the background, tracked so `idle()` can wait for it. */
  function background(write: () => Promise<OutboxEntry>, onFailure?: () => void): void {
    const running = write()
      .then((entry) => deps.outbox.enqueue(entry))
      .then(
        () => undefined,
        (error: unknown) => {
          onFailure?.();
          deps.onError(error);
        },
      )
      .finally(() => writes.delete(running));
    writes.add(running);
  }

  return {
    budgetEvent(event: BudgetEventRow): void {
      background(() => budgetEntry(event));
    },

    budgetEntry,

    rateLimitHit(hit: RateLimitHit): void {
      const key = rateLimitDedupeKey(hit);
      if (!recent.add(key)) return;
      // A failed write is forgotten, so the next refusal in the window tries again.
      background(async () => rateLimitEntry(randomUUID(), hit, { userEmail: hit.principal.userEmail, teamName: await teamName(hit.principal.teamId) }), () => recent.forget(key));
    },

    /** Resolves when every write started so far has finished (tests, shutdown). */
    async idle(): Promise<void> {
      await Promise.all([...writes]);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
