/**
 * Ledger rows for the analytics bench, in time order as production writes them, from a seeded
 * generator (the same rows every run): ~500 users in 20 teams (a few without one) with a heavy
 * tail of activity, 6 models with per-user favourites, 3 endpoints with per-team preferences,
 * working-hours and weekday traffic, Claude Code-like token mixes, 2% upstream errors, 1% client
 * aborts, built-in and MCP tool calls (with repeats) and reported tool failures.
 */
import type { SpendLedgerTable } from '../src/store/schema.js';

const HOUR = 3_600_000;
const USERS = 500;
const TEAMS = 20;
const MODELS = [
  // model, share, micro-dollars per million input / output / cache-read / cache-write tokens
  ['claude-sonnet-4-5', 0.45, 3e6, 15e6, 0.3e6, 3.75e6],
  ['claude-haiku-4-5', 0.2, 1e6, 5e6, 0.1e6, 1.25e6],
  ['claude-opus-4-1', 0.15, 15e6, 75e6, 1.5e6, 18.75e6],
  ['claude-sonnet-4', 0.1, 3e6, 15e6, 0.3e6, 3.75e6],
  ['claude-opus-4-5', 0.07, 5e6, 25e6, 0.5e6, 6.25e6],
  ['claude-3-5-haiku', 0.03, 0.8e6, 4e6, 0.08e6, 1e6],
] as const;
const ENDPOINTS = ['ep-anthropic', 'ep-bedrock-us', 'ep-bedrock-eu'];
const BUILTIN_TOOLS = ['Bash', 'Read', 'Edit', 'Write', 'Grep', 'Glob', 'TodoWrite', 'WebFetch', 'Task', 'MultiEdit'];
const MCP_TOOLS = [
  'mcp__github__search_issues', 'mcp__github__get_pull_request', 'mcp__github__create_pull_request', 'mcp__linear__create_issue',
  'mcp__linear__list_issues', 'mcp__sentry__get_issue', 'mcp__postgres__query', 'mcp__slack__post_message',
];
const ERRORS = [['overloaded_error', 529], ['rate_limit_error', 429], ['api_error', 500]] as const;

export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A sample from the cumulative weights (binary search). */
function sampler(weights: readonly number[], random: () => number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) cumulative.push((total += weight));
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** Roughly log-normal around `median`. */
const around = (random: () => number, median: number, spread: number) => Math.max(1, Math.round(median * Math.exp(spread * (random() + random() + random() - 1.5))));

/** How busy an hour is: weekdays in working hours (UTC, a team spread over Europe and the US). */
function hourWeight(time: number): number {
  const date = new Date(time);
  const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
  const hour = date.getUTCHours();
  const working = hour >= 7 && hour <= 21 ? 1 : 0.15;
  return (weekend ? 0.25 : 1) * working;
}

export interface Spread {
  readonly users: Array<{ id: string; teamId: string | null }>;
  readonly teamIds: string[];
  readonly endpointIds: string[];
  /** Yields the rows in time order, `batchSize` at a time. */
  batches(batchSize: number): Generator<SpendLedgerTable[]>;
}

/** Who sends the traffic: by default the bench's synthetic 500 users in 20 teams over 3 endpoints. */
export interface Population {
  readonly users: Array<{ id: string; teamId: string | null }>;
  readonly teamIds: string[];
  readonly endpointIds: string[];
}

function syntheticPopulation(random: () => number): Population {
  const teamIds = Array.from({ length: TEAMS }, (_, i) => `team-${String(i).padStart(2, '0')}`);
  const users = Array.from({ length: USERS }, (_, i) => ({ id: `user-${String(i).padStart(3, '0')}`, teamId: random() < 0.04 ? null : teamIds[Math.floor(random() * TEAMS)]! }));
  return { users, teamIds, endpointIds: ENDPOINTS };
}

