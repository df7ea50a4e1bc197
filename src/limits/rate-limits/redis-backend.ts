/**
 * Rate-limit counters in Redis, shared by every replica. Each counter is a sorted set: sliding
 * windows hold one member per admitted request scored by its admission time (`<id>` for rpm,
 * `<id>:<tokens>` for tpm, replaced by the actual tokens scored by the end time when the request
 * ends), concurrency counters one member per slot scored by its expiry. A Lua
 * script checks and records all of a request's counters in one step, so concurrent requests on
 * different replicas cannot both take the last unit. Times come from the replicas' clocks: keep
 * them synchronised (NTP); skew between replicas shifts a window by the skew.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../../store/redis.js';
import { SLOT_RETRY_MS, WINDOW_MS, type AdmitResult, type LimitLine, type RateLimitBackend } from './backend.js';

const WEIGHT = `
local function weight(kind, member)
  if kind == 'tpm' then return tonumber(string.match(member, ':(%d+)$')) end
  return 1
end
`;

/** KEYS: one counter per line. ARGV: now, window, slot TTL, id, slot retry, then kind, limit, amount per line. */
const ADMIT = `${WEIGHT}
local now, window, slot_ttl, id, slot_retry = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local used = {}
for i = 1, #KEYS do
  local base = 5 + (i - 1) * 3
  local kind, limit, amount = ARGV[base + 1], tonumber(ARGV[base + 2]), tonumber(ARGV[base + 3])
  local key = KEYS[i]
  if kind == 'concurrency' then
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    local count = redis.call('ZCARD', key)
    if count + 1 > limit then return {0, i - 1, slot_retry} end
    used[i] = count + 1
  else
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
    local total = 0
    for j = 1, #entries, 2 do total = total + weight(kind, entries[j]) end
    if total > 0 and total + amount > limit then
      local remaining = total
      for j = 1, #entries, 2 do
        remaining = remaining - weight(kind, entries[j])
        if remaining <= 0 or remaining + amount <= limit then
          return {0, i - 1, math.max(1, tonumber(entries[j + 1]) + window - now)}
        end
      end
      return {0, i - 1, window}
    end
    used[i] = total + amount
  end
end
for i = 1, #KEYS do
  local base = 5 + (i - 1) * 3
  local kind, amount = ARGV[base + 1], ARGV[base + 3]
  if kind == 'concurrency' then
    redis.call('ZADD', KEYS[i], now + slot_ttl, id)
    redis.call('PEXPIRE', KEYS[i], slot_ttl)
  else
    redis.call('ZADD', KEYS[i], now, kind == 'tpm' and (id .. ':' .. amount) or id)
    redis.call('PEXPIRE', KEYS[i], window)
  end
end
return {1, unpack(used)}
`;

/** KEYS: the request's counters. ARGV: id, actual tokens, now, window, then kind and admitted amount per line. */
const FINISH = `
local id, actual, now, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 1, #KEYS do
  local kind, amount = ARGV[4 + (i - 1) * 2 + 1], ARGV[4 + (i - 1) * 2 + 2]
  if kind == 'concurrency' then
    redis.call('ZREM', KEYS[i], id)
  elseif kind == 'tpm' then
    redis.call('ZREM', KEYS[i], id .. ':' .. amount)
    if actual > 0 then
      redis.call('ZADD', KEYS[i], now, id .. ':' .. ARGV[2])
      redis.call('PEXPIRE', KEYS[i], window)
    end
  end
end
return 1
`;

type Argument = string | number;

/** Runs a script by its SHA-1 (cheap on the hot path), loading it on the first NOSCRIPT answer. */
function script(redis: RedisClient, lua: string) {
  const sha = createHash('sha1').update(lua).digest('hex');
  return async (keys: readonly string[], args: readonly Argument[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}

export function createRedisBackend(redis: RedisClient, prefix: string): RateLimitBackend {
  const admitScript = script(redis, ADMIT);
  const finishScript = script(redis, FINISH);
  const keyOf = (line: LimitLine) => `${prefix}rl:${line.key}`;
  const memberOf = (id: string, line: LimitLine) => (line.kind === 'tpm' ? `${id}:${line.amount}` : id);

  return {
    async admit(id, lines, now, slotTtlMs): Promise<AdmitResult> {
      const args = lines.flatMap((line) => [line.kind, line.limit, line.amount]);
      const reply = (await admitScript(lines.map(keyOf), [now, WINDOW_MS, slotTtlMs, id, SLOT_RETRY_MS, ...args])) as number[];
      if (reply[0] === 1) return { ok: true, used: reply.slice(1) };
      return { ok: false, refusedIndex: reply[1]!, retryAfterMs: reply[2]! };
    },

    async finish(id, lines, actualTokens, now) {
      const held = lines.filter((line) => line.kind !== 'rpm');
      if (held.length === 0) return;
      await finishScript(held.map(keyOf), [id, actualTokens, now, WINDOW_MS, ...held.flatMap((line) => [line.kind, line.amount])]);
    },

    async release(id, lines) {
      const removal = redis.multi();
      for (const line of lines) removal.zrem(keyOf(line), memberOf(id, line));
      await removal.exec();
    },
  };
}
