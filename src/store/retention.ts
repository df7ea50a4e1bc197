/**
 * The retention coordinator (docs/retention.md): every interval each replica tries the `retention`
 * lease; the holder asks each area to purge its rows older than that area's retention, one
 * bounded batch at a time with a pause between, so neither SQLite's writer lock nor PostgreSQL's
 * row locks are held for long while the gateway writes. It is infrastructure: it knows neither
 * tables nor columns — each area owns its purge (`purgeBefore(cutoff, batchSize)`).
 *
 * The lease is renewed before every batch (fencing): a replica that lost it stops mid-table and
 * the new holder carries on; deletion is idempotent, so nothing is lost or done twice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Store } from './database.js';
import { createLease, type Lease } from './lease.js';

export interface RetentionTarget {
  /** The table purged, as the metric's `table` label. */
  readonly table: string;
  /** Rows whose time is older than now minus this go. */
  readonly keepMs: number;
  /** Deletes at most `batchSize` rows older than `cutoff`; returns how many went. */
  purgeBefore(cutoff: number, batchSize: number): Promise<number>;
}

export interface RetentionDeps {
  readonly targets: readonly RetentionTarget[];
  readonly lease: Lease;
  readonly clock: () => number;
  readonly intervalMs: number;
  readonly batchSize: number;
  /** Between batches: lets queued writes take the lock. */
  readonly pauseMs: number;
  readonly onDeleted?: (table: string, count: number) => void;
  readonly onError: (error: unknown) => void;
}

export interface RetentionPass {
  /** False when another replica holds the lease: this one deleted nothing. */
  held_lease: boolean;
  /** Rows deleted per table. */
  deleted: Record<string, number>;
  /** DELETE statements run (each at most one batch). */
  batches: number;
}

export const RETENTION_LEASE = 'retention';
/**
 * The holder renews before each batch (milliseconds apart), so a short TTL is safe; it bounds how
 * long a crashed holder's pass waits before another replica's next pass may run.
 */
export const RETENTION_LEASE_TTL_MS = 5 * 60_000;

export function createRetention(deps: RetentionDeps) {
  const { lease, clock, batchSize } = deps;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RetentionPass> | undefined;
  let closed = false;

  async function pass(): Promise<RetentionPass> {
    const summary: RetentionPass = { held_lease: false, deleted: {}, batches: 0 };
    if (!(await lease.acquire())) return summary;
    summary.held_lease = true;
    for (const target of deps.targets) {
      // One cutoff per table per pass: rows ageing past it mid-pass wait for the next pass.
      const cutoff = clock() - target.keepMs;
      summary.deleted[target.table] = 0;
      for (;;) {
        if (closed || !(await lease.acquire())) return summary;
        const deleted = await target.purgeBefore(cutoff, batchSize);
        summary.batches += 1;
        summary.deleted[target.table] = (summary.deleted[target.table] ?? 0) + deleted;
        if (deleted > 0) deps.onDeleted?.(target.table, deleted);
        if (deleted < batchSize) break;
        await sleep(deps.pauseMs);
      }
    }
    return summary;
  }

  /** One pass; a pass already under way on this replica is joined, not doubled. */
  function runPass(): Promise<RetentionPass> {
    running ??= pass().finally(() => (running = undefined));
    return running;
  }

  function schedule(): void {
    timer = setTimeout(async () => {
      await runPass().catch(deps.onError);
      if (!closed) schedule();
    }, deps.intervalMs);
    timer.unref();
  }

  return {
    runPass,
    start(): void {
      if (!timer && !closed) schedule();
    },
    /** Stops the timer, lets the batch under way finish, and hands the lease on. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
      await lease.release().catch(deps.onError);
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;

const DAY_MS = 86_400_000;

export interface RetentionWiring {
  readonly settings: Pick<Settings, 'retentionLedgerDays' | 'retentionBudgetEventsDays' | 'retentionDeliveriesDays' | 'retentionDeviceCodesDays' | 'retentionIntervalMs' | 'retentionBatchSize' | 'retentionPauseMs'>;
  readonly store: Store;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  /** Each area's own purge; the coordinator never names their tables itself. */
  readonly purges: {
    readonly ledger: RetentionTarget['purgeBefore'];
    readonly budgetEvents: RetentionTarget['purgeBefore'];
    readonly deliveries: RetentionTarget['purgeBefore'];
    readonly rateLimitEvents: RetentionTarget['purgeBefore'];
    readonly deviceCodes: RetentionTarget['purgeBefore'];
  };
  readonly onDeleted?: RetentionDeps['onDeleted'];
  readonly clock?: () => number;
}

/** The coordinator with the configured retentions, started and registered with the lifecycle. */
export function startRetention(deps: RetentionWiring): Retention {
  const { settings, purges, log } = deps;
  const clock = deps.clock ?? Date.now;
  const targets: RetentionTarget[] = [
    { table: 'spend_ledger', keepMs: settings.retentionLedgerDays * DAY_MS, purgeBefore: purges.ledger },
    { table: 'budget_events', keepMs: settings.retentionBudgetEventsDays * DAY_MS, purgeBefore: purges.budgetEvents },
    { table: 'notification_deliveries', keepMs: settings.retentionDeliveriesDays * DAY_MS, purgeBefore: purges.deliveries },
    { table: 'notification_events', keepMs: settings.retentionDeliveriesDays * DAY_MS, purgeBefore: purges.rateLimitEvents },
    { table: 'oauth_device_codes', keepMs: settings.retentionDeviceCodesDays * DAY_MS, purgeBefore: purges.deviceCodes },
  ];
  const retention = createRetention({
    targets,
    lease: createLease(deps.store.db, { name: RETENTION_LEASE, ttlMs: RETENTION_LEASE_TTL_MS, clock }),
    clock,
    intervalMs: settings.retentionIntervalMs,
    batchSize: settings.retentionBatchSize,
    pauseMs: settings.retentionPauseMs,
    onDeleted: deps.onDeleted,
    onError: (error) => log.warn({ err: error }, 'retention purge failed'),
  });
  deps.lifecycle.owns('retention purge', retention, (owned) => owned.close()).start();
  return retention;
}
