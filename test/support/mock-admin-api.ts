/**
 * A mock of the Anthropic Admin API over real HTTP, speaking the documented JSON:
 * - the reports `GET /v1/organizations/usage_report/messages` and `GET /v1/organizations/cost_report`,
 *   both `{ data: [{ starting_at, ending_at, results }], has_more, next_page }`, paged by `limit`
 *   (or the mock's `pageSize`) with an opaque `next_page` token sent back as `page`;
 * - the lists `GET /v1/organizations/api_keys` and `GET /v1/organizations/users`, both
 *   `{ data, first_id, last_id, has_more }`, paged by `limit` (default 20, at most 1000, or the
 *   mock's `listPageSize` when smaller) and `after_id`.
 * Tests script the buckets and lists between polls (plain arrays) and queue failures.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export const MOCK_ADMIN_KEY = 'sk-ant-admin01-test-key';

export interface UsageResultJson {
  uncached_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  cache_read_input_tokens: number;
  output_tokens: number;
  server_tool_use: { web_search_requests: number };
  model: string | null;
  api_key_id: string | null;
  workspace_id: string | null;
  service_tier: string | null;
  context_window: string | null;
  inference_geo: string | null;
  account_id: string | null;
  service_account_id: string | null;
}

export interface CostResultJson {
  amount: string;
  currency: string;
  workspace_id: string | null;
  description: string | null;
  cost_type: string | null;
  token_type: string | null;
  model: string | null;
  service_tier: string | null;
  context_window: string | null;
  inference_geo: string | null;
}

/** An API key as `GET /v1/organizations/api_keys` lists it. */
export interface ApiKeyJson {
  id: string;
  type: 'api_key';
  name: string;
  created_at: string;
  created_by: { id: string; type: string };
  expires_at: string | null;
  partial_key_hint: string;
  principal: { id: string; type: 'user' | 'service_account' } | null;
  status: 'active' | 'archived' | 'expired' | 'inactive';
  workspace_id: string | null;
}

/** A member as `GET /v1/organizations/users` lists it. */
export interface UserJson {
  id: string;
  type: 'user';
  email: string;
  name: string;
  role: 'user' | 'developer' | 'billing' | 'admin' | 'claude_code_user' | 'managed';
  added_at: string;
}

export interface BucketJson<T> {
  starting_at: string;
  ending_at: string;
  results: T[];
}

export interface RecordedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface MockAdminApi {
  readonly url: string;
  usage: BucketJson<UsageResultJson>[];
  cost: BucketJson<CostResultJson>[];
  apiKeys: ApiKeyJson[];
  users: UserJson[];
  /** Buckets per page when the request names no `limit`. */
  pageSize: number;
  /** The most items a list page holds, whatever `limit` asks (to make pages with few items). */
  listPageSize: number;
  readonly requests: RecordedRequest[];
  /** The next request (to `path`, when given) answers this status (with these headers) instead of a page. */
  failNext(status: number, headers?: Record<string, string>, path?: string): void;
  close(): Promise<void>;
}

export function usageResult(fields: Partial<UsageResultJson>): UsageResultJson {
  return {
    uncached_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    cache_read_input_tokens: 0,
    output_tokens: 0,
    server_tool_use: { web_search_requests: 0 },
    model: null,
    api_key_id: null,
    workspace_id: null,
    service_tier: null,
    context_window: null,
    inference_geo: null,
    account_id: null,
    service_account_id: null,
    ...fields,
  };
}

export function costResult(amount: string, workspaceId: string | null): CostResultJson {
  return {
    amount,
    currency: 'USD',
    workspace_id: workspaceId,
    description: null,
    cost_type: null,
    token_type: null,
    model: null,
    service_tier: null,
    context_window: null,
    inference_geo: null,
  };
}

