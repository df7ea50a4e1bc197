/**
 * Queues the budget events whose notification was never queued. A budget event is recorded by
 * the settle that crossed the threshold, and its notification queued just after, in the
 * background: a replica killed between the two (OOM, eviction, kill -9) leaves an event that
 * exists but would never be delivered. The lease holder looks back before each delivery pass and
 * queues what is missing, so such an event is late by one interval instead of lost.
 */
import type { BudgetEventRow } from '../limits/budgets/budget-events.repo.js';
import type { OutboxEntry } from './event-body.js';
import type { OutboxRepo } from './outbox.repo.js';

/** How far back the first pass after start looks: a replica down longer has bigger problems. */
export const FIRST_LOOK_BACK_MS = 24 * 3_600_000;
/** Later passes look back to the previous one, with this margin for settles still in flight then. */
const OVERLAP_MS = 5 * 60_000;
/** Events read per pass; a larger gap is caught up over the following passes. */
const MAX_EVENTS = 1_000;

export interface BudgetCatchUpDeps {
  /** From the limits area: budget events recorded since an instant, oldest first. */
  readonly recentBudgetEvents: (from: number, limit: number) => Promise<BudgetEventRow[]>;
  readonly outbox: Pick<OutboxRepo, 'bySource' | 'enqueue'>;
  /** The outbox entry of a budget event, with the names known now (the notifier's). */
  readonly entryFor: (event: BudgetEventRow) => Promise<OutboxEntry>;
  readonly clock: () => number;
}

export function createBudgetCatchUp(deps: BudgetCatchUpDeps) {
  let lookFrom: number | undefined;
  return {
    /** Queues every recent budget event without an outbox entry; returns how many it queued. */
    async run(): Promise<number> {
      const startedAt = deps.clock();
      const events = await deps.recentBudgetEvents(lookFrom ?? startedAt - FIRST_LOOK_BACK_MS, MAX_EVENTS);
      const queued = new Set((await deps.outbox.bySource(events.map((event) => event.id))).map((row) => row.source_id));
      let added = 0;
      for (const event of events) {
        if (!queued.has(event.id) && (await deps.outbox.enqueue(await deps.entryFor(event)))) added += 1;
      }
      // A full read may have stopped short: continue from its last event rather than from now.
      lookFrom = events.length === MAX_EVENTS ? events.at(-1)!.created_at : startedAt - OVERLAP_MS;
      return added;
    },
  };
}
