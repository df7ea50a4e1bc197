/**
 * The Redis connection (ioredis), when `REDIS_URL` is set: what replicas share for rate limits and
 * budget reservations. Commands fail fast while Redis is down instead of queueing without bound,
 * so a request waits at most a few seconds for an answer.
 */
import { Redis } from 'ioredis';

export type RedisClient = Redis;

export async function openRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5_000,
    commandTimeout: 5_000,
  });
  await redis.connect();
  return redis;
}
