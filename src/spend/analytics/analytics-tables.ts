/**
 * The analytics tables (models, tools, MCP servers, users, teams, endpoints): one row per thing
 * over the whole range, exact to the hour (see range.ts). Rows are few (per user at most), so the
 * admin API sorts, filters and pages them after this.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import { toolKindOf } from '../tool-names.js';
import type { AnalyticsNames, AnalyticsQuery } from './analytics.service.js';
import { addSums, allTokens, cacheHitRate, cacheWriteTokens, idOrNull, mean, ratio, usd, zeroSums, type Sums } from './figures.js';
import { latencyHistograms } from './latency-queries.js';
import { percentilesOf } from './percentiles.js';
import { totalSegments } from './range.js';
import { toolUsage } from './tool-queries.js';
import { usageBy } from './usage-queries.js';

const MODELS = ['requests', 'errors', 'input_tokens', 'output_tokens', 'cost_micros', 'duration_ms_sum'] as const;
const SPEND = ['requests', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens', 'cost_micros'] as const;
const ENDPOINTS = ['requests', 'errors', 'duration_ms_sum', 'input_tokens', 'cache_read_tokens', 'cache_write_5m_tokens', 'cache_write_1h_tokens'] as const;
type Spend = Sums<(typeof SPEND)[number]>;

export function createAnalyticsTables(db: Kysely<Database>, names: AnalyticsNames) {
  async function toolRows({ range, filters }: AnalyticsQuery) {
    const usage = await toolUsage(db, totalSegments(range), filters);
    const tools = new Map<string, { calls: number; errors: number; users: Set<string> }>();
    for (const row of usage) {
      const tool = tools.get(row.tool) ?? { calls: 0, errors: 0, users: new Set<string>() };
      tool.calls += row.calls;
      tool.errors += row.errors;
      if (row.userId !== '') tool.users.add(row.userId);
      tools.set(row.tool, tool);
    }
    return [...tools.entries()].map(([name, tool]) => ({ name, kind: toolKindOf(name), ...tool }));
  }

  return {
    async models({ range, filters }: AnalyticsQuery) {
      const rows = await usageBy(db, totalSegments(range), filters, ['model'], MODELS);
      return rows.map((row) => ({
        model: row.model,
        requests: row.requests,
        errors: row.errors,
        input_tokens: row.input_tokens,
        output_tokens: row.output_tokens,
        cost_usd: usd(row.cost_micros),
        avg_latency_ms: mean(row.duration_ms_sum, row.requests),
      }));
    },

    async tools(query: AnalyticsQuery) {
      return (await toolRows(query)).map((tool) => ({
        tool: tool.name,
        type: tool.kind.type,
        server: tool.kind.server,
        calls: tool.calls,
        errors: tool.errors,
        users: tool.users.size,
      }));
    },

    async mcpServers(query: AnalyticsQuery) {
      const servers = new Map<string, { toolNames: string[]; calls: number; errors: number; users: Set<string> }>();
      for (const tool of await toolRows(query)) {
        if (tool.kind.server === null) continue;
        const server = servers.get(tool.kind.server) ?? { toolNames: [], calls: 0, errors: 0, users: new Set<string>() };
        server.toolNames.push(tool.name);
        server.calls += tool.calls;
        server.errors += tool.errors;
        for (const user of tool.users) server.users.add(user);
        servers.set(tool.kind.server, server);
      }
      return [...servers.entries()].map(([name, server]) => ({
        server: name,
        tools: server.toolNames.length,
        tool_names: server.toolNames.sort(),
        calls: server.calls,
        users: server.users.size,
        errors: server.errors,
        error_rate: ratio(server.errors, server.calls),
      }));
    },

    async users({ range, filters }: AnalyticsQuery) {
      const [rows, teams] = await Promise.all([usageBy(db, totalSegments(range), filters, ['user_id', 'team_id'], SPEND), names.teamNames()]);
      // A user's team is the one most of their spend in the range was recorded under.
      const users = new Map<string, { sums: Spend; teamId: string; teamCost: number }>();
      for (const row of rows) {
        const user = users.get(row.user_id) ?? { sums: zeroSums(SPEND), teamId: row.team_id, teamCost: -1 };
        if (row.cost_micros > user.teamCost) Object.assign(user, { teamId: row.team_id, teamCost: row.cost_micros });
        addSums(user.sums, row, SPEND);
        users.set(row.user_id, user);
      }
      return [...users.entries()].map(([userId, { sums, teamId }]) => ({
        user_id: idOrNull(userId),
        user_email: names.userEmail(userId) ?? null,
        team_id: idOrNull(teamId),
        team_name: teams.get(teamId) ?? null,
        requests: sums.requests,
        input_tokens: sums.input_tokens,
        output_tokens: sums.output_tokens,
        cache_read_tokens: sums.cache_read_tokens,
        cache_write_tokens: cacheWriteTokens(sums),
        tokens: allTokens(sums),
        cost_usd: usd(sums.cost_micros),
        avg_cost_usd: sums.requests > 0 ? usd(Math.round(sums.cost_micros / sums.requests)) : null,
      }));
    },

    async teams({ range, filters }: AnalyticsQuery) {
      const [rows, teams] = await Promise.all([usageBy(db, totalSegments(range), filters, ['team_id', 'user_id'], SPEND), names.teamNames()]);
      const groups = new Map<string, { sums: Spend; users: Set<string> }>();
      for (const row of rows) {
        const group = groups.get(row.team_id) ?? { sums: zeroSums(SPEND), users: new Set<string>() };
        addSums(group.sums, row, SPEND);
        if (row.user_id !== '') group.users.add(row.user_id);
        groups.set(row.team_id, group);
      }
      return [...groups.entries()].map(([teamId, { sums, users }]) => ({
        team_id: idOrNull(teamId),
        team_name: teams.get(teamId) ?? null,
        requests: sums.requests,
        tokens: allTokens(sums),
        cost_usd: usd(sums.cost_micros),
        users: users.size,
      }));
    },

    async endpoints({ range, filters }: AnalyticsQuery) {
      const segments = totalSegments(range);
      const [rows, histograms, endpoints] = await Promise.all([
        usageBy(db, segments, filters, ['endpoint_id'], ENDPOINTS),
        latencyHistograms(db, segments, filters, 'duration', 'endpoint_id'),
        names.endpointNames(),
      ]);
      return rows.map((row) => ({
        endpoint_id: idOrNull(row.endpoint_id),
        endpoint_name: endpoints.get(row.endpoint_id) ?? null,
        requests: row.requests,
        errors: row.errors,
        error_rate: ratio(row.errors, row.requests),
        avg_latency_ms: mean(row.duration_ms_sum, row.requests),
        p99_latency_ms: percentilesOf(histograms.get(row.endpoint_id) ?? new Map(), [0.99])[0] ?? null,
        // What sticky routing protects: the share of prompt tokens this endpoint served from its cache.
        cache_hit_rate: cacheHitRate(row),
      }));
    },
  };
}
