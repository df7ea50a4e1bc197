/**
 * What the areas start and must stop: connections, timers, pollers. Each area registers what it
 * owns as it creates it; shutdown closes everything in the reverse order, so each thing stops
 * before what it was built on (the ledger flushes before metrics push their last export, and both
 * before the database closes) without anyone keeping that order by hand.
 */
import type { Logger } from 'pino';
import { ChangeFollowers } from './store/change-followers.js';

/** An in-memory copy of a table that follows other replicas' changes by polling. */
export interface Polled {
  refresh(): Promise<void>;
  startPolling(intervalMs: number, onError: (error: unknown) => void): void;
  stop(): void;
}

/** How often a replica picks up changes made elsewhere (keys, users, routing, budgets, ...). */
export const CHANGE_POLL_MS = 2_000;

export class Lifecycle {
  private readonly closers: Array<{ what: string; close: () => unknown }> = [];
  /** Every mirror refreshed when a change is announced on the change bus (docs/replicas.md). */
  readonly changes: ChangeFollowers;

  constructor(private readonly log: Logger) {
    this.changes = new ChangeFollowers((what, error) => log.warn({ err: error }, `${what} refresh failed`));
  }

  /** Registers how to stop something just started; returns it. */
  owns<T>(what: string, resource: T, close: (resource: T) => unknown): T {
    this.closers.push({ what, close: () => close(resource) });
    return resource;
  }

  /**
   * A mirror kept fresh: loaded now, refreshed when a change is announced, polled for other
   * replicas' changes (the fallback while the announcements' channel is down), stopped at shutdown.
   */
  async polled<T extends Polled>(what: string, mirror: T, intervalMs = CHANGE_POLL_MS): Promise<T> {
    await mirror.refresh();
    this.changes.follow(what, () => mirror.refresh());
    mirror.startPolling(intervalMs, (error) => this.log.warn({ err: error }, `${what} refresh failed`));
    return this.owns(what, mirror, (m) => m.stop());
  }

  /** Stops everything, last started first; one failure does not keep the rest running. */
  async close(): Promise<void> {
    this.changes.stop();
    for (const { what, close } of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        this.log.warn({ err: error }, `closing ${what} failed`);
      }
    }
  }
}
