/**
 * A typed client for the gateway's admin REST API over undici. `send()` is the one place that
 * turns a non-2xx answer, a non-JSON answer or a network failure into a `CliError` with a message
 * a person can act on; commands never look at status codes.
 */
import { Agent, request, type Dispatcher } from 'undici';
import type {
  BudgetEventRecord,
  BudgetRecord,
  AdminKeyRecord,
  CreateAdminKeyInput,
  CreatedAdminKey,
  CreatedKey,
  CreateEndpointInput,
  CreateIdpInput,
  IdpRecord,
  UpdateIdpInput,
  CreateKeyInput,
  CreateUserInput,
  CreatedScimToken,
  EndpointRecord,
  KeyRecord,
  ListBudgetEventsQuery,
  ListKeysQuery,
  ListUsersQuery,
  LoginResponse,
  PricingRow,
  RateLimitOverrideRecord,
  RateLimitScope,
  RateLimitsRecord,
  ScimStatusRecord,
  SetBudgetInput,
  SetPricingInput,
  SetRateLimitInput,
  SettingsRecord,
  SystemRecord,
  TeamRecord,
  UpdateSettingsInput,
  UpdateUserInput,
  UserRecord,
  EndpointCheckReport,
  EndpointModel,
  EndpointQuotas,
  UpdateEndpointInput,
} from './admin-types.js';
import type { PricingRefreshResult, PricingRefreshStatus } from './admin-types.js';
import { AdminApiError, CliError } from './errors.js';

export interface AdminClientOptions {
  /** Normalized gateway URL (see `normalizeGatewayUrl`), without `/admin`. */
  readonly baseUrl: string;
  readonly token?: string;
  /** What to say when a call needs a token and there is none (it names where tokens come from). */
  readonly missingTokenMessage?: string;
  readonly timeoutMs?: number;
  readonly userAgent?: string;
  /** Injected in tests; by default the client owns an Agent and `close()` releases it. */
  readonly dispatcher?: Dispatcher;
}

export interface SendOptions {
  readonly body?: unknown;
  readonly query?: Record<string, string | undefined>;
  /** Whether the call carries the session token (everything except login). */
  readonly auth: boolean;
}

/** One page of a list route; `total` counts every matching row (absent from gateways older than paging). */
export interface ListEnvelope<T> {
  data: T[];
  total?: number;
}

/** The admin API's largest page: fewer round trips for long lists. */
const PAGE_SIZE = 1000;

export class AdminClient {
  readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly timeoutMs: number;

