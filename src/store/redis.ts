/**
 * The Redis connection (ioredis), when `REDIS_URL` is set: what replicas share for rate limits and
 * budget reservations. Commands fail fast while Redis is down instead of queueing without bound,
 * so a request waits at most a few seconds for an answer.
 */
import type { Redis } from 'ioredis';

export type RedisClient = Redis;

export async function openRedis(url: string): Promise<Redis> {
  // Loaded only with REDIS_URL: a single process on SQLite never needs it (~5 MB at start).
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    commandTimeout: 5_000,
  });
  // While Redis is down every command fails fast and its caller decides (rate limits admit,
  // budgets refuse: docs/operations.md); ioredis reconnects by itself. Without a listener each
  // failed reconnection would print "[ioredis] Unhandled error event" to stderr.
  redis.on('error', () => undefined);
  await redis.connect();
  return redis;
}
