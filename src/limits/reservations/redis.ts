/**
 * Budget reservations in Redis, shared by every replica. Each operation is one Lua script, so
 * checking the caps of all lines (each under its own rule) and holding the amount on all of them
 * is atomic across replicas.
 *
 * Layout, per counter (`<prefix>{budgets}:…`; the `{budgets}` hash tag keeps every key in one slot,
 * because a script may touch several counters — on a cluster they then all live on one node):
 *  - `c:<counter>` hash: `spent` (settled micro-dollars, seeded from the ledger with HSETNX),
 *    `reserved` (sum of live holds) and `r:<id>` (each live hold's amount);
 *  - `z:<counter>` sorted set of live hold ids scored by when they stop counting, purged inside
 *    every script before anything is read, so a crashed replica's holds lapse after their ttl;
 *  - `r:<id>` the reservation's counter names, kept until its counters are forgotten, so a request
 *    that outlives its ttl still settles its real cost.
 * Counters expire one margin after their period ends. Hold times come from the calling replica's
 * clock (replicas are expected to keep theirs in sync, NTP); expiries are sent as durations
 * (PEXPIRE, PX) measured on that same clock, never as instants, so Redis's own clock never has to
 * agree with it: a replica (or a test) whose clock is ahead or behind Redis's keeps its counters
 * for exactly as long as its periods last.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../store/redis.js';
import type { CounterStanding, ReserveLine, ReserveResult, Reservations } from '../contracts.js';
import { COUNTER_MARGIN_MS } from './common.js';

/** Drops the holds of counter `c` (sorted set `z`) that lapsed by `now`. */
const PURGE = `
local function purge(c, z, now)
  local lapsed = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  for _, id in ipairs(lapsed) do
    local held = redis.call('HGET', c, 'r:' .. id)
    if held then
      redis.call('HINCRBY', c, 'reserved', '-' .. held)
      redis.call('HDEL', c, 'r:' .. id)
    end
  end
  if #lapsed > 0 then redis.call('ZREMRANGEBYSCORE', z, '-inf', now) end
end
local function standing(c)
  return { tonumber(redis.call('HGET', c, 'spent')) or 0, tonumber(redis.call('HGET', c, 'reserved')) or 0 }
end
`;

/**
 * KEYS: c1, z1, …, cn, zn, record. ARGV: now, amount, until, id, record ttl, record value,
 * then per line: cap ('' for none), counter ttl (ms), rule ('1' strict, '0' default). The rule is
 * common.ts's refusedByCap: strict refuses when spent + reserved + amount passes the cap, the
 * default once spent + reserved has reached it.
 * Returns {0, 0, standings…} when held, {1, refused line, standings…} when refused (standings
 * before), {2, missing line…} when some counters must first be seeded.
 */
const RESERVE = `${PURGE}
local now, amount, id = ARGV[1], tonumber(ARGV[2]), ARGV[4]
local n = (#KEYS - 1) / 2
local missing = {}
for i = 1, n do
  if redis.call('EXISTS', KEYS[2 * i - 1]) == 0 then table.insert(missing, i) end
end
if #missing > 0 then return { 2, unpack(missing) } end
local out, refused = { 0, 0 }, 0
for i = 1, n do
  local c = KEYS[2 * i - 1]
  purge(c, KEYS[2 * i], now)
  local s = standing(c)
  table.insert(out, s[1])
  table.insert(out, s[2])
  local cap, strict = ARGV[4 + 3 * i], ARGV[6 + 3 * i] == '1'
  if refused == 0 and cap ~= '' then
    local committed = s[1] + s[2]
    if (strict and committed + amount > tonumber(cap)) or (not strict and committed >= tonumber(cap)) then refused = i end
  end
end
if refused > 0 then
  out[1], out[2] = 1, refused
  return out
end
for i = 1, n do
  local c, z = KEYS[2 * i - 1], KEYS[2 * i]
  redis.call('HINCRBY', c, 'reserved', ARGV[2])
  redis.call('HSET', c, 'r:' .. id, ARGV[2])
  redis.call('ZADD', z, ARGV[3], id)
  redis.call('PEXPIRE', z, ARGV[5 + 3 * i])
end
redis.call('SET', KEYS[#KEYS], ARGV[6], 'PX', ARGV[5])
return out
`;

/**
 * KEYS: record, c1, z1, …. ARGV: now, id, actual ('' to release). Removes the hold from each
 * counter and adds the actual cost to its spend; does nothing when the record is already gone
 * (settled or released before). Returns the standings after, of the counters still present.
 */
const FINISH = `${PURGE}
if redis.call('DEL', KEYS[1]) == 0 then return {} end
local now, id, actual = ARGV[1], ARGV[2], ARGV[3]
local out = {}
for i = 1, (#KEYS - 1) / 2 do
  local c, z = KEYS[2 * i], KEYS[2 * i + 1]
  if redis.call('EXISTS', c) == 1 then
    purge(c, z, now)
    local held = redis.call('HGET', c, 'r:' .. id)
    if held then
      redis.call('HINCRBY', c, 'reserved', '-' .. held)
      redis.call('HDEL', c, 'r:' .. id)
      redis.call('ZREM', z, id)
    end
    if actual ~= '' then redis.call('HINCRBY', c, 'spent', actual) end
    local s = standing(c)
    table.insert(out, s[1])
    table.insert(out, s[2])
  end
end
return out
`;

