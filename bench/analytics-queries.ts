/** The analytics questions the portal asks, as the bench times them (ranges end at `now`). */
import type { AnalyticsQuery, AnalyticsService } from '../src/spend/analytics/analytics.service.js';
import type { AnalyticsFilters } from '../src/spend/analytics/filters.js';
import { resolveRange } from '../src/spend/analytics/range.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface BenchQuery {
  readonly name: string;
  run(): Promise<unknown>;
}

export function portalQueries(analytics: AnalyticsService, now: number, who: { userId: string; teamId: string }): BenchQuery[] {
  // Portal ranges end on the next minute, so they never fall on a bucket boundary.
  const to = Math.floor(now / 60_000) * 60_000 + 60_000;
  const ask = (ms: number, filters: AnalyticsFilters = {}, granularity?: 'hour' | 'day'): AnalyticsQuery => ({
    range: resolveRange({ from: to - ms, to, granularity }, now),
    filters,
  });
  const member = { userId: who.userId };
  const team = { teamId: who.teamId };
  const q = (name: string, run: () => Promise<unknown>): BenchQuery => ({ name, run });
  return [
    q('summary 24h', () => analytics.summary(ask(DAY))),
    q('summary 7d', () => analytics.summary(ask(7 * DAY))),
    q('summary 30d', () => analytics.summary(ask(30 * DAY))),
    q('timeseries 24h hourly', () => analytics.timeseries(ask(DAY), 'none', 8)),
    q('timeseries 7d hourly by model', () => analytics.timeseries(ask(7 * DAY, {}, 'hour'), 'model', 8)),
    q('timeseries 7d daily by model', () => analytics.timeseries(ask(7 * DAY), 'model', 8)),
    q('timeseries 30d daily by team', () => analytics.timeseries(ask(30 * DAY), 'team', 8)),
    q('timeseries 30d daily by user', () => analytics.timeseries(ask(30 * DAY), 'user', 8)),
    q('latency 24h hourly duration', () => analytics.latency(ask(DAY), 'duration')),
    q('latency 7d daily ttft', () => analytics.latency(ask(7 * DAY), 'ttft')),
    q('latency 30d daily duration', () => analytics.latency(ask(30 * DAY), 'duration')),
    q('heatmap 7d Europe/Berlin', () => analytics.heatmap(ask(7 * DAY), 'Europe/Berlin')),
    q('heatmap 30d America/New_York', () => analytics.heatmap(ask(30 * DAY), 'America/New_York')),
    q('models 30d', () => analytics.models(ask(30 * DAY))),
    q('tools 30d', () => analytics.tools(ask(30 * DAY))),
    q('mcp-servers 30d', () => analytics.mcpServers(ask(30 * DAY))),
    q('users 30d', () => analytics.users(ask(30 * DAY))),
    q('teams 30d', () => analytics.teams(ask(30 * DAY))),
    q('endpoints 7d', () => analytics.endpoints(ask(7 * DAY))),
    q('endpoints 30d', () => analytics.endpoints(ask(30 * DAY))),
    q('member: summary 30d', () => analytics.summary(ask(30 * DAY, member))),
    q('member: timeseries 30d', () => analytics.timeseries(ask(30 * DAY, member), 'model', 8)),
    q('member: latency 30d (ledger)', () => analytics.latency(ask(30 * DAY, member), 'duration')),
    q('member: endpoints 30d (ledger)', () => analytics.endpoints(ask(30 * DAY, member))),
    q('team: users 30d', () => analytics.users(ask(30 * DAY, team))),
    q('team: latency 30d', () => analytics.latency(ask(30 * DAY, team), 'duration')),
    q('team: endpoints 30d', () => analytics.endpoints(ask(30 * DAY, team))),
  ];
}
