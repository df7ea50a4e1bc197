/**
 * Spend by billing group and by Claude Code session (docs/attribution.md), read from the raw
 * ledger because the rollups keep neither dimension. Billing groups and session lists aggregate a
 * time range (scanned through `spend_ledger_created_at`); one session's agent breakdown reads
 * only that session's rows (`spend_ledger_session_created`, migration 0015). Groups and sessions
 * can be many, so they are sorted and paged in SQL over the grouped rows.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { fetchPage, textKey, valueKey, containsText, type PageRequest } from '../../store/paging.js';
import type { Database } from '../../store/schema.js';
import { iso, usd } from './figures.js';

export interface AttributionRange {
  /** Epoch ms, inclusive. */
  readonly from: number;
  /** Epoch ms, exclusive. */
  readonly to: number;
  /** Only this user's requests (members; admins filtering). */
  readonly userId?: string | undefined;
}

export const BILLING_GROUP_SORTS = {
  billing_group: 'asc',
  requests: 'desc',
  tokens: 'desc',
  cost_usd: 'desc',
  users: 'desc',
  sessions: 'desc',
  last_at: 'desc',
} as const;
export const SESSION_SORTS = { session_id: 'asc', requests: 'desc', tokens: 'desc', cost_usd: 'desc', agents: 'desc', first_at: 'desc', last_at: 'desc' } as const;
type BillingGroupSort = keyof typeof BILLING_GROUP_SORTS;
type SessionSort = keyof typeof SESSION_SORTS;

/** A sort field → the grouped row's column it orders by (text ones without case). */
const SORT_KEYS: Record<BillingGroupSort | SessionSort, ReturnType<typeof valueKey>> = {
  billing_group: textKey('billing_group'),
  session_id: textKey('session_id'),
  requests: valueKey('requests'),
  tokens: valueKey('tokens'),
  cost_usd: valueKey('cost_micros'),
  users: valueKey('users'),
  sessions: valueKey('sessions'),
  agents: valueKey('agents'),
  first_at: valueKey('first_at'),
  last_at: valueKey('last_at'),
};

/** Aggregates as the drivers return them: COUNT, SUM and MIN of bigints come back as strings from PostgreSQL. */
interface Sums {
  requests: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  cache_read_tokens: number | string;
  cache_write_tokens: number | string;
  tokens: number | string;
  cost_micros: number | string;
  first_at: number | string;
  last_at: number | string;
}

function spendOf(row: Sums) {
  return {
    requests: Number(row.requests),
    input_tokens: Number(row.input_tokens),
    output_tokens: Number(row.output_tokens),
    cache_read_tokens: Number(row.cache_read_tokens),
    cache_write_tokens: Number(row.cache_write_tokens),
    tokens: Number(row.tokens),
    cost_usd: usd(Number(row.cost_micros)),
    first_at: iso(Number(row.first_at)),
    last_at: iso(Number(row.last_at)),
  };
}

