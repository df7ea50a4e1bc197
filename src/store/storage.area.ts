/**
 * Storage: the database (migrated on open) and, when `REDIS_URL` is set, the one Redis connection
 * for everything replicas must count together (rate limits, budget reservations). Opened first,
 * so they close last.
 */
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import type { Lifecycle } from '../lifecycle.js';
import { openStore, type Store } from './database.js';
import { openRedis, type RedisClient } from './redis.js';

export interface Storage {
  readonly store: Store;
  readonly redis: RedisClient | undefined;
}

export async function openStorage(settings: Settings, lifecycle: Lifecycle): Promise<Storage> {
  const store = lifecycle.owns(
    'database',
    await openStore({ databaseUrl: settings.databaseUrl, sqlitePath: join(settings.dataDir, 'ccag.db'), poolSize: settings.databasePoolSize }),
    (opened) => opened.close(),
  );
  await store.migrate();
  const redis = settings.redisUrl ? lifecycle.owns('redis', await openRedis(settings.redisUrl), (client) => client.quit()) : undefined;
  return { store, redis };
}
