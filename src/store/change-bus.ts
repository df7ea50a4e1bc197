/**
 * How a replica tells the others, within about a second, that shared configuration changed (a
 * key revoked, a user deactivated, a budget, limit, endpoint, IdP or setting saved): Redis
 * pub/sub when `REDIS_URL` is set, else PostgreSQL LISTEN/NOTIFY, else (one SQLite process) a
 * call in memory. An announcement carries no data, only "something changed": each replica then
 * refreshes every mirror, which is one cheap versioned query each and always correct, where a
 * table of which write touches which mirror would have to follow every new route. Announcing
 * never fails a write: while the channel is down, the mirrors' polling carries changes, and when
 * it comes back every mirror refreshes, since announcements may have been missed.
 */
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Store } from './database.js';
import type { RedisClient } from './redis.js';

export type ChangeBusTransport = 'redis' | 'postgres' | 'memory';

export interface ChangeBus {
  readonly transport: ChangeBusTransport;
  /** Whether announcements reach this replica now (false while the channel is down and being reconnected). */
  readonly connected: boolean;
  /** Announcements this replica received, its own included. */
  readonly received: number;
  /** Tells every replica, this one included, that shared configuration changed. Never throws. */
  announce(): void;
  close(): Promise<void>;
}

export interface ChangeBusDeps {
  readonly settings: Pick<Settings, 'redisUrl' | 'redisPrefix' | 'databaseUrl'>;
  readonly store: Store;
  readonly redis: RedisClient | undefined;
  /** Called for each announcement, and when the channel is back after a loss. */
  readonly onChange: () => void;
  readonly log: Logger;
}

export async function openChangeBus(deps: ChangeBusDeps): Promise<ChangeBus> {
  const { settings, redis, onChange, log } = deps;
  if (settings.redisUrl && redis) {
    const { openRedisChangeBus } = await import('./redis-change-bus.js');
    return openRedisChangeBus({ url: settings.redisUrl, channel: `${settings.redisPrefix}changes`, publisher: redis, onChange, log });
  }
  if (deps.store.dialect === 'postgres' && settings.databaseUrl) {
    // Loaded only here, like the pg driver itself, so a SQLite gateway never loads it.
    const { openPostgresChangeBus } = await import('./postgres-change-bus.js');
    return openPostgresChangeBus({ databaseUrl: settings.databaseUrl, db: deps.store.db, onChange, log });
  }
  return memoryChangeBus(onChange);
}

/** One process: its own writes already refresh its mirrors; announcing refreshes the rest at once. */
function memoryChangeBus(onChange: () => void): ChangeBus {
  let received = 0;
  return {
    transport: 'memory',
    connected: true,
    get received() {
      return received;
    },
    announce() {
      received += 1;
      setImmediate(onChange);
    },
    async close() {},
  };
}