export function createAttributionReports(db: Kysely<Database>, names: { userEmail(userId: string): string | undefined }) {
  /** The ledger rows of a range with the sums every report shows. */
  function summed(range: AttributionRange) {
    let rows = db.selectFrom('spend_ledger').where('created_at', '>=', range.from).where('created_at', '<', range.to);
    if (range.userId !== undefined) rows = rows.where('user_id', '=', range.userId);
    return rows.select([
      sql<number>`count(*)`.as('requests'),
      sql<number>`sum(input_tokens)`.as('input_tokens'),
      sql<number>`sum(output_tokens)`.as('output_tokens'),
      sql<number>`sum(cache_read_tokens)`.as('cache_read_tokens'),
      sql<number>`sum(cache_write_5m_tokens + cache_write_1h_tokens)`.as('cache_write_tokens'),
      sql<number>`sum(input_tokens + output_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens)`.as('tokens'),
      sql<number>`sum(cost_micros)`.as('cost_micros'),
      sql<number>`min(created_at)`.as('first_at'),
      sql<number>`max(created_at)`.as('last_at'),
    ]);
  }

  /** One page of grouped rows: the grouping runs as a subquery so `total` counts groups, not rows. */
  function pageOf<O>(grouped: SelectQueryBuilder<Database, 'spend_ledger', O>, request: PageRequest<BillingGroupSort | SessionSort>, searched: string) {
    let outer = db.selectFrom(grouped.as('g')).selectAll() as unknown as SelectQueryBuilder<Database, 'spend_ledger', O>;
    if (request.q !== undefined) outer = outer.where(containsText([searched], request.q));
    return fetchPage(outer, request, SORT_KEYS[request.sort], searched);
  }

  return {
    /** Spend per billing group; requests without one form the `null` group, so the groups sum to the ledger. */
    async billingGroups(range: AttributionRange, request: PageRequest<BillingGroupSort>) {
      const grouped = summed(range)
        .select(['billing_group', sql<number>`count(distinct user_id)`.as('users'), sql<number>`count(distinct session_id)`.as('sessions')])
        .groupBy('billing_group');
      const page = await pageOf(grouped, request, 'billing_group');
      return {
        total: page.total,
        data: page.rows.map((row) => ({ billing_group: row.billing_group ?? null, ...spendOf(row), users: Number(row.users), sessions: Number(row.sessions) })),
      };
    },

    /** Spend per Claude Code session (requests that named one). */
    async sessions(range: AttributionRange, request: PageRequest<SessionSort>) {
      const grouped = summed(range)
        .where('session_id', 'is not', null)
        .select([
          'session_id',
          sql<string | null>`max(user_id)`.as('user_id'),
          // The main agent sends no agent id; it counts as one agent when present.
          sql<number>`count(distinct agent_id) + max(case when agent_id is null then 1 else 0 end)`.as('agents'),
          sql<number>`sum(case when agent_id is null then 0 else cost_micros end)`.as('subagent_cost_micros'),
        ])
        .groupBy('session_id');
      const page = await pageOf(grouped, request, 'session_id');
      return {
        total: page.total,
        data: page.rows.map((row) => ({
          session_id: row.session_id!,
          user_id: row.user_id,
          user_email: row.user_id === null ? null : (names.userEmail(row.user_id) ?? null),
          ...spendOf(row),
          agents: Number(row.agents),
          subagent_cost_usd: usd(Number(row.subagent_cost_micros)),
        })),
      };
    },

    /**
     * One session's spend per agent: the main agent (agent_id null) and each subagent with the
     * agent that started it, so the tree can be drawn. Undefined when the range holds no request of it.
     */
    async session(sessionId: string, range: AttributionRange) {
      const agents = await summed(range)
        .where('session_id', '=', sessionId)
        .select(['agent_id', sql<string | null>`max(parent_agent_id)`.as('parent_agent_id'), sql<string | null>`max(user_id)`.as('user_id')])
        .groupBy('agent_id')
        .execute();
      if (agents.length === 0) return undefined;
      const breakdown = agents
        .map((row) => ({ agent_id: row.agent_id ?? null, parent_agent_id: row.parent_agent_id, main: row.agent_id === null, ...spendOf(row) }))
        .sort((a, b) => Number(b.main) - Number(a.main) || a.first_at.localeCompare(b.first_at) || (a.agent_id ?? '').localeCompare(b.agent_id ?? ''));
      const userId = agents.find((row) => row.user_id !== null)?.user_id ?? null;
      const cost = agents.reduce((sum, row) => sum + Number(row.cost_micros), 0);
      return {
        session_id: sessionId,
        user_id: userId,
        user_email: userId === null ? null : (names.userEmail(userId) ?? null),
        requests: breakdown.reduce((sum, agent) => sum + agent.requests, 0),
        tokens: breakdown.reduce((sum, agent) => sum + agent.tokens, 0),
        cost_usd: usd(cost),
        first_at: breakdown.reduce((min, agent) => (agent.first_at < min ? agent.first_at : min), breakdown[0]!.first_at),
        last_at: breakdown.reduce((max, agent) => (agent.last_at > max ? agent.last_at : max), breakdown[0]!.last_at),
        agents: breakdown,
      };
    },
  };
}

export type AttributionReports = ReturnType<typeof createAttributionReports>;