/** KEYS: c. ARGV: seeded spend, counter ttl (ms). Only the first seed of a counter counts. */
const SEED = `
if redis.call('HSETNX', KEYS[1], 'spent', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'reserved', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`;

/** KEYS: c, z. ARGV: now. Returns {spent, reserved}, or {} when the counter must be seeded. */
const STANDING = `${PURGE}
if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
purge(KEYS[1], KEYS[2], ARGV[1])
return standing(KEYS[1])
`;

/** Seeding rounds before a reservation gives up (one is normal; more means counters are being deleted). */
const MAX_SEED_ROUNDS = 3;

type Script = (keys: string[], args: (string | number)[]) => Promise<number[]>;

/** Registers a script with ioredis, which runs it by EVALSHA and loads it when Redis lacks it. */
function defineScript(redis: RedisClient, name: string, lua: string): Script {
  redis.defineCommand(name, { lua });
  const command = (redis as unknown as Record<string, (numKeys: number, ...args: (string | number)[]) => Promise<number[]>>)[name]!;
  return (keys, args) => command.call(redis, keys.length, ...keys, ...args);
}

function pairs(flat: readonly number[]): CounterStanding[] {
  const standings: CounterStanding[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) standings.push({ spentMicros: flat[i]!, reservedMicros: flat[i + 1]! });
  return standings;
}

export function createRedisReservations(redis: RedisClient, prefix: string, clock: () => number = Date.now): Reservations {
  const reserveScript = defineScript(redis, 'ccagBudgetReserve', RESERVE);
  const finishScript = defineScript(redis, 'ccagBudgetFinish', FINISH);
  const seedScript = defineScript(redis, 'ccagBudgetSeed', SEED);
  const standingScript = defineScript(redis, 'ccagBudgetStanding', STANDING);

  const base = `${prefix}{budgets}:`;
  const counterKeys = (key: string) => [`${base}c:${key}`, `${base}z:${key}`];
  const recordKey = (id: string) => `${base}r:${id}`;
  const forgetAt = (line: ReserveLine) => line.expiresAt + COUNTER_MARGIN_MS;
  /** How long from `now` a counter must live; at least 1 ms, since Redis refuses a zero expiry. */
  const ttlOf = (line: ReserveLine, now: number) => Math.max(1, forgetAt(line) - now);

  // This replica's concurrent first uses of a counter share one ledger read; across replicas,
  // HSETNX keeps the first seed.
  const seeding = new Map<string, Promise<void>>();
  function seed(line: ReserveLine): Promise<void> {
    let pending = seeding.get(line.key);
    if (!pending) {
      pending = line
        .seed()
        .then((spentMicros) => seedScript([counterKeys(line.key)[0]!], [spentMicros, ttlOf(line, clock())]))
        .then(() => undefined)
        .finally(() => seeding.delete(line.key));
      seeding.set(line.key, pending);
    }
    return pending;
  }

  async function finish(id: string, actual: string): Promise<readonly CounterStanding[]> {
    const names = await redis.get(recordKey(id));
    if (names === null) return [];
    const keys = (JSON.parse(names) as string[]).flatMap(counterKeys);
    return pairs(await finishScript([recordKey(id), ...keys], [clock(), id, actual]));
  }

  return {
    async reserve(lines, amountMicros, ttlMs): Promise<ReserveResult> {
      const id = randomUUID();
      const keys = [...lines.flatMap((line) => counterKeys(line.key)), recordKey(id)];
      for (let attempt = 1; ; attempt++) {
        const now = clock();
        const perLine = lines.flatMap((line) => [line.capMicros === null ? '' : line.capMicros, ttlOf(line, now), line.strict ? '1' : '0']);
        const record = [Math.max(ttlMs, ...lines.map((line) => ttlOf(line, now))), JSON.stringify(lines.map((line) => line.key))];
        const [status, index, ...rest] = await reserveScript(keys, [now, amountMicros, now + ttlMs, id, ...record, ...perLine]);
        if (status === 2) {
          // Seeded counters exist until their period ends; missing again right after a seed means
          // something deletes them (an eviction policy, a flush): fail rather than spin.
          if (attempt > MAX_SEED_ROUNDS) throw new Error(`budget counters vanished right after seeding (${attempt - 1} times); check Redis's eviction policy`);
          await Promise.all([index!, ...rest].map((i) => seed(lines[i - 1]!)));
          continue;
        }
        const before = pairs(rest);
        return status === 0 ? { ok: true, id, before } : { ok: false, refusedIndex: index! - 1, before };
      }
    },

    settle: (id, actualMicros) => finish(id, String(actualMicros)),

    async release(id) {
      await finish(id, '');
    },

    async standing(line) {
      for (let attempt = 1; ; attempt++) {
        const found = await standingScript(counterKeys(line.key), [clock()]);
        if (found.length > 0) return pairs(found)[0]!;
        if (attempt > MAX_SEED_ROUNDS) throw new Error(`budget counter vanished right after seeding (${attempt - 1} times); check Redis's eviction policy`);
        await seed(line);
      }
    },
  };
}
