/**
 * The delivery worker. Every interval each replica tries the `notifications` lease; the holder
 * delivers the due outbox events, oldest first, in batches, renewing the lease before each event
 * and stopping the moment a renewal fails (another replica took over). Each attempt is written to
 * the history; the event is then delivered, retried later with backoff, or dead. Events the active
 * destination does not take (none is active, or not their category) are skipped with the reason.
 *
 * Passes on one replica never overlap (the timer's and an admin's "deliver now" queue behind each
 * other): the lease keeps replicas apart, not two passes of the same holder.
 */
import type { Lease } from '../store/lease.js';
import { attemptDelivery } from './delivery-attempt.js';
import type { DeliveriesRepo } from './deliveries.repo.js';
import type { DestinationType, OpenDestination } from './destination-config.js';
import type { ActiveDestination } from './destinations.service.js';
import type { OutboxRepo, OutboxRow, Settlement } from './outbox.repo.js';
import { afterFailure } from './retry-schedule.js';
import type { Sender } from './senders/sender.js';

export interface DeliveryWorkerDeps {
  readonly outbox: Pick<OutboxRepo, 'due' | 'settle' | 'pendingTotal'>;
  readonly history: Pick<DeliveriesRepo, 'record'>;
  readonly lease: Lease;
  readonly activeDestination: () => Promise<ActiveDestination | undefined>;
  readonly senderFor: (destination: OpenDestination) => Sender;
  readonly clock: () => number;
  readonly intervalMs: number;
  readonly maxAttempts: number;
  /** Each attempt's outcome (`ccag.notifications.delivered`). */
  readonly onAttempt?: (destinationType: DestinationType, status: 'delivered' | 'failed') => void;
  /** Pending events after each tick (`ccag.notifications.outbox_pending`). */
  readonly onPending?: (count: number) => void;
  readonly onError: (error: unknown) => void;
  /** Runs first in each pass of the lease holder (the budget catch-up). */
  readonly beforePass?: () => Promise<unknown>;
}

export interface PassSummary {
  /** False when another replica holds the lease: this one did nothing. */
  held_lease: boolean;
  delivered: number;
  /** Failed attempts that will be retried. */
  failed: number;
  dead: number;
  skipped: number;
}

export const BATCH_SIZE = 100;
/** One pass handles at most this many events, so a backlog cannot hold a pass (and shutdown) for long. */
const MAX_EVENTS_PER_PASS = 1_000;
/**
 * A pass ends after this many failed attempts in a row: the destination looks down, and waiting
 * out a 10 s timeout per due event would hold the pass (and shutdown) for minutes. The events not
 * tried keep their turn for the next pass.
 */
export const MAX_CONSECUTIVE_FAILURES = 3;

export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const { outbox, lease, clock } = deps;
  let queue: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let closed = false;

  /** What to do with one due event: deliver it, or why it is skipped. */
  async function handle(event: OutboxRow, destination: ActiveDestination | undefined, sender: () => Sender, summary: PassSummary): Promise<void> {
    let outcome: Settlement;
    if (!destination) {
      outcome = { status: 'skipped', error: 'no active destination' };
    } else if (!destination.categories.includes(event.category)) {
      outcome = { status: 'skipped', error: `the active destination does not take ${event.category} events` };
    } else {
      const attempt = event.attempts + 1;
      const result = await attemptDelivery(
        { id: event.id, eventType: event.event_type, severity: event.severity, category: event.category, body: event.body },
        { sender: sender(), destinationType: destination.open.type, history: deps.history, clock, eventId: event.id, attempt },
      );
      deps.onAttempt?.(destination.open.type, result.ok ? 'delivered' : 'failed');
      outcome = result.ok
        ? { status: 'delivered', at: clock() }
        : afterFailure({ attempts: attempt, maxAttempts: deps.maxAttempts, intervalMs: deps.intervalMs, now: clock(), error: result.error ?? 'failed' });
    }
    // Not written: the row moved meanwhile (another holder settled it), so this outcome is not counted.
    if (!(await outbox.settle(event, outcome, outcome.status !== 'skipped'))) return;
    if (outcome.status === 'pending') summary.failed += 1;
    else summary[outcome.status] += 1;
  }

  async function pass(): Promise<PassSummary> {
    const summary: PassSummary = { held_lease: false, delivered: 0, failed: 0, dead: 0, skipped: 0 };
    if (!(await lease.acquire())) return summary;
    summary.held_lease = true;
    await deps.beforePass?.();
    const destination = await deps.activeDestination();
    let sender: Sender | undefined;
    const senderOnce = () => (sender ??= deps.senderFor(destination!.open));
    try {
      let handled = 0;
      let failuresInARow = 0;
      for (;;) {
        const batch = await outbox.due(clock(), BATCH_SIZE);
        for (const event of batch) {
          if (closed || failuresInARow >= MAX_CONSECUTIVE_FAILURES) return summary;
          // Fencing: past this point only the holder writes; a replica that lost the lease stops.
          if (!(await lease.acquire())) return summary;
          const before = summary.failed + summary.dead;
          await handle(event, destination, senderOnce, summary);
          failuresInARow = summary.failed + summary.dead > before ? failuresInARow + 1 : 0;
        }
        handled += batch.length;
        if (batch.length < BATCH_SIZE || handled >= MAX_EVENTS_PER_PASS) break;
      }
      return summary;
    } finally {
      sender?.close();
    }
  }

  /** Runs one pass after any pass already under way on this replica. */
  function runPass(): Promise<PassSummary> {
    const result = queue.then(pass);
    queue = result.catch(() => undefined);
    return result;
  }

  async function tick(): Promise<void> {
    try {
      await runPass();
      deps.onPending?.(await outbox.pendingTotal());
    } catch (error) {
      deps.onError(error);
    }
    if (!closed) schedule();
  }

  function schedule(): void {
    timer = setTimeout(() => void (ticking = tick()), deps.intervalMs);
    timer.unref();
  }

  return {
    runPass,
    start(): void {
      if (!timer && !closed) schedule();
    },
    /** Stops the timer, lets a pass under way finish, and hands the lease on. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await ticking;
      await queue;
      await lease.release().catch(deps.onError);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