/** `population` puts the traffic on real users, teams and endpoints (the portal's browser test seeds its screenshots so). */
export function spreadLedger(total: number, start: number, end: number, seed = 1, population?: Population): Spread {
  const random = seeded(seed);
  const { users, teamIds, endpointIds } = population ?? syntheticPopulation(random);
  // A heavy tail: a few users send most requests.
  const pickUser = sampler(users.map(() => random() ** 3 + 0.01), random);
  const favourite = users.map(() => Math.floor(random() * 3));
  const pickModel = sampler(MODELS.map((m) => m[1]), random);
  const teamEndpoint = new Map(teamIds.map((id, i) => [id, i % endpointIds.length]));
  const hours: number[] = [];
  for (let t = Math.floor(start / HOUR) * HOUR; t < end; t += HOUR) hours.push(t);
  const weights = hours.map(hourWeight);
  const weightSum = weights.reduce((a, b) => a + b, 0);

  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const tool = () => pick(random() < 0.15 ? MCP_TOOLS : BUILTIN_TOOLS);

  function row(n: number, hourStart: number): SpendLedgerTable {
    const userIndex = pickUser();
    const user = users[userIndex]!;
    const model = MODELS[random() < 0.7 ? favourite[userIndex]! : pickModel()]!;
    const endpoint = user.teamId && random() < 0.85 ? endpointIds[teamEndpoint.get(user.teamId)!]! : pick(endpointIds);
    const failure = random() < 0.02 ? pick(ERRORS) : undefined;
    const aborted = !failure && random() < 0.01;
    const input = around(random, 2_000, 1.5);
    const output = failure ? 0 : around(random, 400, 1.5);
    const cacheRead = random() < 0.85 ? around(random, 40_000, 1) : 0;
    const cacheWrite = around(random, 2_500, 1.5);
    const calls = random() < 0.6 ? Array.from({ length: 1 + Math.floor(random() * 3) }, tool) : [];
    const toolError = random() < 0.05 ? tool() : null;
    const duration = around(random, 8_000, 1.2);
    return {
      request_id: `req_bench_${n}`,
      created_at: hourStart + Math.floor(random() * HOUR),
      key_id: `key-${user.id}`,
      key_prefix: 'sk-ccag-bench',
      user_id: user.id,
      team_id: user.teamId,
      endpoint_id: endpoint,
      model: model[0],
      upstream_model: null,
      streaming: 1,
      status: failure ? failure[1] : aborted ? 499 : 200,
      stop_reason: failure || aborted ? null : calls.length > 0 ? 'tool_use' : 'end_turn',
      error_type: failure ? failure[0] : null,
      input_tokens: input,
      output_tokens: output,
      cache_read_tokens: cacheRead,
      cache_write_5m_tokens: cacheWrite,
      cache_write_1h_tokens: 0,
      cost_micros: Math.round((input * model[2] + output * model[3] + cacheRead * model[4] + cacheWrite * model[5]) / 1e6),
      pricing_status: 'priced',
      usage_estimated: aborted ? 1 : 0,
      duration_ms: duration,
      ttft_ms: random() < 0.97 ? Math.min(duration, around(random, 1_200, 0.8)) : null,
      session_id: null,
      tool_names: calls.length > 0 ? calls.join(',') : null,
      tool_errors: toolError,
      web_searches: random() < 0.02 ? 1 : 0,
      upstream_request_id: null,
    };
  }

  return {
    users,
    teamIds,
    endpointIds,
    *batches(batchSize) {
      let n = 0;
      let batch: SpendLedgerTable[] = [];
      let owed = 0;
      for (let h = 0; h < hours.length; h++) {
        owed += (total * weights[h]!) / weightSum;
        // The last hour takes what rounding left, so exactly `total` rows come out.
        const count = h === hours.length - 1 ? total - n : Math.floor(owed);
        owed -= count;
        const rows = Array.from({ length: count }, () => row(n++, hours[h]!)).sort((a, b) => a.created_at - b.created_at);
        for (const one of rows) {
          batch.push(one);
          if (batch.length === batchSize) {
            yield batch;
            batch = [];
          }
        }
      }
      if (batch.length > 0) yield batch;
    },
  };
}
