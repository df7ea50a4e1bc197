import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../src/cli/admin-client.js';
import { AdminApiError, CliError } from '../../src/cli/errors.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
let answer: (request: IncomingMessage, response: ServerResponse) => void = () => {};

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  answer = (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

async function withClient<T>(run: (client: AdminClient) => Promise<T>, { token = 'tok' as string | null } = {}): Promise<T> {
  const client = new AdminClient({ baseUrl, token: token ?? undefined, missingTokenMessage: 'log in first' });
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('AdminClient', () => {
  it('sends the bearer token and the list filters, and unwraps data', async () => {
    reply(200, { data: [{ id: 'k1' }], total: 1, limit: 1000, offset: 0 });
    const keys = await withClient((client) => client.listKeys({ userEmail: 'a@example.com', includeRevoked: true }));
    expect(keys).toEqual([{ id: 'k1' }]);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/admin/keys?user_email=a%40example.com&include_revoked=true&limit=1000&offset=0', authorization: 'Bearer tok' });
  });

  it('pages through a list longer than one page, keeping the filters on every page', async () => {
    const rows = Array.from({ length: 2_345 }, (_, n) => ({ id: `u${n}` }));
    answer = (request, response) => {
      const url = new URL(request.url!, 'http://gateway');
      const [limit, offset] = [Number(url.searchParams.get('limit')), Number(url.searchParams.get('offset'))];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: rows.slice(offset, offset + limit), total: rows.length, limit, offset }));
    };
    const before = seen.length;
    const users = await withClient((client) => client.listUsers({ status: 'active' }));
    expect(users).toEqual(rows);
    expect(seen.slice(before).map((request) => request.url)).toEqual([
      '/admin/users?status=active&limit=1000&offset=0',
      '/admin/users?status=active&limit=1000&offset=1000',
      '/admin/users?status=active&limit=1000&offset=2000',
    ]);
  });

  it('takes a list without a total (a gateway older than paging) as complete', async () => {
    reply(200, { data: [{ id: 't1' }, { id: 't2' }] });
    const before = seen.length;
    expect(await withClient((client) => client.listTeams())).toEqual([{ id: 't1' }, { id: 't2' }]);
    expect(seen.length).toBe(before + 1);
  });

  it('sends budget event filters under their API names', async () => {
    reply(200, { data: [], total: 0, limit: 1000, offset: 0 });
    await withClient((client) =>
      client.listBudgetEvents({ from: new Date('2026-01-01T00:00:00Z'), eventType: 'team_budget_blocked', subjectType: 'team', subject: 'plat' }),
    );
    expect(seen.at(-1)!.url).toBe('/admin/budget-events?from=2026-01-01T00%3A00%3A00.000Z&event_type=team_budget_blocked&subject_type=team&q=plat&limit=1000&offset=0');
  });

  it('does not send a token to login', async () => {
    reply(200, { token: 't', expires_at: '2030-01-01T00:00:00Z', user: { id: 'u', email: 'admin', role: 'admin' } });
    await withClient((client) => client.login('admin', 'pw'));
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/admin/login', authorization: undefined });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ username: 'admin', password: 'pw' });
  });

  it('URL-encodes path parameters', async () => {
    reply(200, { model_prefix: 'a/b c' });
    await withClient((client) => client.setPricing('a/b c', { input: 1, output: 2 }));
    expect(seen.at(-1)).toMatchObject({ method: 'PUT', url: '/admin/pricing/a%2Fb%20c' });
  });

  it('accepts 204 without a body', async () => {
    answer = (_request, response) => response.writeHead(204).end();
    await expect(withClient((client) => client.deleteEndpoint('e1'))).resolves.toBeUndefined();
  });

  it('refuses an authenticated call without a token before sending anything', async () => {
    const before = seen.length;
    const error = await failure(withClient((client) => client.listEndpoints(), { token: null }));
    expect(error.message).toBe('log in first');
    expect(seen.length).toBe(before);
  });

  it('turns the admin error envelope into one readable line', async () => {
    reply(404, { error: { code: 'not_found', message: 'no key with id k9' } });
    const error = await failure(withClient((client) => client.revokeKey('k9')));
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error.message).toBe('no key with id k9 (HTTP 404, not_found)');
    expect((error as AdminApiError).code).toBe('not_found');
    expect(error.exitCode).toBe(1);
  });

  it('says how to get a new session when the token is rejected', async () => {
    reply(401, { error: { code: 'invalid_credentials', message: 'The session token is invalid or expired.' } });
    const error = await failure(withClient((client) => client.listPricing()));
    expect(error.message).toBe(`The session token is invalid or expired. (HTTP 401, invalid_credentials); run "ccag login --url ${baseUrl}" or pass a valid --token`);
  });

  it('passes retry-after on to the user', async () => {
    reply(429, { error: { code: 'too_many_attempts', message: 'Too many failed login attempts.' } }, { 'retry-after': '30' });
    const error = await failure(withClient((client) => client.login('a', 'b')));
    expect(error.message).toBe('Too many failed login attempts. (HTTP 429, too_many_attempts); retry after 30s');
    reply(429, { error: { code: 'too_many_attempts', message: 'Too many.' } }, { 'retry-after': '891' });
    expect((await failure(withClient((client) => client.login('a', 'b')))).message).toBe('Too many. (HTTP 429, too_many_attempts); retry after 15 min');
  });

  it('recognises an answer that is not from a CCAG gateway', async () => {
    answer = (_request, response) => response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>nginx</h1>');
    const error = await failure(withClient((client) => client.listKeys()));
    expect(error.message).toBe(`GET /admin/keys answered HTTP 404 without an admin API error body; is ${baseUrl} a CCAG gateway?`);
    reply(200, '<html>');
    expect((await failure(withClient((client) => client.listKeys()))).message).toMatch(/not JSON/);
    reply(200, { rows: [] });
    expect((await failure(withClient((client) => client.listKeys()))).message).toMatch(/missing its "data" array/);
  });

  it('reports an unreachable gateway without a stack trace', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const client = new AdminClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't' });
    const error = await failure(client.listKeys());
    await client.close();
    expect(error.message).toBe(`cannot reach the gateway at http://127.0.0.1:${port} (connection refused; is it running?); check --url or $CCAG_URL`);
  });
});
