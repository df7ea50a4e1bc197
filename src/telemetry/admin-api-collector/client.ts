/**
 * A client for what the collector reads from Anthropic's Admin API: the two reports
 * (`GET /v1/organizations/usage_report/messages`, `GET /v1/organizations/cost_report`) and the
 * two lists that name a usage row's API key and its owner (`GET /v1/organizations/api_keys`,
 * `GET /v1/organizations/users`).
 * Reports answer `{ data: [{ starting_at, ending_at, results: [...] }], has_more, next_page }` and
 * are read to their end by sending `page=<next_page>`; lists answer `{ data, first_id, last_id,
 * has_more }` and are read to their end by sending `after_id=<last_id>`.
 * The admin key goes only in `x-api-key`, never in a URL or a log line.
 */
import { request } from 'undici';
import { z } from 'zod';

const ANTHROPIC_VERSION = '2023-06-01';
/** A provider that keeps answering `has_more` must not hold a poll forever. */
const MAX_PAGES = 100;
/** The largest page the lists allow: an organization's keys and users in as few requests as possible. */
const LIST_PAGE_SIZE = 1000;
const REQUEST_TIMEOUT_MS = 30_000;

const nullableText = z.string().nullish().transform((v) => v ?? null);

export const usageResultSchema = z.object({
  uncached_input_tokens: z.number().int().nonnegative(),
  cache_creation: z
    .object({ ephemeral_5m_input_tokens: z.number().int().nonnegative(), ephemeral_1h_input_tokens: z.number().int().nonnegative() })
    .nullish(),
  cache_read_input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  model: nullableText,
  api_key_id: nullableText,
  workspace_id: nullableText,
  service_tier: nullableText,
});

export const costResultSchema = z.object({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/, 'amount must be a decimal string'),
  currency: z.string(),
  workspace_id: nullableText,
});

/** An actor reference as the lists give it (`created_by`, `principal`): a user, a service account, … */
const actorSchema = z.object({ id: z.string(), type: z.string() }).nullish().transform((v) => v ?? null);

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  created_by: actorSchema,
  principal: actorSchema,
});

export const organizationUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
});

export type UsageResult = z.infer<typeof usageResultSchema>;
export type ApiKey = z.infer<typeof apiKeySchema>;
export type OrganizationUser = z.infer<typeof organizationUserSchema>;
export type CostResult = z.infer<typeof costResultSchema>;

const bucketsOf = <T extends z.ZodType>(result: T) =>
  z.object({
    data: z.array(z.object({ starting_at: z.string(), ending_at: z.string(), results: z.array(result) })),
    has_more: z.boolean(),
    next_page: z.string().nullish(),
  });

const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), has_more: z.boolean(), last_id: z.string().nullish() });

export interface Bucket<T> {
  readonly startingAt: number;
  readonly endingAt: number;
  readonly results: readonly T[];
}

export type FailureReason = 'unauthorized' | 'rate_limited' | 'server_error' | 'client_error' | 'unreachable' | 'invalid_response';

export class AdminApiError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly status?: number,
    /** From a 429's `retry-after`: wait at least this long before asking again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export interface ReportQuery {
  readonly startingAt: number;
  readonly endingAt: number;
  readonly bucketWidth: '1d' | '1h';
  readonly groupBy: readonly string[];
}

export interface AdminApiClient {
  usageReport(query: ReportQuery): Promise<Bucket<UsageResult>[]>;
  costReport(query: ReportQuery): Promise<Bucket<CostResult>[]>;
  /** Every API key of the organization, whatever its status (usage of an archived key still needs its name). */
  apiKeys(): Promise<ApiKey[]>;
  users(): Promise<OrganizationUser[]>;
}

function reasonForStatus(status: number): FailureReason {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'server_error' : 'client_error';
}

/** `retry-after` in seconds or as an HTTP date. */
function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function createAdminApiClient(options: { baseUrl: string; apiKey: string }): AdminApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');

  async function page(path: string, params: URLSearchParams): Promise<unknown> {
    let response;
    try {
      response = await request(`${baseUrl}${path}?${params}`, {
        headers: { 'x-api-key': options.apiKey, 'anthropic-version': ANTHROPIC_VERSION, accept: 'application/json' },
        headersTimeout: REQUEST_TIMEOUT_MS,
        bodyTimeout: REQUEST_TIMEOUT_MS,
      });
    } catch (error) {
      throw new AdminApiError('unreachable', `${path}: ${(error as Error).message}`);
    }
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      // The provider's own message (Anthropic error envelope) helps the operator; it holds no secret.
      const message = text.slice(0, 300).replace(/\s+/g, ' ');
      throw new AdminApiError(reasonForStatus(response.statusCode), `${path} answered ${response.statusCode}: ${message}`, response.statusCode, retryAfterMs(response.headers['retry-after'], Date.now()));
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new AdminApiError('invalid_response', `${path} answered 200 with a body that is not JSON`);
    }
  }

  async function report<T extends z.ZodType>(path: string, result: T, query: ReportQuery): Promise<Bucket<z.infer<T>>[]> {
    const schema = bucketsOf(result);
    const buckets: Bucket<z.infer<T>>[] = [];
    let next: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const params = new URLSearchParams({
        starting_at: new Date(query.startingAt).toISOString(),
        ending_at: new Date(query.endingAt).toISOString(),
        bucket_width: query.bucketWidth,
      });
      for (const dimension of query.groupBy) params.append('group_by[]', dimension);
      if (next !== undefined) params.set('page', next);
      const parsed = schema.safeParse(await page(path, params));
      if (!parsed.success) throw new AdminApiError('invalid_response', `${path} answered a body of an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`);
      for (const bucket of parsed.data.data) {
        buckets.push({ startingAt: Date.parse(bucket.starting_at), endingAt: Date.parse(bucket.ending_at), results: bucket.results });
      }
      if (!parsed.data.has_more) return buckets;
      if (!parsed.data.next_page) throw new AdminApiError('invalid_response', `${path} answered has_more without next_page`);
      next = parsed.data.next_page;
    }
    throw new AdminApiError('invalid_response', `${path} still had more after ${MAX_PAGES} pages`);
  }

  async function list<T extends z.ZodType>(path: string, item: T): Promise<z.infer<T>[]> {
    const schema = listOf(item);
    const items: z.infer<T>[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const params = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
      if (after !== undefined) params.set('after_id', after);
      const parsed = schema.safeParse(await page(path, params));
      if (!parsed.success) throw new AdminApiError('invalid_response', `${path} answered a body of an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`);
      items.push(...parsed.data.data);
      if (!parsed.data.has_more) return items;
      if (!parsed.data.last_id) throw new AdminApiError('invalid_response', `${path} answered has_more without last_id`);
      after = parsed.data.last_id;
    }
    throw new AdminApiError('invalid_response', `${path} still had more after ${MAX_PAGES} pages`);
  }

  return {
    usageReport: (query) => report('/v1/organizations/usage_report/messages', usageResultSchema, query),
    costReport: (query) => report('/v1/organizations/cost_report', costResultSchema, query),
    apiKeys: () => list('/v1/organizations/api_keys', apiKeySchema),
    users: () => list('/v1/organizations/users', organizationUserSchema),
  };
}