  constructor(private readonly options: AdminClientOptions) {
    this.baseUrl = options.baseUrl;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.ownsDispatcher = options.dispatcher === undefined;
    // Short keep-alive: a CLI process should exit as soon as its command is done.
    this.dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: 10_000 }, keepAliveTimeout: 1_000 });
  }

  login(username: string, password: string): Promise<LoginResponse> {
    return this.send<LoginResponse>('POST', '/admin/login', { auth: false, body: { username, password } });
  }

  async logout(): Promise<void> {
    await this.send('POST', '/admin/logout', { auth: true });
  }

  listKeys(query: ListKeysQuery = {}): Promise<KeyRecord[]> {
    return this.listAll('/admin/keys', 'keys', { user_email: query.userEmail, include_revoked: query.includeRevoked ? 'true' : undefined });
  }

  createKey(input: CreateKeyInput): Promise<CreatedKey> {
    return this.send<CreatedKey>('POST', '/admin/keys', { auth: true, body: input });
  }

  revokeKey(id: string): Promise<KeyRecord> {
    return this.send<KeyRecord>('POST', `/admin/keys/${encodeURIComponent(id)}/revoke`, { auth: true });
  }

  listAdminKeys(): Promise<AdminKeyRecord[]> {
    return this.listAll('/admin/api-keys', 'admin API keys');
  }

  createAdminKey(input: CreateAdminKeyInput): Promise<CreatedAdminKey> {
    return this.send<CreatedAdminKey>('POST', '/admin/api-keys', { auth: true, body: input });
  }

  revokeAdminKey(id: string): Promise<AdminKeyRecord> {
    return this.send<AdminKeyRecord>('POST', `/admin/api-keys/${encodeURIComponent(id)}/revoke`, { auth: true });
  }

  listUsers(query: ListUsersQuery = {}): Promise<UserRecord[]> {
    return this.listAll('/admin/users', 'users', { team_id: query.teamId, status: query.status });
  }

  createUser(input: CreateUserInput): Promise<UserRecord> {
    return this.send<UserRecord>('POST', '/admin/users', { auth: true, body: input });
  }

  updateUser(id: string, input: UpdateUserInput): Promise<UserRecord> {
    return this.send<UserRecord>('PATCH', `/admin/users/${encodeURIComponent(id)}`, { auth: true, body: input });
  }

  /** `deactivate` or `reactivate`: one call each, so the gateway applies its own rules (last admin). */
  setUserActive(id: string, active: boolean): Promise<UserRecord> {
    return this.send<UserRecord>('POST', `/admin/users/${encodeURIComponent(id)}/${active ? 'reactivate' : 'deactivate'}`, { auth: true });
  }

  async deleteUser(id: string): Promise<void> {
    await this.send('DELETE', `/admin/users/${encodeURIComponent(id)}`, { auth: true });
  }

  listTeams(): Promise<TeamRecord[]> {
    return this.listAll('/admin/teams', 'teams');
  }

  createTeam(name: string): Promise<TeamRecord> {
    return this.send<TeamRecord>('POST', '/admin/teams', { auth: true, body: { name } });
  }

  renameTeam(id: string, name: string): Promise<TeamRecord> {
    return this.send<TeamRecord>('PATCH', `/admin/teams/${encodeURIComponent(id)}`, { auth: true, body: { name } });
  }

  async deleteTeam(id: string): Promise<void> {
    await this.send('DELETE', `/admin/teams/${encodeURIComponent(id)}`, { auth: true });
  }

  listEndpoints(): Promise<EndpointRecord[]> {
    return this.listAll('/admin/endpoints', 'endpoints');
  }

  createEndpoint(input: CreateEndpointInput): Promise<EndpointRecord> {
    return this.send<EndpointRecord>('POST', '/admin/endpoints', { auth: true, body: input });
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.send('DELETE', `/admin/endpoints/${encodeURIComponent(id)}`, { auth: true });
  }

  listPricing(): Promise<PricingRow[]> {
    return this.listAll('/admin/pricing', 'pricing');
  }

  setPricing(modelPrefix: string, input: SetPricingInput): Promise<PricingRow> {
    return this.send<PricingRow>('PUT', `/admin/pricing/${encodeURIComponent(modelPrefix)}`, { auth: true, body: input });
  }

  getRateLimits(): Promise<RateLimitsRecord> {
    return this.send<RateLimitsRecord>('GET', '/admin/rate-limits', { auth: true });
  }

  setRateLimit(scope: RateLimitScope, id: string, input: SetRateLimitInput): Promise<RateLimitOverrideRecord> {
    return this.send<RateLimitOverrideRecord>('PUT', `/admin/rate-limits/${scope}/${encodeURIComponent(id)}`, { auth: true, body: input });
  }

  async clearRateLimit(scope: RateLimitScope, id: string): Promise<void> {
    await this.send('DELETE', `/admin/rate-limits/${scope}/${encodeURIComponent(id)}`, { auth: true });
  }

  listBudgets(): Promise<BudgetRecord[]> {
    return this.listAll('/admin/budgets', 'budgets');
  }

  /** Budget events, newest first. */
  listBudgetEvents(query: ListBudgetEventsQuery = {}): Promise<BudgetEventRecord[]> {
    return this.listAll('/admin/budget-events', 'budget events', {
      from: query.from?.toISOString(),
      to: query.to?.toISOString(),
      event_type: query.eventType,
      subject_type: query.subjectType,
      q: query.subject,
    });
  }

  /** Creates the subject's budget or replaces the one it has. */
  setBudget(input: SetBudgetInput): Promise<BudgetRecord> {
    return this.send<BudgetRecord>('POST', '/admin/budgets', { auth: true, body: input });
  }

  async deleteBudget(id: string): Promise<void> {
    await this.send('DELETE', `/admin/budgets/${encodeURIComponent(id)}`, { auth: true });
  }

  getSettings(): Promise<SettingsRecord> {
    return this.send<SettingsRecord>('GET', '/admin/settings', { auth: true });
  }

  updateSettings(input: UpdateSettingsInput): Promise<SettingsRecord> {
    return this.send<SettingsRecord>('PATCH', '/admin/settings', { auth: true, body: input });
  }

  listIdps(): Promise<IdpRecord[]> {
    return this.listAll('/admin/idps', 'identity providers');
  }

  createIdp(input: CreateIdpInput): Promise<IdpRecord> {
    return this.send<IdpRecord>('POST', '/admin/idps', { auth: true, body: input });
  }

  updateIdp(idOrName: string, input: UpdateIdpInput): Promise<IdpRecord> {
    return this.send<IdpRecord>('PATCH', `/admin/idps/${encodeURIComponent(idOrName)}`, { auth: true, body: input });
  }

  async deleteIdp(idOrName: string): Promise<void> {
    await this.send('DELETE', `/admin/idps/${encodeURIComponent(idOrName)}`, { auth: true });
  }

  getScim(idp: string): Promise<ScimStatusRecord> {
    return this.send<ScimStatusRecord>('GET', `/admin/idps/${encodeURIComponent(idp)}/scim`, { auth: true });
  }

  setScimEnabled(idp: string, enabled: boolean): Promise<ScimStatusRecord> {
    return this.send<ScimStatusRecord>('POST', `/admin/idps/${encodeURIComponent(idp)}/scim/${enabled ? 'enable' : 'disable'}`, { auth: true });
  }

  createScimToken(idp: string): Promise<CreatedScimToken> {
    return this.send<CreatedScimToken>('POST', `/admin/idps/${encodeURIComponent(idp)}/scim/tokens`, { auth: true });
  }

  setScimAdminGroups(idp: string, groups: string[]): Promise<ScimStatusRecord> {
    return this.send<ScimStatusRecord>('PUT', `/admin/idps/${encodeURIComponent(idp)}/scim/admin-groups`, { auth: true, body: { groups } });
  }

  getSystem(): Promise<SystemRecord> {
    return this.send<SystemRecord>('GET', '/admin/system', { auth: true });
  }

  updateEndpoint(id: string, input: UpdateEndpointInput): Promise<EndpointRecord> {
    return this.send<EndpointRecord>('PATCH', `/admin/endpoints/${encodeURIComponent(id)}`, { auth: true, body: input });
  }

  setDefaultEndpoint(id: string): Promise<EndpointRecord> {
    return this.send<EndpointRecord>('POST', `/admin/endpoints/${encodeURIComponent(id)}/default`, { auth: true });
  }

  validateEndpoint(id: string): Promise<EndpointCheckReport> {
    return this.send('POST', `/admin/endpoints/${encodeURIComponent(id)}/validate`, { auth: true });
  }

  async endpointModels(id: string): Promise<EndpointModel[]> {
    return listData(await this.send<ListEnvelope<EndpointModel>>('GET', `/admin/endpoints/${encodeURIComponent(id)}/models`, { auth: true }), 'model');
  }

  endpointQuotas(id: string): Promise<EndpointQuotas> {
    return this.send('GET', `/admin/endpoints/${encodeURIComponent(id)}/quotas`, { auth: true });
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /**
   * Every row of a list route, a page at a time in the route's default order, so commands list
   * everything as they did before lists were paged. A gateway without `total` (older than paging)
   * sent everything in its one answer.
   */
  async listAll<T>(path: string, what: string, query: Record<string, string | undefined> = {}): Promise<T[]> {
    const rows: T[] = [];
    for (;;) {
      const page = await this.send<ListEnvelope<T>>('GET', path, { auth: true, query: { ...query, limit: String(PAGE_SIZE), offset: String(rows.length) } });
      const data = listData(page, what);
      rows.push(...data);
      if (page.total === undefined || data.length === 0 || rows.length >= page.total) return rows;
    }
  }

  /** One call. Public so each area's client (src/cli/*-client.ts) builds on it instead of growing this file. */
  async send<T>(method: Dispatcher.HttpMethod, path: string, options: SendOptions): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);

    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': this.options.userAgent ?? 'ccag-cli' };
    if (options.auth) {
      if (!this.options.token) throw new CliError(this.options.missingTokenMessage ?? `not logged in to ${this.baseUrl}`);
      headers.authorization = `Bearer ${this.options.token}`;
    }
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }

    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method,
        headers,
        body,
        dispatcher: this.dispatcher,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      text = await response.body.text();
    } catch (error) {
      throw new CliError(`cannot reach the gateway at ${this.baseUrl} (${describeNetworkError(error)}); check --url or $CCAG_URL`);
    }

    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      if (status === 204 || text.length === 0) return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new CliError(`${method} ${url.pathname} answered HTTP ${status} with a body that is not JSON; is ${this.baseUrl} a CCAG gateway?`);
      }
    }
    throw this.errorFor(status, text, response.headers, options.auth, `${method} ${url.pathname}`);
  }

  private errorFor(status: number, text: string, headers: Dispatcher.ResponseData['headers'], authenticated: boolean, what: string): CliError {
    const envelope = parseErrorEnvelope(text);
    if (!envelope) {
      return new AdminApiError(`${what} answered HTTP ${status} without an admin API error body; is ${this.baseUrl} a CCAG gateway?`, status, 'unknown');
    }
    let message = `${envelope.message} (HTTP ${status}, ${envelope.code})`;
    if (status === 401 && authenticated) {
      message += `; run "ccag login --url ${this.baseUrl}" or pass a valid --token`;
    } else if (status === 403) {
      message += '; this command needs an admin session';
    } else if (status === 429) {
      const retryAfter = Number(headers['retry-after']);
      if (Number.isFinite(retryAfter) && retryAfter > 0) message += `; retry after ${retryAfter < 90 ? `${Math.ceil(retryAfter)}s` : `${Math.ceil(retryAfter / 60)} min`}`;
    }
    return new AdminApiError(message, status, envelope.code);
  }

  /** "Refresh from AWS": Bedrock prices from the AWS Price List; manual rows are kept. */
  refreshPricing(): Promise<PricingRefreshResult> {
    return this.send<PricingRefreshResult>('POST', '/admin/pricing/refresh', { auth: true });
  }

  /** The gateway's last AWS price refresh, or null before the first. */
  getPricingRefresh(): Promise<PricingRefreshStatus | null> {
    return this.send<PricingRefreshStatus | null>('GET', '/admin/pricing/refresh', { auth: true });
  }
}

/** A list route's rows, or a CliError when the answer is not a list (area clients use it too). */
export function listData<T>(envelope: ListEnvelope<T> | undefined, what: string): T[] {
  if (!envelope || !Array.isArray(envelope.data)) throw new CliError(`the gateway's ${what} list is missing its "data" array`);
  return envelope.data;
}

function parseErrorEnvelope(text: string): { code: string; message: string } | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const error = parsed?.error;
    if (!error || typeof error !== 'object') return undefined;
    const code = typeof error.code === 'string' ? error.code : 'error';
    const message = typeof error.message === 'string' && error.message.length > 0 ? error.message : code;
    return { code, message };
  } catch {
    return undefined;
  }
}

export function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused; is it running?';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connection timed out';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'no answer in time';
  if (typeof code === 'string') return `${code}: ${(error as Error).message}`;
  return (error as Error).message ?? String(error);
}
