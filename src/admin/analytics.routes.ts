/**
 * /admin/analytics/*: charts and tables of usage from the rollups (docs/admin-api.md#analytics).
 * Members may ask too; the access policy narrows every answer to their own usage.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { analyticsScope } from '../identity/access-policy.js';
import type { AnalyticsQuery, AnalyticsService } from '../spend/analytics/analytics.service.js';
import { isTimeZone } from '../spend/analytics/heatmap.js';
import { resolveRange } from '../spend/analytics/range.js';
import { callerOf, selfService } from './caller.js';
import { listQuery, pageInMemory, type SortFields } from './list-query.js';
import { validate } from './validate.js';

const isoDateTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
/** A date-time with its zone, or a date (UTC midnight). */
export const instant = z
  .string()
  .refine((value) => isoDateTime.safeParse(value).success || isoDate.safeParse(value).success, {
    message: 'must be an ISO 8601 date-time with a zone (2026-03-01T09:00:00Z) or a date (2026-03-01)',
  })
  .transform((value) => Date.parse(value));
const id = z.string().trim().min(1).max(200);

const questionFields = {
  from: instant.optional(),
  to: instant.optional(),
  granularity: z.enum(['hour', 'day'], { error: 'must be hour or day' }).optional(),
  user_id: id.optional(),
  team_id: id.optional(),
  model: id.optional(),
  endpoint_id: id.optional(),
};
type Question = z.output<z.ZodObject<typeof questionFields>>;

const question = z.object(questionFields);
const timeseriesQuery = question.extend({
  group_by: z.enum(['none', 'model', 'team', 'user'], { error: 'must be none, model, team or user' }).default('none'),
  top: z.coerce.number().int().min(1).max(50).default(8),
});
const latencyQuery = question.extend({ metric: z.enum(['duration', 'ttft'], { error: 'must be duration or ttft' }).default('duration') });
const heatmapQuery = question.extend({
  tz: z.string().min(1).max(100).refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Berlin' }).default('UTC'),
});

/** The question as the service takes it: the range resolved, the filters scoped to the caller. */
function analyticsQueryOf(request: FastifyRequest, query: Question): AnalyticsQuery {
  const scope = analyticsScope(callerOf(request), { userId: query.user_id, teamId: query.team_id });
  return {
    range: resolveRange({ from: query.from, to: query.to, granularity: query.granularity }, Date.now()),
    filters: { ...scope, model: query.model, endpointId: query.endpoint_id },
  };
}

type SortKey = string | number | null;

/** A table route: its rows' sortable fields (each with its natural order), identity and text. */
interface Table<S extends string, T extends Record<S, SortKey>> {
  readonly fields: SortFields<S>;
  readonly defaultSort: NoInfer<S>;
  readonly rows: (query: AnalyticsQuery) => Promise<T[]>;
  /** What identifies a row: equal sort values keep this order, so pages do not overlap. */
  readonly id: (row: T) => string | null;
  /** The names `q` searches. */
  readonly text: (row: T) => ReadonlyArray<string | null>;
}

function registerTable<S extends string, T extends Record<S, SortKey>>(app: FastifyInstance, path: string, table: Table<S, T>): void {
  const schema = listQuery(table.fields, table.defaultSort, questionFields);
  // Every sortable field is a field of the row of the same name.
  const sort = {} as { [K in S]: (row: T) => SortKey };
  for (const field of Object.keys(table.fields) as S[]) sort[field] = (row) => row[field];
  app.get(path, selfService, async (request) => {
    const query = validate(schema, request.query);
    const rows = await table.rows(analyticsQueryOf(request, query));
    rows.sort((a, b) => (table.id(a) ?? '').localeCompare(table.id(b) ?? ''));
    return pageInMemory(rows, query, { sort, text: table.text });
  });
}

