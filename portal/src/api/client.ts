/**
 * The portal's one way to reach the gateway: same-origin fetch with the session cookie, the CSRF
 * header on every write, JSON in and out, and one error type carrying the API's own message so
 * every form and page can show it as is.
 */

export interface ListEnvelope<T> {
  data: T[];
  total?: number;
  limit?: number;
  offset?: number;
}

/** An error answer of the gateway (`{"error":{"code","message"}}`), or a network failure. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

let csrfToken: string | undefined;
let onSignedOut: (() => void) | undefined;

/** Set by the session once it knows its CSRF token; cleared at sign-out. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the gateway says the session is gone (expired, revoked, deactivated). */
export function onSessionLost(handler: () => void): void {
  onSignedOut = handler;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  let code = 'http_error';
  let message = `The gateway answered ${response.status} ${response.statusText}.`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body.error?.message) message = body.error.message;
    if (body.error?.code) code = body.error.code;
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  return new ApiProblem(response.status, code, message);
}

export async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-ccag-csrf'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiProblem(0, 'network', 'The gateway could not be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && !path.startsWith('/auth/')) onSignedOut?.();
    throw problem;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** The parameters every admin list route takes (see docs/admin-api.md, "Lists"). */
export interface ListRequest {
  readonly q: string;
  readonly sort: string;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
  readonly offset: number;
}

/** A DataTable's page fetcher for a list route, with the route's own filters. */
export function listFetcher<T>(path: string, filters?: Query) {
  return (params: ListRequest) => api.get<ListEnvelope<T>>(path, { ...filters, ...params });
}
