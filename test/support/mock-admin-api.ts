/**
 * A mock of the Anthropic Admin API's two reports over real HTTP, speaking the documented JSON:
 * `GET /v1/organizations/usage_report/messages` and `GET /v1/organizations/cost_report`, both
 * `{ data: [{ starting_at, ending_at, results }], has_more, next_page }`, paged by `limit`
 * (or the mock's `pageSize`) with an opaque `next_page` token sent back as `page`. Tests script
 * the buckets between polls (`usage`, `cost` are plain arrays) and queue failures.
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
  /** Buckets per page when the request names no `limit`. */
  pageSize: number;
  readonly requests: RecordedRequest[];
  /** The next request answers this status (with these headers) instead of a page. */
  failNext(status: number, headers?: Record<string, string>): void;
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

export function bucket<T>(startMs: number, widthMs: number, results: T[]): BucketJson<T> {
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  return { starting_at: iso(startMs), ending_at: iso(startMs + widthMs), results };
}

const errorTypes: Record<number, string> = { 401: 'authentication_error', 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };

export async function startMockAdminApi(): Promise<MockAdminApi> {
  const failures: { status: number; headers: Record<string, string> }[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    mock.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, message: string, headers?: Record<string, string>) =>
      send(status, { type: 'error', error: { type: errorTypes[status] ?? 'invalid_request_error', message } }, headers);

    const failure = failures.shift();
    if (failure) return error(failure.status, `scripted ${failure.status}`, failure.headers);
    if (req.headers['x-api-key'] !== MOCK_ADMIN_KEY) return error(401, 'invalid x-api-key');
    if (req.headers['anthropic-version'] !== '2023-06-01') return error(400, 'anthropic-version header is required');
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
    pageSize: 24,
    requests: [],
    failNext(status, headers = {}) {
      failures.push({ status, headers });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return mock;
}
