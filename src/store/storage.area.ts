/**
 * Storage: the database (migrated on open) and, when `REDIS_URL` is set, the one Redis connection
 * for everything replicas must count together (rate limits, budget reservations), and the change
 * bus that tells every replica's mirrors to refresh. Opened first, so they close last.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import { openChangeBus, type ChangeBus } from './change-bus.js';
import { openStore, type Store } from './database.js';
import { openRedis, type RedisClient } from './redis.js';

export interface Storage {
  readonly store: Store;
  readonly redis: RedisClient | undefined;
  /** Announces changes to every replica; each announcement refreshes the lifecycle's mirrors. */
  readonly changes: ChangeBus;
}

export async function openStorage(settings: Settings, lifecycle: Lifecycle, log: Logger): Promise<Storage> {
  const store = lifecycle.owns(
    'database',
    await openStore({ databaseUrl: settings.databaseUrl, sqlitePath: join(settings.dataDir, 'ccag.db'), poolSize: settings.databasePoolSize }),
    (opened) => opened.close(),
  );
  await store.migrate();
  const redis = settings.redisUrl ? lifecycle.owns('redis', await openRedis(settings.redisUrl), (client) => client.quit()) : undefined;
  const changes = lifecycle.owns(
    'change bus',
    await openChangeBus({ settings, store, redis, log, onChange: () => lifecycle.changes.refreshAll() }),
    (bus) => bus.close(),
  );
  return { store, redis, changes };
}