export function registerAnalyticsRoutes(app: FastifyInstance, deps: { analytics: AnalyticsService }): void {
  const { analytics } = deps;

  app.get('/analytics/summary', selfService, async (request) => analytics.summary(analyticsQueryOf(request, validate(question, request.query))));

  app.get('/analytics/timeseries', selfService, async (request) => {
    const query = validate(timeseriesQuery, request.query);
    return analytics.timeseries(analyticsQueryOf(request, query), query.group_by, query.top);
  });

  app.get('/analytics/latency', selfService, async (request) => {
    const query = validate(latencyQuery, request.query);
    return analytics.latency(analyticsQueryOf(request, query), query.metric);
  });

  app.get('/analytics/heatmap', selfService, async (request) => {
    const query = validate(heatmapQuery, request.query);
    return analytics.heatmap(analyticsQueryOf(request, query), query.tz);
  });

  registerTable(app, '/analytics/models', {
    fields: { model: 'asc', requests: 'desc', errors: 'desc', input_tokens: 'desc', output_tokens: 'desc', cost_usd: 'desc', avg_latency_ms: 'desc' },
    defaultSort: 'cost_usd',
    rows: analytics.models,
    id: (row) => row.model,
    text: (row) => [row.model],
  });
  registerTable(app, '/analytics/tools', {
    fields: { tool: 'asc', type: 'asc', server: 'asc', calls: 'desc', errors: 'desc', users: 'desc' },
    defaultSort: 'calls',
    rows: analytics.tools,
    id: (row) => row.tool,
    text: (row) => [row.tool],
  });
  registerTable(app, '/analytics/mcp-servers', {
    fields: { server: 'asc', tools: 'desc', calls: 'desc', users: 'desc', errors: 'desc', error_rate: 'desc' },
    defaultSort: 'calls',
    rows: analytics.mcpServers,
    id: (row) => row.server,
    text: (row) => [row.server, ...row.tool_names],
  });
  registerTable(app, '/analytics/users', {
    fields: {
      user_email: 'asc', team_name: 'asc', requests: 'desc', input_tokens: 'desc', output_tokens: 'desc', cache_read_tokens: 'desc',
      cache_write_tokens: 'desc', tokens: 'desc', cost_usd: 'desc', avg_cost_usd: 'desc',
    },
    defaultSort: 'cost_usd',
    rows: analytics.users,
    id: (row) => row.user_id,
    text: (row) => [row.user_email, row.team_name],
  });
  registerTable(app, '/analytics/teams', {
    fields: { team_name: 'asc', requests: 'desc', tokens: 'desc', cost_usd: 'desc', users: 'desc' },
    defaultSort: 'cost_usd',
    rows: analytics.teams,
    id: (row) => row.team_id,
    text: (row) => [row.team_name],
  });
  registerTable(app, '/analytics/endpoints', {
    fields: { endpoint_name: 'asc', requests: 'desc', errors: 'desc', error_rate: 'desc', avg_latency_ms: 'desc', p99_latency_ms: 'desc' },
    defaultSort: 'requests',
    rows: analytics.endpoints,
    id: (row) => row.endpoint_id,
    text: (row) => [row.endpoint_name],
  });
}

/** What each analytics route answers (shared with the CLI and the portal). */
type Answer<K extends keyof AnalyticsService> = Awaited<ReturnType<AnalyticsService[K]>>;
export type AnalyticsSummaryView = Answer<'summary'>;
export type AnalyticsTimeseriesView = Answer<'timeseries'>;
export type AnalyticsLatencyView = Answer<'latency'>;
export type AnalyticsHeatmapView = Answer<'heatmap'>;
export type ModelUsageView = Answer<'models'>[number];
export type ToolUsageView = Answer<'tools'>[number];
export type McpServerUsageView = Answer<'mcpServers'>[number];
export type UserUsageView = Answer<'users'>[number];
export type TeamUsageView = Answer<'teams'>[number];
export type EndpointTrafficView = Answer<'endpoints'>[number];
