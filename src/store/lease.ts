/**
 * A named lease in the database: at most one replica holds it at a time, until it expires. It is
 * how replicas sharing one database agree who runs a singleton job (the notifications delivery
 * worker) without Redis or advisory locks, which SQLite lacks.
 *
 * Acquiring and renewing are the same single statement: insert the row, or take it over when it
 * is already ours or has expired (`INSERT … ON CONFLICT DO UPDATE … WHERE`, identical on SQLite and
 * PostgreSQL). The database serialises those statements, so two replicas can never both see
 * themselves as the holder of an unexpired lease. A holder renews before each unit of work and
 * stops as soon as a renewal fails (fencing): a replica paused past its TTL finds the lease gone
 * and does no more work under it.
 *
 * Expiry is judged on the replicas' clocks, so they should be NTP-synchronised; the TTL (a minute
 * or more) dwarfs ordinary skew.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface LeaseOptions {
  readonly name: string;
  /** How long a grant lasts without renewal: a dead holder's work resumes elsewhere after it. */
  readonly ttlMs: number;
  /** This replica's identity; random by default (a restarted process is a new holder). */
  readonly holder?: string;
  readonly clock?: () => number;
}

export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** Acquires or renews the lease; true while this replica holds it. */
  acquire(): Promise<boolean>;
  /** Gives the lease up (at shutdown), so another replica need not wait for the TTL. */
  release(): Promise<void>;
}

export function createLease(db: Kysely<Database>, options: LeaseOptions): Lease {
  const holder = options.holder ?? randomUUID();
  const clock = options.clock ?? Date.now;
  const { name, ttlMs } = options;
  return {
    name,
    holder,
    async acquire() {
      const now = clock();
      const granted = await db
        .insertInto('leases')
        .values({ name, holder, expires_at: now + ttlMs })
        .onConflict((conflict) =>
          conflict
            .column('name')
            .doUpdateSet({ holder, expires_at: now + ttlMs })
            .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<=', now)])),
        )
        .returning('holder')
        .executeTakeFirst();
      return granted?.holder === holder;
    },
    async release() {
      await db.updateTable('leases').set({ expires_at: 0 }).where('name', '=', name).where('holder', '=', holder).execute();
    },
  };
}