export function apiKey(id: string, name: string, createdBy: string, fields: Partial<ApiKeyJson> = {}): ApiKeyJson {
  return {
    id,
    type: 'api_key',
    name,
    created_at: '2026-01-05T10:00:00Z',
    created_by: { id: createdBy, type: 'user' },
    expires_at: null,
    partial_key_hint: `sk-ant-api03-${id.slice(-3)}...AAAA`,
    principal: null,
    status: 'active',
    workspace_id: null,
    ...fields,
  };
}

export function orgUser(id: string, email: string, name: string): UserJson {
  return { id, type: 'user', email, name, role: 'developer', added_at: '2026-01-02T09:00:00Z' };
}

export function bucket<T>(startMs: number, widthMs: number, results: T[]): BucketJson<T> {
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return { starting_at: iso(startMs), ending_at: iso(startMs + widthMs), results };
}

const errorTypes: Record<number, string> = { 401: 'authentication_error', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };

export async function startMockAdminApi(): Promise<MockAdminApi> {
  const failures: { status: number; headers: Record<string, string>; path?: string }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    mock.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, headers?: Record<string, string>) =>
      send(status, { type: 'error', error: { type: errorTypes[status] ?? 'invalid_request_error', message } }, headers);

    const failureAt = failures.findIndex((f) => f.path === undefined || f.path === url.pathname);
    if (failureAt >= 0) {
      const [failure] = failures.splice(failureAt, 1);
      return error(failure!.status, `scripted ${failure!.status}`, failure!.headers);
    }
    if (req.headers['x-api-key'] !== MOCK_ADMIN_KEY) return error(401, 'invalid x-api-key');
    if (req.headers['anthropic-version'] !== '2023-06-01') return error(400, 'anthropic-version header is required');
    const items = url.pathname === '/v1/organizations/api_keys' ? mock.apiKeys : url.pathname === '/v1/organizations/users' ? mock.users : undefined;
    if (items) {
      const limit = Number(url.searchParams.get('limit') ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(400, 'limit: must be from 1 to 1000');
      const afterId = url.searchParams.get('after_id');
      const start = afterId === null ? 0 : (items as { id: string }[]).findIndex((item) => item.id === afterId) + 1;
      if (start === 0 && afterId !== null) return error(400, `after_id: no object ${afterId}`);
      const data = (items as { id: string }[]).slice(start, start + Math.min(limit, mock.listPageSize));
      return send(200, { data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: start + data.length < items.length });
    }
    const buckets = url.pathname === '/v1/organizations/usage_report/messages' ? mock.usage : url.pathname === '/v1/organizations/cost_report' ? mock.cost : undefined;
    if (!buckets) return error(404, `no route ${url.pathname}`);
    const startingAt = Date.parse(url.searchParams.get('starting_at') ?? '');
    if (Number.isNaN(startingAt)) return error(400, 'starting_at is required');
    const endingAt = Date.parse(url.searchParams.get('ending_at') ?? '') || Infinity;
    const inWindow = (buckets as BucketJson<unknown>[]).filter((b) => Date.parse(b.starting_at) >= startingAt && Date.parse(b.ending_at) <= endingAt);
    inWindow.sort((a, b) => Date.parse(a.starting_at) - Date.parse(b.starting_at));
    const page = url.searchParams.get('page');
    const offset = page ? Number(Buffer.from(page.replace(/^page_/, ''), 'base64url').toString()) : 0;
    const limit = Number(url.searchParams.get('limit') ?? mock.pageSize);
    const data = inWindow.slice(offset, offset + limit);
    const more = offset + limit < inWindow.length;
    send(200, { data, has_more: more, next_page: more ? `page_${Buffer.from(String(offset + limit)).toString('base64url')}` : null });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const mock: MockAdminApi = {
    url: `http://127.0.0.1:${port}`,
    usage: [],
    cost: [],
    apiKeys: [],
    users: [],
    pageSize: 24,
    listPageSize: 1000,
    requests: [],
    failNext(status, headers = {}, path) {
      failures.push({ status, headers, ...(path === undefined ? {} : { path }) });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return mock;
}
