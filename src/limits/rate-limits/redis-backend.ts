/**
 * Rate-limit counters in Redis, shared by every replica. Each counter is a sorted set (a tpm window
 * also keeps its running total beside it, so no check reads the whole log): sliding
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
-- A tpm window keeps its running total in <key>:sum, so checking it never reads the whole log.
local function expire(kind, key, cutoff)
  if kind == 'tpm' then
    local gone = redis.call('ZRANGEBYSCORE', key, '-inf', cutoff)
    local drop = 0
    for j = 1, #gone do drop = drop + weight(kind, gone[j]) end
    if drop > 0 then redis.call('DECRBY', key .. ':sum', drop) end
  end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', cutoff)
end
local function total(kind, key)
  if kind == 'tpm' then return tonumber(redis.call('GET', key .. ':sum') or '0') end
  return redis.call('ZCARD', key)
end
local function add(kind, key, score, member, amount, ttl)
  redis.call('ZADD', key, score, member)
  redis.call('PEXPIRE', key, ttl)
  if kind == 'tpm' then
    redis.call('INCRBY', key .. ':sum', amount)
    redis.call('PEXPIRE', key .. ':sum', ttl)
  end
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
    expire(kind, key, now)
    local count = total(kind, key)
    if count + 1 > limit then return {0, i - 1, slot_retry} end
    used[i] = count + 1
  else
    expire(kind, key, now - window)
    local sum = total(kind, key)
    if sum > 0 and sum + amount > limit then
      -- Refused: only now walk the log, oldest first, for when enough weight ages out.
      local entries = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
      local remaining = sum
      for j = 1, #entries, 2 do
        remaining = remaining - weight(kind, entries[j])
        if remaining <= 0 or remaining + amount <= limit then
          return {0, i - 1, math.max(1, tonumber(entries[j + 1]) + window - now)}
        end
      end
      return {0, i - 1, window}
    end
    used[i] = sum + amount
  end
end
for i = 1, #KEYS do
  local base = 5 + (i - 1) * 3
  local kind, amount = ARGV[base + 1], ARGV[base + 3]
  if kind == 'concurrency' then
    add(kind, KEYS[i], now + slot_ttl, id, 1, slot_ttl)
  else
    add(kind, KEYS[i], now, kind == 'tpm' and (id .. ':' .. amount) or id, tonumber(amount), window)
  end
end
return {1, unpack(used)}
`;

/** KEYS: the request's counters. ARGV: id, actual tokens, now, window, then kind and admitted amount per line. */
const FINISH = `${WEIGHT}
local id, actual, now, window = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
for i = 1, #KEYS do
  local kind, amount = ARGV[4 + (i - 1) * 2 + 1], ARGV[4 + (i - 1) * 2 + 2]
  if kind == 'concurrency' then
    redis.call('ZREM', KEYS[i], id)
  elseif kind == 'tpm' then
    if redis.call('ZREM', KEYS[i], id .. ':' .. amount) == 1 then redis.call('DECRBY', KEYS[i] .. ':sum', amount) end
    if actual > 0 then add(kind, KEYS[i], now, id .. ':' .. ARGV[2], actual, window) end
  end
end
return 1
`;

/** KEYS: the request's counters. ARGV: id, then kind and admitted amount per line. */
const RELEASE = `
local id = ARGV[1]
for i = 1, #KEYS do
  local kind, amount = ARGV[1 + (i - 1) * 2 + 1], ARGV[1 + (i - 1) * 2 + 2]
  if kind == 'tpm' then
    if redis.call('ZREM', KEYS[i], id .. ':' .. amount) == 1 then redis.call('DECRBY', KEYS[i] .. ':sum', amount) end
  else
    redis.call('ZREM', KEYS[i], id)
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
  const releaseScript = script(redis, RELEASE);
  const keyOf = (line: LimitLine) => `${prefix}rl:${line.key}`;

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
      await releaseScript(lines.map(keyOf), [id, ...lines.flatMap((line) => [line.kind, line.amount])]);
    },
  };
}
